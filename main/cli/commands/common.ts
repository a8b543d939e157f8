import type { AtlasApi, TenantView } from '../../app/atlas-api'
import { AtlasError } from '../../../domain/error-codes'
import type { RunSummary, TypeOutcome } from '../../../domain/run'
import type { CliContext } from '../context'
import { exitCodeForError, exitCodeForRun, EXIT, worstExitCode } from '../exit-codes'
import { hintFor } from '../error-hints'
import { plural, safeText, SyncProgress } from '../output'

/** Options shared by commands that take a selection (sync, missing, export). */
export interface SelectionFlags {
  types?: string[]
  categories?: string[]
}

/** commander argument parser for `a,b` lists; repeating the flag appends */
export function listFlag(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  return [...(previous ?? []), ...items]
}

/** A tenant as it appears in JSON output next to its data: id and name, never credentials. */
export function tenantRef(t: Pick<TenantView, 'id' | 'displayName'>): { id: string; displayName: string } {
  return { id: t.id, displayName: t.displayName }
}

/**
 * The selection a command works on. Without flags: every category (the scope the desktop app syncs by
 * default), so `sync` and `missing` without flags talk about the same runs. Unknown keys are refused here
 * with the list of valid ones, before the engine sees them.
 */
export function selectionFrom(
  api: AtlasApi,
  flags: SelectionFlags
): { policy_types?: string[]; categories?: string[] } {
  const categories = api.listCategories()
  if (!flags.types?.length && !flags.categories?.length) return { categories: categories.map((c) => c.key) }
  const knownTypes = new Set(api.listPolicyTypes().map((t) => t.key))
  const knownCategories = new Set(categories.map((c) => c.key as string))
  for (const t of flags.types ?? []) {
    if (!knownTypes.has(t)) {
      throw new AtlasError('INVALID_INPUT', `Unknown policy type "${t}"; \`tenant-atlas types\` lists them.`)
    }
  }
  for (const c of flags.categories ?? []) {
    if (!knownCategories.has(c)) {
      throw new AtlasError(
        'INVALID_INPUT',
        `Unknown category "${c}"; valid: ${[...knownCategories].join(', ')}.`
      )
    }
  }
  return {
    ...(flags.types?.length ? { policy_types: flags.types } : {}),
    ...(flags.categories?.length ? { categories: flags.categories } : {})
  }
}

/** `--tenant` or `--all`, exactly one. */
export function tenantsFrom(api: AtlasApi, opts: { tenant?: string; all?: boolean }): TenantView[] {
  if (opts.tenant && opts.all)
    throw new AtlasError('INVALID_INPUT', 'Use either --tenant or --all, not both.')
  if (opts.tenant) return [api.getTenant(opts.tenant)]
  if (!opts.all) throw new AtlasError('INVALID_INPUT', 'Say which tenant: --tenant <name or id>, or --all.')
  const all = api.listTenants()
  if (all.length === 0)
    throw new AtlasError('INVALID_INPUT', 'No tenants yet: add one with `tenant-atlas tenants add`.')
  return all
}

/**
 * The policy types' human labels for the tables of human output, as the window shows them: both read the
 * registry's labels through the API (`listPolicyTypes`, the window's `registry:types`), so the command
 * modules load no registry at start. JSON output keeps the keys; an unknown key is shown as itself.
 */
export function typeLabels(api: Pick<AtlasApi, 'listPolicyTypes'>): (key: string) => string {
  const labels = new Map(api.listPolicyTypes().map((t) => [t.key, t.label]))
  return (key) => labels.get(key) ?? key
}

export function notCollectedOf(
  run: Pick<RunSummary, 'typeOutcomes'>
): Array<{ policyType: string } & TypeOutcome> {
  return Object.entries(run.typeOutcomes)
    .filter(([, o]) => o.status !== 'complete')
    .map(([policyType, o]) => ({ policyType, ...o }))
}

export interface SyncResult {
  tenant: TenantView
  exitCode: number
  run: RunSummary | null
  error: { code: string; message: string } | null
}

