import type { ErrorCode } from './error-codes'
import type { NormalizedSelection } from './selection'

export const RUN_STATUSES = ['running', 'success', 'partial', 'failed', 'skipped'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['success', 'partial', 'failed', 'skipped']

export const RUN_TRIGGERS = ['button', 'cli', 'demo', 'test', 'api'] as const
export type RunTrigger = (typeof RUN_TRIGGERS)[number]

/** Outcome of one policy type inside a run. */
export type TypeOutcomeStatus = 'pending' | 'running' | 'complete' | 'failed' | 'skipped'

export interface TypeOutcome {
  status: TypeOutcomeStatus
  /** pages stored (including empty pages) */
  pages: number
  /** valid items observed and stored */
  observed: number
  /** items skipped because Graph sent something unusable (no id, not an object) */
  skippedItems: number
  /** ids that appeared twice in one enumeration (paging shifted under us) */
  duplicateItems: number
  /** meta keys dropped because they are not on the type's whitelist */
  droppedKeys: number
  /** string values cut to the size limit */
  truncatedValues: number
  errorCode?: ErrorCode
  /** redacted, human readable */
  errorMessage?: string
  /** scopes Graph named in a 403, if any */
  missingScopes?: string[]
}

export interface RunCounts {
  itemsObserved: number
  itemsUpserted: number
  errors: number
}

export interface RunSummary {
  id: number
  tenantId: string
  selectionHash: string
  selection: NormalizedSelection
  status: RunStatus
  hadErrors: boolean
  errorCodes: ErrorCode[]
  errorContext: Record<string, unknown>
  itemsObservedCount: number
  itemsUpsertedCount: number
  errorsCount: number
  typeOutcomes: Record<string, TypeOutcome>
  correlationId: string
  trigger: RunTrigger
  startedAt: string
  finishedAt: string | null
}

export function emptyTypeOutcome(): TypeOutcome {
  return {
    status: 'pending',
    pages: 0,
    observed: 0,
    skippedItems: 0,
    duplicateItems: 0,
    droppedKeys: 0,
    truncatedValues: 0
  }
}
