import type { ErrorCode } from './error-codes'
import type { RunStatus, TypeOutcomeStatus } from './run'

/**
 * Progress of a sync as a stream of small, serializable updates. The renderer can always re-query the
 * run (it is state in the DB); events only make the UI live. `requestId` identifies a sync request from
 * the moment it is queued (before a run row exists); `runId` appears once the run is created.
 */
export type SyncEvent =
  | { kind: 'queued'; requestId: string; tenantId: string; position: number }
  | {
      kind: 'started'
      requestId: string
      tenantId: string
      runId: number
      correlationId: string
      policyTypes: string[]
    }
  | { kind: 'type_started'; requestId: string; tenantId: string; runId: number; policyType: string }
  | {
      kind: 'page_stored'
      requestId: string
      tenantId: string
      runId: number
      policyTypes: string[]
      pageIndex: number
      items: number
      runObserved: number
    }
  | {
      kind: 'throttled'
      requestId: string
      tenantId: string
      runId: number
      status: number
      waitSeconds: number
      /** when the tenant may be asked again (ISO), so a window counts down with its own clock */
      retryAt: string
      /** the run's policy types behind the throttled collection (empty when not known) */
      policyTypes: string[]
      attempt: number
    }
  | {
      kind: 'type_finished'
      requestId: string
      tenantId: string
      runId: number
      policyType: string
      status: TypeOutcomeStatus
      observed: number
      pages: number
      errorCode?: ErrorCode
    }
  | {
      kind: 'finished'
      requestId: string
      tenantId: string
      runId: number
      status: RunStatus
      hadErrors: boolean
      errorCodes: ErrorCode[]
      itemsObserved: number
      itemsUpserted: number
    }

export type SyncEventListener = (event: SyncEvent) => void
