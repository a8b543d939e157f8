/**
 * Messages between the API thread (main process) and the sync worker thread. Everything here is
 * structured-clone data: no functions, no class instances. Secrets never cross: the worker asks the API
 * thread for access tokens (the credential stays with the token provider) and for HTTP responses.
 */
import type { TenantAuthConfig } from '../auth/token-provider'
import type { LimiterOptions } from '../concurrency/limiter'
import type { ErrorCode } from '../../domain/error-codes'
import type { RunSummary, RunTrigger } from '../../domain/run'
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
}

/**
 * How the worker reaches Graph. 'bridge' (default): every request is made by the API thread's injected
 * fetch (test fakes with fault wrappers, anything not expressible as data). 'direct': the worker's own
 * fetch, with loopback `routes` (origin → base URL, as routingFetch) and `bridgedOrigins` still sent to
 * the API thread (the demo simulator, which lives there). Direct saves the API thread the HTTP work.
 */
export type WorkerNetwork =
  { mode: 'bridge' } | { mode: 'direct'; routes?: Record<string, string>; bridgedOrigins?: string[] }

export interface SerializedError {
  code?: ErrorCode
  name: string
  message: string
  /** undici's `cause.code` (ECONNRESET, ENOTFOUND...), kept for error classification */
  causeCode?: string
}

export interface FetchRequest {
  url: string
  method: 'GET'
  headers: Record<string, string>
  redirect?: 'manual'
}

export interface FetchReply {
  status: number
  statusText: string
  headers: Array<[string, string]>
  /** the body as read, at most maxBytes + 1 bytes (more means "too large" to the reader) */
  body: ArrayBuffer | null
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
  | { t: 'fetch-reply'; callId: number; reply?: FetchReply; error?: SerializedError }
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
  | { t: 'fetch'; callId: number; request: FetchRequest; maxBytes: number }
  | { t: 'fetch-abort'; callId: number }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; obj: Record<string, unknown>; msg?: string }
  | { t: 'closed' }
