import type { ErrorCode } from '../domain/error-codes'
import type { RunStatus, RunSummary, RunTrigger, TypeOutcome } from '../domain/run'
import type { NormalizedSelection } from '../domain/selection'
import type { inventorySyncRuns } from './schema'

/**
 * A row of inventory_sync_runs and the RunSummary it means. No ORM at run time here (the schema import is
 * a type): the CLI's quick read path maps its plain SQLite rows with the same function as the repository.
 */
export type RunRow = typeof inventorySyncRuns.$inferSelect

/** Every field of RunRow with its SQL column: a raw SELECT that aliases these reads rows RunRow-shaped. */
export const RUN_COLUMNS = {
  id: 'id',
  tenantId: 'tenant_id',
  selectionHash: 'selection_hash',
  selectionPayload: 'selection_payload',
  status: 'status',
  hadErrors: 'had_errors',
  errorCodes: 'error_codes',
  errorContext: 'error_context',
  itemsObservedCount: 'items_observed_count',
  itemsUpsertedCount: 'items_upserted_count',
  errorsCount: 'errors_count',
  typeOutcomes: 'type_outcomes',
  correlationId: 'correlation_id',
  trigger: 'trigger',
  startedAt: 'started_at',
  finishedAt: 'finished_at'
} as const satisfies Record<keyof RunRow, string>

export function toRunSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    tenantId: row.tenantId,
    selectionHash: row.selectionHash,
    selection: JSON.parse(row.selectionPayload) as NormalizedSelection,
    status: row.status as RunStatus,
    hadErrors: row.hadErrors,
    errorCodes: JSON.parse(row.errorCodes) as ErrorCode[],
    errorContext: JSON.parse(row.errorContext) as Record<string, unknown>,
    itemsObservedCount: row.itemsObservedCount,
    itemsUpsertedCount: row.itemsUpsertedCount,
    errorsCount: row.errorsCount,
    typeOutcomes: JSON.parse(row.typeOutcomes) as Record<string, TypeOutcome>,
    correlationId: row.correlationId,
    trigger: row.trigger as RunTrigger,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt
  }
}
