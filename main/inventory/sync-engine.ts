import type { ConnectionReport } from '../tenants/preflight'
import type { SyncHandle, SyncRequest } from './sync-service'

/**
 * What the API needs from the sync engine, wherever it runs: on this thread (SyncService, tests with
 * injected time) or on the sync worker (WorkerSyncEngine, the app and the CLI). The connection test is
 * the engine's too, so it goes through the same Graph client, pacer and tenant pause as the syncs.
 */
export interface SyncEngine {
  start(req: SyncRequest): SyncHandle
  cancel(id: string | number): boolean
  activeSyncs(): Array<{ requestId: string; tenantId: string; runId?: number }>
  testConnection(input: { tenantId: string; policyTypes?: string[] }): Promise<ConnectionReport>
  /** drop any per-tenant state kept outside the token provider (the worker's token cache) */
  forgetTenant?(tenantKey: string): void
  close?(): Promise<void>
}
