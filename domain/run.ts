import { z } from 'zod'
import { normalizedSelectionSchema } from './selection'
import { AnyErrorCode, Count, Id, Iso, RunId } from './wire-fields'

export const RUN_STATUSES = ['running', 'success', 'partial', 'failed', 'skipped'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['success', 'partial', 'failed', 'skipped']

export const RUN_TRIGGERS = ['button', 'cli', 'demo', 'test', 'api'] as const
export type RunTrigger = (typeof RUN_TRIGGERS)[number]

export const TYPE_OUTCOME_STATUSES = ['pending', 'running', 'complete', 'failed', 'skipped'] as const
export type TypeOutcomeStatus = (typeof TYPE_OUTCOME_STATUSES)[number]

/** Outcome of one policy type inside a run. */
export const typeOutcomeSchema = z.object({
  status: z.enum(TYPE_OUTCOME_STATUSES),
  /** pages stored (including empty pages) */
  pages: Count,
  /** valid items observed and stored */
  observed: Count,
  /** items skipped because Graph sent something unusable (no id, not an object) */
  skippedItems: Count,
  /** ids that appeared twice in one enumeration (paging shifted under us) */
  duplicateItems: Count,
  /** meta keys dropped because they are not on the type's whitelist */
  droppedKeys: Count,
  /** string values cut to the size limit */
  truncatedValues: Count,
  errorCode: AnyErrorCode.optional(),
  /** redacted, human readable */
  errorMessage: z.string().optional(),
  /** scopes Graph named in a 403, if any */
  missingScopes: z.array(z.string()).optional()
})
export type TypeOutcome = z.infer<typeof typeOutcomeSchema>

export interface RunCounts {
  itemsObserved: number
  itemsUpserted: number
  errors: number
}

/** One sync run as recorded (db/run-row.ts reads it back); the worker sends it when the run ends. */
export const runSummarySchema = z.object({
  id: RunId,
  tenantId: Id,
  selectionHash: z.string(),
  selection: normalizedSelectionSchema,
  status: z.enum(RUN_STATUSES),
  hadErrors: z.boolean(),
  errorCodes: z.array(AnyErrorCode),
  errorContext: z.record(z.string(), z.unknown()),
  itemsObservedCount: Count,
  itemsUpsertedCount: Count,
  errorsCount: Count,
  typeOutcomes: z.record(z.string(), typeOutcomeSchema),
  correlationId: z.string(),
  trigger: z.enum(RUN_TRIGGERS),
  startedAt: Iso,
  finishedAt: Iso.nullable()
})
export type RunSummary = z.infer<typeof runSummarySchema>

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
