import type { LocksRepo } from '../../db/repositories/locks-repo'
import { toRunSummary, type RunFinish, type RunsRepo } from '../../db/repositories/runs-repo'
import type { ErrorCode } from '../../domain/error-codes'
import type { RunSummary, TypeOutcome } from '../../domain/run'
import { isoTime, type Clock } from '../util/clock'

/**
 * Closing runs whose engine stopped (kill -9, a crashed sync worker, a lease that lapsed): one
 * implementation for the engine (a lock it reclaims), a new engine at start, and the API thread when its
 * sync worker dies and it must answer the waiters with the stored run.
 */
export interface LedgerDeps {
  runs: RunsRepo
  locks: LocksRepo
  clock: Clock
}

/**
 * The verdict of a finished run from its per-type outcomes (pure): 'success' when every type completed and
 * nothing was fatal, 'partial' when some type completed, else 'failed'. The error codes are the fatal one,
 * each type's, and the item-level warnings (skipped or duplicate items).
 */
export function runVerdict(
  outcomes: Record<string, TypeOutcome>,
  fatal: { code: ErrorCode; message: string } | undefined,
  requestIds: Record<string, string> = {}
): Pick<RunFinish, 'status' | 'hadErrors' | 'errorCodes' | 'errorContext' | 'errorsCount'> {
  const all = Object.values(outcomes)
  const complete = all.filter((o) => o.status === 'complete').length
  const codes = new Set<ErrorCode>()
  if (fatal) codes.add(fatal.code)
  for (const o of all) if (o.errorCode) codes.add(o.errorCode)
  if (all.some((o) => o.skippedItems > 0)) codes.add('GRAPH_ITEM_INVALID')
  if (all.some((o) => o.duplicateItems > 0)) codes.add('GRAPH_PAGING_INCONSISTENT')
  const status = complete === all.length && !fatal ? 'success' : complete > 0 ? 'partial' : 'failed'
  const errorsCount =
    all.filter((o) => o.status !== 'complete').length +
    all.reduce((n, o) => n + o.skippedItems + o.duplicateItems, 0)
  const errorContext: Record<string, unknown> = {}
  if (fatal) errorContext.fatal = { code: fatal.code, message: fatal.message }
  const typeErrors: Record<string, unknown> = {}
  for (const [key, o] of Object.entries(outcomes)) {
    if (o.errorCode) {
      typeErrors[key] = {
        code: o.errorCode,
        message: o.errorMessage,
        ...(o.missingScopes ? { missingScopes: o.missingScopes } : {}),
        ...(requestIds[key] ? { requestId: requestIds[key] } : {})
      }
    }
  }
  if (Object.keys(typeErrors).length > 0) errorContext.types = typeErrors
  return { status, hadErrors: codes.size > 0, errorCodes: [...codes].sort(), errorContext, errorsCount }
}

/**
 * The stored end of an abandoned run (pure): types that finished keep their outcome, the others failed
 * with ABANDONED; 'partial' when any type completed, else 'failed'.
 */
export function abandonedFinish(run: RunSummary, message: string, finishedAt: string): RunFinish {
  const outcomes: Record<string, TypeOutcome> = {}
  for (const [type, o] of Object.entries(run.typeOutcomes)) {
    outcomes[type] =
      o.status === 'complete' || o.status === 'skipped' || o.status === 'failed'
        ? o
        : { ...o, status: 'failed', errorCode: 'ABANDONED', errorMessage: message }
  }
  const complete = Object.values(outcomes).filter((o) => o.status === 'complete').length
  return {
    status: complete > 0 ? 'partial' : 'failed',
    hadErrors: true,
    errorCodes: ['ABANDONED'],
    errorContext: { fatal: { code: 'ABANDONED', message } },
    itemsObservedCount: run.itemsObservedCount,
    itemsUpsertedCount: run.itemsUpsertedCount,
    errorsCount: run.errorsCount + 1,
    typeOutcomes: outcomes,
    finishedAt
  }
}

/** Closes one run as ABANDONED if it is still running. */
export function abandonRun(deps: LedgerDeps, runId: number, message: string): void {
  const row = deps.runs.get(runId)
  if (!row || row.status !== 'running') return
  deps.runs.finish(runId, abandonedFinish(toRunSummary(row), message, isoTime(deps.clock.now())))
}

/**
 * Closes runs left 'running' by an engine that died: spec "ABANDONED at next start". A run is abandoned
 * when no live lock names it as holder (and this engine is not running it); its lock is released.
 */
export function recoverAbandoned(
  deps: LedgerDeps,
  runsHere: (runId: number) => boolean = () => false
): number[] {
  const nowIso = isoTime(deps.clock.now())
  const closed: number[] = []
  for (const run of deps.runs.listRunning()) {
    if (runsHere(run.id)) continue
    const lock = deps.locks.get(run.tenantId, run.selectionHash)
    const held = lock && lock.holderRunId === run.id && deps.locks.isLive(lock, nowIso)
    if (held) continue
    abandonRun(deps, run.id, 'The process running this sync stopped before it finished.')
    if (lock && lock.holderRunId === run.id) {
      deps.locks.release(run.tenantId, run.selectionHash, lock.fencingToken, nowIso)
    }
    closed.push(run.id)
  }
  return closed
}