/**
 * Starts one sync per tenant (the engine queues and limits them), shows progress and waits for all of them.
 * Ctrl-C cancels every sync through the API and waits until the cancelled runs are recorded, so the
 * database never holds a run that looks alive; the command then exits 130.
 */
export async function runSyncs(
  ctx: CliContext,
  tenants: TenantView[],
  start: (tenant: TenantView) => string
): Promise<{ results: SyncResult[]; interrupted: boolean }> {
  const api = ctx.atlas()
  // --json is for programs: the document on stdout is the whole answer, so no progress at all
  const progress = new SyncProgress(ctx.json ? { write: () => undefined } : ctx.io.stderr, {
    isTTY: ctx.io.isTTY,
    width: ctx.io.columns,
    names: new Map(tenants.map((t) => [t.id, t.displayName])),
    typeLabel: typeLabels(api)
  })
  const unsubscribe = api.onSyncEvent((e) => progress.onEvent(e))
  const requests = new Map<string, string>()
  let interrupted = false
  const cancelAll = (): void => {
    if (interrupted) return
    interrupted = true
    progress.note('Cancelling: waiting for the running syncs to stop and be recorded…')
    for (const requestId of requests.values()) api.cancelSync(requestId)
  }
  const stopListening = (ctx.io.onInterrupt ?? onSigint)(cancelAll)
  try {
    const pending = tenants.map(async (tenant): Promise<SyncResult> => {
      try {
        if (interrupted) throw new AtlasError('CANCELLED', 'Cancelled before it started.')
        const requestId = start(tenant)
        requests.set(tenant.id, requestId)
        const run = await api.waitForSync(requestId)
        return { tenant, run, exitCode: exitCodeForRun(run), error: null }
      } catch (err) {
        const code = err instanceof AtlasError ? err.code : 'INTERNAL'
        const message = err instanceof Error ? err.message : String(err)
        return { tenant, run: null, exitCode: exitCodeForError(err), error: { code, message } }
      }
    })
    const results = await Promise.all(pending)
    return { results, interrupted }
  } finally {
    stopListening()
    unsubscribe()
    progress.finish()
  }
}

export function exitCodeOfSyncs(outcome: { results: SyncResult[]; interrupted: boolean }): number {
  if (outcome.interrupted) return EXIT.INTERRUPTED
  return worstExitCode(outcome.results.map((r) => r.exitCode))
}

function onSigint(handler: () => void): () => void {
  process.on('SIGINT', handler)
  return () => process.off('SIGINT', handler)
}

export interface NotCollectedLine {
  policyType: string
  label?: string
  status?: string
  errorCode?: string | null
  errorMessage?: string | null
}

/**
 * The "not collected" part of a summary, grouped by error code: one 403 reads as the type, its message and
 * the fix; a cancelled run over 39 types reads as one line, not 39 identical paragraphs.
 */
export function renderNotCollected(lines: NotCollectedLine[], indent = '  '): string {
  const groups = new Map<string, NotCollectedLine[]>()
  for (const l of lines) {
    const key = l.errorCode ?? l.status ?? 'not collected'
    groups.set(key, [...(groups.get(key) ?? []), l])
  }
  let text = ''
  for (const [code, group] of groups) {
    const hint = hintFor(code)
    if (group.length <= 3) {
      for (const l of group) {
        text += `${indent}${l.policyType}${l.label ? ` (${safeText(l.label)})` : ''}: ${l.status ? `${l.status} ` : ''}[${code}]\n`
        if (l.errorMessage) text += `${indent}  ${safeText(l.errorMessage)}\n`
      }
    } else {
      const names = group.map((l) => l.policyType)
      const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? `, … (${names.length - 4} more)` : '')
      text += `${indent}[${code}] ${plural(group.length, 'policy type')}: ${shown}\n`
      if (group[0]?.errorMessage) text += `${indent}  e.g. ${safeText(group[0].errorMessage)}\n`
    }
    if (hint) text += `${indent}  → ${hint}\n`
  }
  return text
}
