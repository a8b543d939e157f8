import type { RunSummary } from './atlas-client'

/** The states of ui-design.md §4; components/StatusBadge.tsx owns how each one looks and is worded. */
export type Status =
  | 'success'
  | 'partial'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  | 'abandoned'
  | 'running'
  | 'pending'
  | 'queued'
  | 'throttled'
  | 'not_collected'
  | 'not_selected'
  | 'absent'
  | 'low_confidence'
  | 'normal_confidence'
  | 'idle'
  | 'readable'
  | 'missing_permission'
  | 'not_licensed'
  | 'never'

/**
 * A run as the user thinks of it. The engine stores a cancelled or interrupted run as `failed` with the
 * CANCELLED / ABANDONED code: those were the user's or the machine's doing, not the tenant's.
 */
export function runStatus(run: Pick<RunSummary, 'status' | 'errorCodes'>): Status {
  if (run.errorCodes.includes('CANCELLED')) return 'cancelled'
  if (run.errorCodes.includes('ABANDONED')) return 'abandoned'
  return run.status
}

/** The short reason after the word: "4 types not collected", "AUTH_INVALID_SECRET", "by you". */
export function runDetail(
  run: Pick<RunSummary, 'status' | 'errorCodes'>,
  typesNotCollected: number
): string | undefined {
  const status = runStatus(run)
  if (status === 'cancelled') return 'by you'
  if (status === 'abandoned') return 'app closed'
  if (status === 'partial')
    return `${typesNotCollected} ${typesNotCollected === 1 ? 'type' : 'types'} not collected`
  if (status === 'failed' || status === 'skipped') return run.errorCodes[0]
  return undefined
}

/** Types a run did not collect (failed or skipped), from its per-type outcomes. */
export function notCollectedCount(run: Pick<RunSummary, 'typeOutcomes'>): number {
  return Object.values(run.typeOutcomes).filter((o) => o.status === 'failed' || o.status === 'skipped').length
}

/**
 * The engine's confidence rule in words ("low: the latest run was partial, 1 type not collected") as a
 * sentence for the window: the engine's level word goes, because the badge beside the sentence already
 * says it in the window's vocabulary (Low / Normal confidence), and "high:" next to "Normal" contradicts it.
 */
export function confidenceSentence(reason: string): string {
  const words = reason.replace(/^(?:high|low|unknown): /, '')
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`
}
