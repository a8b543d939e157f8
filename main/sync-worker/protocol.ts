/**
 * Messages between the API thread (main process) and the sync worker thread. Everything here is
 * structured-clone data: no functions, no class instances. Secrets never cross: the worker asks the API
 * thread for access tokens (the credential stays with the token provider) and fetches Graph itself.
 */
import { z } from 'zod'
import type { TenantAuthConfig } from '../auth/token-provider'
import type { LimiterOptions } from '../concurrency/limiter'
import { AtlasError, ERROR_CODES, type ErrorCode } from '../../domain/error-codes'
import {
  RUN_STATUSES,
  RUN_TRIGGERS,
  type RunSummary,
  type RunTrigger,
  type TypeOutcome
} from '../../domain/run'
import type { NormalizedSelection } from '../../domain/selection'
import type { LockOwner } from '../../db/repositories/locks-repo'
import type { SyncEvent } from '../inventory/sync-events'
import type { SyncOptions } from '../inventory/sync-service'
import type { GraphClientOptions } from '../graph/graph-client'
import type { ConnectionReport } from '../tenants/preflight'

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
  network: WorkerNetwork
  /**
   * Instances of earlier workers of this engine (same process) that died: their locks are dead. The worker
   * cannot ask the API thread's registry of live instances, and without this only the lease expiry would say.
   */
  lostInstances: string[]
}

/**
 * How the worker reaches Graph: its own fetch, with loopback `routes` (origin → base URL, as routingFetch)
 * for the demo simulator and test fakes; every other origin goes to the network.
 */
export interface WorkerNetwork {
  routes?: Record<string, string>
}

export interface SerializedError {
  code?: ErrorCode
  name: string
  message: string
}

/** API thread → worker */
export type ToWorker =
  | { t: 'start'; requestId: string; tenantId: string; selection: NormalizedSelection; trigger: RunTrigger }
  | { t: 'cancel'; requestId: string }
  /** "Test connection": probed by the worker's Graph client, so it honours the tenant's pause and pacer */
  | { t: 'test-connection'; callId: number; tenantId: string; policyTypes?: string[] }
  /** a tenant was removed or its credential changed: drop its cached token */
  | { t: 'forget-tenant'; tenantKey: string }
  | { t: 'token-reply'; callId: number; token?: string; error?: SerializedError }
  | { t: 'close' }
  /** start the page writer thread now (the app at launch), so the first sync does not wait for it */
  | { t: 'warm' }

/** worker → API thread */
export type FromWorker =
  | { t: 'ready' }
  | { t: 'warmed' }
  | { t: 'event'; event: SyncEvent }
  | { t: 'done'; requestId: string; summary: RunSummary }
  | { t: 'start-failed'; requestId: string; error: SerializedError }
  | { t: 'connection-report'; callId: number; report?: ConnectionReport; error?: SerializedError }
  | {
      t: 'token'
      callId: number
      cfg: TenantAuthConfig
      opts: { forceRefresh?: boolean; correlationId?: string }
    }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; obj: Record<string, unknown>; msg?: string }
  | { t: 'closed' }

// ---- Parsed on receipt --------------------------------------------------------------------------------
// Both threads run code from one build, so a malformed message means a bug (or a version mix-up of the
// worker script): it must fail as a clear error naming the field, not as an undefined deep in the engine.

const Id = z.string().min(1).max(200)
const CallId = z.int().nonnegative()
const Count = z.number().int().nonnegative()
const Iso = z.string().min(1).max(64)
const errorCode = z.enum(ERROR_CODES)

const serializedErrorSchema = z.object({
  code: errorCode.optional(),
  name: z.string(),
  message: z.string()
}) satisfies z.ZodType<SerializedError>

const selectionSchema = z
  .object({
    categories: z.array(z.string()),
    include_dependencies: z.boolean(),
    include_foundations: z.boolean(),
    policy_types: z.array(z.string())
  })
  .strict() satisfies z.ZodType<NormalizedSelection>

const typeOutcomeSchema = z.object({
  status: z.enum(['pending', 'running', 'complete', 'failed', 'skipped']),
  pages: Count,
  observed: Count,
  skippedItems: Count,
  duplicateItems: Count,
  droppedKeys: Count,
  truncatedValues: Count,
  errorCode: errorCode.optional(),
  errorMessage: z.string().optional(),
  missingScopes: z.array(z.string()).optional()
}) satisfies z.ZodType<TypeOutcome>

