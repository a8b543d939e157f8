import { UNSAFE_TEXT_CHARS } from '../../domain/unsafe-text'
import type { SyncEvent } from '../inventory/sync-events'

/** What a command writes to; the real process streams, or string buffers in tests. */
export interface OutStream {
  write(chunk: string): unknown
}

// ---------- safe text ----------

// a tenant-controlled name must never move the cursor, recolour the terminal, break a table row or reorder
// what the consultant reads: every unsafe character (domain/unsafe-text.ts) is written as a visible escape
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' }

function escapeChar(ch: string): string {
  const named = NAMED_ESCAPES[ch]
  if (named) return named
  const cp = ch.codePointAt(0) ?? 0
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`
}

/**
 * One line of inert text: every unsafe character is written as a visible escape (`\n`, `\t`, `\x1b`,
 * `\u202e`), so the terminal acts on none of them and the consultant still sees that they are there.
 */
export function safeText(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value)
  return s.replace(UNSAFE_TEXT_CHARS, escapeChar)
}

/**
 * Terminal columns a string takes: combining marks and zero-width joiners take none, East Asian wide
 * characters and emoji take two. Good enough to keep tables aligned without a dependency.
 */
export function displayWidth(s: string): number {
  let width = 0
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    if (/\p{Mn}|\p{Me}|\u200d|\ufe0f/u.test(ch)) continue
    if (
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1f300 && cp <= 0x1faff) ||
      (cp >= 0x20000 && cp <= 0x3fffd)
    ) {
      width += 2
    } else {
      width += 1
    }
  }
  return width
}

/** Cuts to at most `max` columns, marking the cut with an ellipsis. */
export function truncate(s: string, max: number): string {
  if (displayWidth(s) <= max) return s
  let out = ''
  for (const ch of s) {
    if (displayWidth(out + ch) > max - 1) break
    out += ch
  }
  return `${out}…`
}

// ---------- tables ----------

export interface Column {
  header: string
  align?: 'left' | 'right'
  /** cut longer cells (names) so one hostile name cannot push the table off the screen */
  max?: number
}

/** Aligned plain-text table: header, a rule, rows. Cells are made safe here, once, for every command. */
export function formatTable(columns: Column[], rows: unknown[][]): string {
  const cells = rows.map((row) =>
    columns.map((c, i) => {
      const text = safeText(row[i])
      return c.max ? truncate(text, c.max) : text
    })
  )
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i] ?? '')))
  )
  const pad = (text: string, i: number): string => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(text)))
    return columns[i]?.align === 'right' ? gap + text : text + gap
  }
  const line = (parts: string[]): string => parts.map(pad).join('  ').trimEnd()
  return (
    [line(columns.map((c) => c.header)), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join(
      '\n'
    ) + '\n'
  )
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const m = Math.floor(ms / 60_000)
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** `2026-01-01T08:30:00.000Z` → `2026-01-01 08:30:00Z`: readable and still unambiguous (UTC). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}

export function writeJson(out: OutStream, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`)
}

/**
 * Lists never truncate silently: when rows exist past what was shown, stderr says how many and how to see
 * them (stdout stays the table or the JSON document, which carries the total).
 */
export function noteHiddenRows(
  stderr: OutStream,
  shown: number,
  total: number,
  noun: string,
  more: string
): void {
  if (shown < total) {
    stderr.write(`Showing ${shown.toLocaleString('en-US')} of ${plural(total, noun)}; ${more}.\n`)
  }
}

// ---------- sync progress ----------

interface TenantProgress {
  name: string
  total: number
  done: number
  failed: number
  items: number
  current?: string
  note?: string
}

/**
 * Live progress of one or more syncs, on stderr so stdout stays clean for summaries and JSON.
 * On a TTY: one line redrawn in place with \r (bar, types done, objects, what is running, throttling),
 * with finished tenants printed above it. Otherwise (cron, CI, a pipe): one plain line per milestone,
 * because a log file full of \r redraws is unreadable.
 */
export class SyncProgress {
  private readonly tenants = new Map<string, TenantProgress>()
  private drawn = false
  private lastDraw = 0

