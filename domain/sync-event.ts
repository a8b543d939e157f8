import { z } from 'zod'
import { RUN_STATUSES, typeOutcomeSchema } from './run'
import { AnyErrorCode, Count, Id, Iso, RunId } from './wire-fields'

const ids = { requestId: Id, tenantId: Id, runId: RunId }

/**
 * Progress of a sync as a stream of small, serializable updates. The renderer can always re-query the
 * run (it is state in the DB); events only make the UI live. `requestId` identifies a sync request from
 * the moment it is queued (before a run row exists); `runId` appears once the run is created.
 */
export const syncEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queued'), requestId: Id, tenantId: Id, position: Count }),
  z.object({
    kind: z.literal('started'),
    ...ids,
    correlationId: z.string(),
    policyTypes: z.array(z.string())
  }),
  z.object({ kind: z.literal('type_started'), ...ids, policyType: z.string() }),
  z.object({
    kind: z.literal('page_stored'),
    ...ids,
    policyTypes: z.array(z.string()),
    pageIndex: Count,
    items: Count,
    runObserved: Count
  }),
  z.object({
    kind: z.literal('throttled'),
    ...ids,
    status: z.int(),
    waitSeconds: z.number().nonnegative(),
    /** when the tenant may be asked again (ISO), so a window counts down with its own clock */
    retryAt: Iso,
    /** the run's policy types behind the throttled collection (empty when not known) */
    policyTypes: z.array(z.string()),
    attempt: Count
  }),
  z.object({
    kind: z.literal('type_finished'),
    ...ids,
    policyType: z.string(),
    status: typeOutcomeSchema.shape.status,
    observed: Count,
    pages: Count,
    errorCode: AnyErrorCode.optional()
  }),
  z.object({
    kind: z.literal('finished'),
    ...ids,
    status: z.enum(RUN_STATUSES),
    hadErrors: z.boolean(),
    errorCodes: z.array(AnyErrorCode),
    itemsObserved: Count,
    itemsUpserted: Count
  })
])
export type SyncEvent = z.infer<typeof syncEventSchema>

export type SyncEventListener = (event: SyncEvent) => void
