/**
 * Messages between the API thread (main process) and the sync worker thread. Everything here is
 * structured-clone data: no functions, no class instances. Secrets never cross: the worker asks the API
 * thread for access tokens (the credential stays with the token provider) and fetches Graph itself.
 */
import { z } from 'zod'
import { tenantAuthConfigSchema } from '../auth/token-provider'
import type { LimiterOptions } from '../concurrency/limiter'
import { AtlasError } from '../../domain/error-codes'
import { RUN_TRIGGERS, runSummarySchema } from '../../domain/run'
import { normalizedSelectionSchema } from '../../domain/selection'
import { syncEventSchema } from '../../domain/sync-event'
import { AnyErrorCode, Id } from '../../domain/wire-fields'
import type { LockOwner } from '../../db/repositories/locks-repo'
import type { SyncOptions } from '../inventory/sync-service'
import type { GraphClientOptions } from '../graph/graph-client'
import { connectionReportSchema } from '../tenants/preflight'
import type { Logger } from '../util/logger'
import { serializeError } from './thread-calls'

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

const CallId = z.int().nonnegative()

const serializedErrorSchema = z.object({
  code: AnyErrorCode.optional(),
  name: z.string(),
  message: z.string()
})
export type SerializedError = z.infer<typeof serializedErrorSchema>

/** API thread → worker */
const toWorkerSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('start'),
    requestId: Id,
    tenantId: Id,
    selection: normalizedSelectionSchema,
    trigger: z.enum(RUN_TRIGGERS)
  }),
  z.object({ t: z.literal('cancel'), requestId: Id }),
  // "Test connection": probed by the worker's Graph client, so it honours the tenant's pause and pacer
  z.object({
    t: z.literal('test-connection'),
    callId: CallId,
    tenantId: Id,
    policyTypes: z.array(z.string()).optional()
  }),
  // a tenant was removed or its credential changed: drop its cached token
  z.object({ t: z.literal('forget-tenant'), tenantKey: Id }),
  z.object({
    t: z.literal('token-reply'),
    callId: CallId,
    token: z.string().optional(),
    error: serializedErrorSchema.optional()
  }),
  z.object({ t: z.literal('close') })
])
export type ToWorker = z.infer<typeof toWorkerSchema>

/** worker → API thread */
const fromWorkerSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready') }),
  z.object({ t: z.literal('event'), event: syncEventSchema }),
  z.object({ t: z.literal('done'), requestId: Id, summary: runSummarySchema }),
  z.object({ t: z.literal('start-failed'), requestId: Id, error: serializedErrorSchema }),
  z.object({
    t: z.literal('connection-report'),
    callId: CallId,
    report: connectionReportSchema.optional(),
    error: serializedErrorSchema.optional()
  }),
  z.object({
    t: z.literal('token'),
    callId: CallId,
    cfg: tenantAuthConfigSchema,
    opts: z.object({ forceRefresh: z.boolean().optional(), correlationId: z.string().optional() })
  }),
  z.object({
    t: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    obj: z.record(z.string(), z.unknown()),
    msg: z.string().optional()
  }),
  z.object({ t: z.literal('closed') })
])
export type FromWorker = z.infer<typeof fromWorkerSchema>

/** A message that does not match the protocol: which direction, what kind, and the first bad field. */
export class ProtocolError extends AtlasError {
  /** the request or call the message belonged to, when it names one (so its waiter can be answered) */
  readonly about: { requestId?: string; callId?: number } = {}

  constructor(direction: string, raw: unknown, error: z.ZodError) {
    const kind = isObject(raw) && typeof raw.t === 'string' ? `'${raw.t}'` : 'without a type'
    const issue = error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    super('INTERNAL', `Malformed ${direction} message ${kind}${where}: ${issue?.message ?? 'invalid'}`)
    this.name = 'ProtocolError'
    if (isObject(raw) && typeof raw.requestId === 'string') this.about.requestId = raw.requestId
    if (isObject(raw) && typeof raw.callId === 'number') this.about.callId = raw.callId
  }
}

/** The receiving end of the channel: where a message goes, how to answer its sender, where to log. */
export interface Receiver<In, Out> {
  handle(msg: In): void
  reply(msg: Out): void
  logger: Pick<Logger, 'error'>
}

/** Worker: a message from the API thread, checked, then handled. */
export function receiveToWorker(raw: unknown, side: Receiver<ToWorker, FromWorker>): void {
  receive<ToWorker, FromWorker>(
    raw,
    toWorkerSchema,
    'API thread → worker',
    side,
    (t, { requestId, callId }, error) => {
      if (t === 'start' && requestId !== undefined) return { reply: { t: 'start-failed', requestId, error } }
      if (t === 'test-connection' && callId !== undefined)
        return { reply: { t: 'connection-report', callId, error } }
      if (t === 'token-reply' && callId !== undefined) return { handle: { t: 'token-reply', callId, error } }
      return undefined
    }
  )
}

/** API thread: a message from the worker, checked, then handled. */
export function receiveFromWorker(raw: unknown, side: Receiver<FromWorker, ToWorker>): void {
  receive<FromWorker, ToWorker>(
    raw,
    fromWorkerSchema,
    'worker → API thread',
    side,
    (t, { requestId, callId }, error) => {
      if ((t === 'done' || t === 'start-failed') && requestId !== undefined)
        return { handle: { t: 'start-failed', requestId, error } }
      if (t === 'connection-report' && callId !== undefined)
        return { handle: { t: 'connection-report', callId, error } }
      if (t === 'token' && callId !== undefined) return { reply: { t: 'token-reply', callId, error } }
      return undefined
    }
  )
}

/**
 * A malformed message is never acted on: it is logged, and the request or call it names fails with the
 * reason, so nothing waits for it forever: by the answer its sender waits for (`reply`), or, when the
 * waiter is on this side, as if that answer had come (`handle`).
 */
function receive<In, Out>(
  raw: unknown,
  schema: z.ZodType<In>,
  direction: string,
  side: Receiver<In, Out>,
  failure: (
    t: unknown,
    about: ProtocolError['about'],
    error: SerializedError
  ) => { handle: In } | { reply: Out } | undefined
): void {
  const parsed = schema.safeParse(raw)
  if (parsed.success) return side.handle(parsed.data)
  const err = new ProtocolError(direction, raw, parsed.error)
  side.logger.error({ err: err.message }, `malformed ${direction} message`)
  const answer = failure(isObject(raw) ? raw.t : undefined, err.about, serializeError(err))
  if (answer && 'reply' in answer) side.reply(answer.reply)
  else if (answer) side.handle(answer.handle)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null
}