  constructor(
    private readonly out: OutStream,
    private readonly opts: {
      isTTY: boolean
      width?: number
      names: Map<string, string>
      /** a policy type's name as the window shows it (the key when not given) */
      typeLabel?: (key: string) => string
      now?: () => number
    }
  ) {}

  private label(key: string): string {
    return this.opts.typeLabel?.(key) ?? key
  }

  onEvent(event: SyncEvent): void {
    const name = this.opts.names.get(event.tenantId)
    if (name === undefined) return
    const state = this.stateOf(event.tenantId, name)
    switch (event.kind) {
      case 'queued':
        state.note = `queued (${event.position} ahead)`
        this.plain(`${name}: queued, ${plural(event.position, 'sync')} ahead`)
        break
      case 'started':
        state.total = event.policyTypes.length
        state.note = undefined
        this.plain(`${name}: run ${event.runId} started, ${plural(event.policyTypes.length, 'policy type')}`)
        break
      case 'type_started':
        state.current = this.label(event.policyType)
        break
      case 'page_stored':
        state.items = event.runObserved
        break
      case 'throttled':
        state.note = `throttled (HTTP ${event.status}), waiting ${event.waitSeconds} s`
        this.plain(
          `${name}: throttled by Graph (HTTP ${event.status}), waiting ${event.waitSeconds} s as asked`
        )
        break
      case 'type_finished':
        state.done++
        state.note = undefined
        if (event.status !== 'complete') state.failed++
        this.plain(
          `${name}: ${this.label(event.policyType)} ${event.status}, ${plural(event.observed, 'object')}` +
            (event.errorCode ? ` (${event.errorCode})` : '')
        )
        break
      case 'finished':
        state.items = event.itemsObserved
        this.clear()
        this.out.write(
          `${safeText(name)}: ${event.status}, ${plural(event.itemsObserved, 'object')} observed` +
            (event.errorCodes.length ? ` [${event.errorCodes.join(', ')}]` : '') +
            '\n'
        )
        this.tenants.delete(event.tenantId)
        break
    }
    this.draw(event.kind === 'page_stored' || event.kind === 'type_started')
  }

  /** a message above the bar (Ctrl-C acknowledged, …) */
  note(message: string): void {
    this.clear()
    this.out.write(`${message}\n`)
    this.draw(false)
  }

  /** removes the bar before the command prints its summary */
  finish(): void {
    this.clear()
  }

  private stateOf(tenantId: string, name: string): TenantProgress {
    let state = this.tenants.get(tenantId)
    if (!state) {
      state = { name, total: 0, done: 0, failed: 0, items: 0 }
      this.tenants.set(tenantId, state)
    }
    return state
  }

  private plain(line: string): void {
    if (!this.opts.isTTY) this.out.write(`${safeText(line)}\n`)
  }

  private clear(): void {
    if (!this.opts.isTTY || !this.drawn) return
    this.out.write('\r\x1b[2K')
    this.drawn = false
  }

  private draw(frequent: boolean): void {
    if (!this.opts.isTTY || this.tenants.size === 0) return
    // pages arrive in bursts: redraw at most ~20 times a second
    const now = (this.opts.now ?? Date.now)()
    if (frequent && now - this.lastDraw < 50) return
    this.lastDraw = now
    const states = [...this.tenants.values()]
    const total = states.reduce((n, s) => n + s.total, 0)
    const done = states.reduce((n, s) => n + s.done, 0)
    const items = states.reduce((n, s) => n + s.items, 0)
    const failed = states.reduce((n, s) => n + s.failed, 0)
    const barWidth = 24
    const filled = total ? Math.round((done / total) * barWidth) : 0
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]`
    const who = states.length === 1 ? safeText(states[0]?.name) : `${states.length} tenants`
    const detail = states.find((s) => s.note)?.note ?? states.find((s) => s.current)?.current ?? 'starting'
    const text =
      `${who} ${bar} ${done}/${total || '?'} types · ${plural(items, 'object')}` +
      (failed ? ` · ${failed} not collected` : '') +
      ` · ${safeText(detail)}`
    this.out.write(`\r\x1b[2K${truncate(text, Math.max(20, (this.opts.width || 100) - 1))}`)
    this.drawn = true
  }
}