const runSummarySchema = z.object({
  id: z.int().positive(),
  tenantId: Id,
  selectionHash: z.string(),
  selection: selectionSchema,
  status: z.enum(RUN_STATUSES),
  hadErrors: z.boolean(),
  errorCodes: z.array(errorCode),
  errorContext: z.record(z.string(), z.unknown()),
  itemsObservedCount: Count,
  itemsUpsertedCount: Count,
  errorsCount: Count,
  typeOutcomes: z.record(z.string(), typeOutcomeSchema),
  correlationId: z.string(),
  trigger: z.enum(RUN_TRIGGERS),
  startedAt: Iso,
  finishedAt: Iso.nullable()
}) satisfies z.ZodType<RunSummary>

const ids = { requestId: Id, tenantId: Id, runId: z.int().positive() }
const syncEventSchema = z.discriminatedUnion('kind', [
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
    retryAt: Iso,
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
    errorCode: errorCode.optional()
  }),
  z.object({
    kind: z.literal('finished'),
    ...ids,
    status: z.enum(RUN_STATUSES),
    hadErrors: z.boolean(),
    errorCodes: z.array(errorCode),
    itemsObserved: Count,
    itemsUpserted: Count
  })
]) satisfies z.ZodType<SyncEvent>

const typeAccess = z.enum(['readable', 'missing_permission', 'not_licensed', 'no_intune', 'error'])
const connectionReportSchema = z.object({
  tenantId: Id,
  checkedAt: Iso,
  auth: z.union([
    z.object({ ok: z.literal(true), grantedRoles: z.array(z.string()).nullable() }),
    z.object({ ok: z.literal(false), code: errorCode, message: z.string() })
  ]),
  adminConsentUrl: z.string(),
  types: z.array(
    z.object({
      policyType: z.string(),
      label: z.string(),
      access: typeAccess,
      requiredPermissions: z.array(z.string()),
      code: errorCode.optional(),
      missingScopes: z.array(z.string()).optional(),
      message: z.string().optional()
    })
  ),
  summary: z.record(typeAccess, Count)
}) satisfies z.ZodType<ConnectionReport>

const tenantAuthConfigSchema = z.object({
  tenantKey: Id,
  azureTenantId: z.string(),
  clientId: z.string(),
  cloud: z.enum(['global', 'usgov', 'usgovdod', 'china', 'custom']),
  custom: z.object({ authorityHost: z.string(), graphEndpoint: z.string() }).optional(),
  credential: z.object({ kind: z.enum(['secret', 'certificate']), secretRef: z.string() })
}) satisfies z.ZodType<TenantAuthConfig>

const toWorkerSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('start'),
    requestId: Id,
    tenantId: Id,
    selection: selectionSchema,
    trigger: z.enum(RUN_TRIGGERS)
  }),
  z.object({ t: z.literal('cancel'), requestId: Id }),
  z.object({
    t: z.literal('test-connection'),
    callId: CallId,
    tenantId: Id,
    policyTypes: z.array(z.string()).optional()
  }),
  z.object({ t: z.literal('forget-tenant'), tenantKey: Id }),
  z.object({
    t: z.literal('token-reply'),
    callId: CallId,
    token: z.string().optional(),
    error: serializedErrorSchema.optional()
  }),
  z.object({ t: z.literal('close') }),
  z.object({ t: z.literal('warm') })
]) satisfies z.ZodType<ToWorker>

const fromWorkerSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready') }),
  z.object({ t: z.literal('warmed') }),
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
]) satisfies z.ZodType<FromWorker>

/** A message that does not match the protocol: which direction, what kind, and the first bad field. */
export class ProtocolError extends AtlasError {
  constructor(
    direction: string,
    raw: unknown,
    error: z.ZodError,
    /** the request or call the message belonged to, when it names one (so its waiter can be answered) */
    readonly about: { requestId?: string; callId?: number }
  ) {
    const kind = isObject(raw) && typeof raw.t === 'string' ? `'${raw.t}'` : 'without a type'
    const issue = error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    super('INTERNAL', `Malformed ${direction} message ${kind}${where}: ${issue?.message ?? 'invalid'}`)
    this.name = 'ProtocolError'
  }
}

function parseWith<T>(schema: z.ZodType<T>, direction: string, raw: unknown): T {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const about: { requestId?: string; callId?: number } = {}
  if (isObject(raw) && typeof raw.requestId === 'string') about.requestId = raw.requestId
  if (isObject(raw) && typeof raw.callId === 'number') about.callId = raw.callId
  throw new ProtocolError(direction, raw, result.error, about)
}

/** Worker: a message from the API thread, checked; throws ProtocolError. */
export function parseToWorker(raw: unknown): ToWorker {
  return parseWith(toWorkerSchema, 'API thread → worker', raw)
}

/** API thread: a message from the worker, checked; throws ProtocolError. */
export function parseFromWorker(raw: unknown): FromWorker {
  return parseWith(fromWorkerSchema, 'worker → API thread', raw)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null
}
