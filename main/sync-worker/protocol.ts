/**
 * Messages between the API thread (main process) and the sync worker thread. Everything here is
 * structured-clone data: no functions, no class instances. Secrets never cross: the worker asks the API
 * thread for access tokens (the credential stays with the token provider) and fetches Graph itself.
 */
import { z } from 'zod'
import { tenantAuthConfigSchema } from '../auth/token-provider'
import type { LimiterOptions } from '../concurrency/limiter'
import { RUN_TRIGGERS } from '../../domain/run'
import { normalizedSelectionSchema } from '../../domain/selection'
import { syncEventSchema } from '../../domain/sync-event'
import { Id } from '../../domain/wire-fields'
import type { LockOwner } from '../../db/repositories/locks-repo'
import type { SyncOptions } from '../inventory/sync-service'
import type { GraphClientOptions } from '../graph/graph-client'
import type { Logger } from '../util/logger'
import { answerSchema, CallId, ProtocolError, serializeError, type Answer } from './thread-calls'

/** workerData carries it: a worker script started for anything else does nothing. */
export const WORKER_MARKER = 'tenant-atlas-sync-worker'

/** workerData of a new sync worker. */
export interface WorkerConfig {
  /** database file (not a folder): the worker opens its own connection to it */
  databaseFile: string
  /** this worker's own script: it starts its page writer thread from the same file (role 'page-writer') */
  entry: string
  /** lock owner identity of this worker (its own instance id, so a dead worker's locks can be reclaimed) */
  owner: LockOwner
  limits: Omit<LimiterOptions, 'clock'>
  sync: SyncOptions
  graph: Pick<GraphClientOptions, 'pacing' | 'retry' | 'maxResponseBytes' | 'requestTimeoutMs'>
  /** loopback routes of the worker's own fetch (the demo simulator, test fakes); other origins: the network */
  routes: GraphRoutes
  /**
   * Instances of earlier workers of this engine (same process) that died: their locks are dead. The worker
   * cannot ask the API thread's registry of live instances, and without this only the lease expiry would say.
   */
  lostInstances: string[]
}

/** Origin → base URL of a loopback server, as routingFetch takes them. */
export type GraphRoutes = Record<string, string>

// ---- Parsed on receipt --------------------------------------------------------------------------------
// Both threads run code from one build, so a malformed message means a bug (or a version mix-up of the
// worker script): it must fail as a clear error naming the field, not as an undefined deep in the engine.
// The data inside a message (run summary, sync event, connection report) has its schema beside its type.
// A call carries a `callId` and is answered once by an 'answer' (thread-calls.ts).

/** API thread → worker */
const toWorkerSchema = z.discriminatedUnion('t', [
  // a call: answered with the run as recorded
  z.object({
    t: z.literal('start'),
    callId: CallId,
    requestId: Id,
    tenantId: Id,
    selection: normalizedSelectionSchema,
    trigger: z.enum(RUN_TRIGGERS)
  }),
  z.object({ t: z.literal('cancel'), requestId: Id }),
  // a call, "Test connection": probed by the worker's Graph client, so it honours the tenant's pause and pacer
  z.object({
    t: z.literal('test-connection'),
    callId: CallId,
    tenantId: Id,
    policyTypes: z.array(z.string()).optional()
  }),
  // a tenant was removed or its credential changed: drop its cached token
  z.object({ t: z.literal('forget-tenant'), tenantKey: Id }),
  answerSchema,
  z.object({ t: z.literal('close') })
])
export type ToWorker = z.infer<typeof toWorkerSchema>

/** worker → API thread */
const fromWorkerSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready') }),
  z.object({ t: z.literal('event'), event: syncEventSchema }),
  // a call: answered with an access token
  z.object({
    t: z.literal('token'),
    callId: CallId,
    cfg: tenantAuthConfigSchema,
    opts: z.object({ forceRefresh: z.boolean().optional(), correlationId: z.string().optional() })
  }),
  answerSchema,
  z.object({
    t: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    obj: z.record(z.string(), z.unknown()),
    msg: z.string().optional()
  }),
  z.object({ t: z.literal('closed') })
])
export type FromWorker = z.infer<typeof fromWorkerSchema>

/** The receiving end of the channel: where a message goes, how to answer its sender, where to log. */
export interface Receiver<In, Out> {
  handle(msg: In): void
  reply(msg: Out): void
  logger: Pick<Logger, 'error'>
}

/** Worker: a message from the API thread, checked, then handled. */
export const receiveToWorker = (raw: unknown, side: Receiver<ToWorker, FromWorker>): void =>
  receive(raw, toWorkerSchema, 'API thread → worker', side)

/** API thread: a message from the worker, checked, then handled. */
export const receiveFromWorker = (raw: unknown, side: Receiver<FromWorker, ToWorker>): void =>
  receive(raw, fromWorkerSchema, 'worker → API thread', side)

/** What a malformed message still says: its kind and its call (only calls and answers carry a callId). */
const envelope = z.object({ t: z.string().catch(''), callId: CallId.optional().catch(undefined) })

/**
 * A malformed message is never acted on: it is logged, and the call it belongs to fails with the reason,
 * so nothing waits for it forever: a call by an answer to its sender, an answer as if it had been an error.
 */
function receive<In, Out>(
  raw: unknown,
  schema: z.ZodType<In>,
  direction: string,
  side: Receiver<In | Answer, Out | Answer>
): void {
  const parsed = schema.safeParse(raw)
  if (parsed.success) return side.handle(parsed.data)
  const { t, callId } = envelope.safeParse(raw).data ?? {}
  const err = new ProtocolError(`${direction} message ${t ? `'${t}'` : 'without a type'}`, parsed.error)
  side.logger.error({ err: err.message }, `malformed ${direction} message`)
  if (callId === undefined) return
  const answer: Answer = { t: 'answer', callId, error: serializeError(err) }
  if (t === 'answer') side.handle(answer)
  else side.reply(answer)
}
