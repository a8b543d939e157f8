import type { RunSummary } from '../../domain/run'
import type { SyncEvent } from '../../domain/sync-event'

// defined in domain/ so that the tenants overview (main/tenants) can follow them without importing the engine
export type { SyncEvent, SyncEventListener } from '../../domain/sync-event'

/** The one terminal event of a request, built from the run as stored. */
export function finishedEvent(requestId: string, run: RunSummary): Extract<SyncEvent, { kind: 'finished' }> {
  return {
    kind: 'finished',
    requestId,
    tenantId: run.tenantId,
    runId: run.id,
    status: run.status,
    hadErrors: run.hadErrors,
    errorCodes: run.errorCodes,
    itemsObserved: run.itemsObservedCount,
    itemsUpserted: run.itemsUpsertedCount
  }
}
