/**
 * Every number, date and duration the window shows goes through here, so they all follow the user's
 * locale and time zone (the page's Intl defaults) and read the same everywhere.
 */
const countFormat = new Intl.NumberFormat()
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

/** 12345 → "12,345" (or "12 345", "12.345"… per locale). */
export function formatCount(n: number): string {
  return countFormat.format(n)
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const t = Date.parse(iso)
  return Number.isNaN(t) ? '—' : dateTimeFormat.format(t)
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000]
]

/** "3 hours ago", "yesterday", "now": the age of an observation relative to `now`. */
export function formatAge(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return '—'
  const diff = t - now
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relativeFormat.format(Math.round(diff / ms), unit)
  }
  return relativeFormat.format(0, 'minute')
}

/** 65_000 ms → "1 min 5 s"; under a second → "< 1 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return '< 1 s'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

export function runDuration(startedAt: string, finishedAt: string | null): string {
  if (!finishedAt) return '—'
  return formatDuration(Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)))
}

/** "1 type" / "3 types". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

// The engine's rule (domain/unsafe-text.ts; the page may import only the contract, so it keeps this copy,
// held equal by test/unit/unsafe-text.test.ts): controls, separators and bidi overrides, which would
// reorder or hide what is read. \r\n first, so a Windows line break shows as one ⏎.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this names
const INVISIBLE = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** Whether text holds such a character (names the user types are refused with one). */
export function hasUnsafeText(text: string): boolean {
  // search() ignores the global regex's lastIndex
  return text.search(INVISIBLE) !== -1
}

const SHOWN_AS: Readonly<Record<string, string>> = { '\r\n': '⏎', '\n': '⏎', '\r': '⏎', '\t': '⇥' }

/**
 * A name from a client tenant, exactly as Graph returned it but with nothing invisible: a line break shows
 * as ⏎ and a tab as ⇥ (so "Line one⏎Line two" keeps its words apart on one row), other control characters
 * and bidi overrides as U+FFFD (a right-to-left override must not make "gnp.exe" read "exe.png").
 */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (ch) => SHOWN_AS[ch] ?? '\ufffd')
}
