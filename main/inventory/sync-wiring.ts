import { randomUUID } from 'node:crypto'
import type { AtlasDatabase } from '../../db/client'
import { InventoryRepo } from '../../db/repositories/inventory-repo'
import { LocksRepo, type LockOwner } from '../../db/repositories/locks-repo'
import { RunsRepo } from '../../db/repositories/runs-repo'
import { TenantsRepo } from '../../db/repositories/tenants-repo'
import { ThrottleRepo } from '../../db/repositories/throttle-repo'
import type { TokenProvider } from '../auth/token-provider'
import { ConcurrencyLimiter, type LimiterOptions } from '../concurrency/limiter'
import { createGraphClient, type FetchLike, type GraphClientOptions } from '../graph/graph-client'
import type { Clock, RandomSource } from '../util/clock'
import { AtlasError } from '../../domain/error-codes'
import { testConnection } from '../tenants/preflight'
import { connectionFor } from '../tenants/tenant-connection'
import type { Logger } from '../util/logger'
import type { SyncEngine } from './sync-engine'
import type { SyncEvent } from './sync-events'
import type { PageWriter } from './collection-reader'
import { SyncService, type SyncOptions } from './sync-service'

export interface SyncWiringOptions {
  db: AtlasDatabase
  owner: LockOwner
  isOwnerAlive: (owner: LockOwner) => boolean
  fetch: FetchLike
  tokens: TokenProvider
  clock: Clock
  random: RandomSource
  logger: Logger
  limits: Omit<LimiterOptions, 'clock'>
  sync: SyncOptions
  graph?: Pick<GraphClientOptions, 'pacing' | 'retry' | 'maxResponseBytes' | 'requestTimeoutMs'>
  emit: (event: SyncEvent) => void
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval }
  pageWriter?: PageWriter
}

/**
 * The sync engine and the repositories it writes through, built the same way wherever it runs: inline on
 * the API thread (tests with injected time) or inside the sync worker thread (the app, the CLI).
 */
function wireSync(o: SyncWiringOptions) {
  const tenants = new TenantsRepo(o.db.orm)
  const runs = new RunsRepo(o.db.orm)
  const locks = new LocksRepo(o.db.orm, o.db.sqlite, o.isOwnerAlive)
  const inventory = new InventoryRepo(o.db.sqlite)
  // the throttle state lives in the database so every process calling Graph for a tenant honours it
  const graph = createGraphClient({
    fetch: o.fetch,
    clock: o.clock,
    random: o.random,
    throttleStore: new ThrottleRepo(o.db.sqlite),
    ...o.graph
  })
  const limiter = new ConcurrencyLimiter({ ...o.limits, clock: o.clock })
  const service = new SyncService({
    db: o.db,
    tenants,
    runs,
    locks,
    inventory,
    graph,
    tokens: o.tokens,
    limiter,
    clock: o.clock,
    owner: o.owner,
    newId: randomUUID,
    emit: o.emit,
    logger: o.logger,
    connectionFor,
    options: o.sync,
    timers: o.timers,
    pageWriter: o.pageWriter
  })
  return { tenants, graph, service }
}

/**
 * The engine as the API sees it (sync service + connection test), built by wireSync: the sync worker
 * serves its messages with it, and tests with injected time call it on their own thread.
 */
export function wireEngine(o: SyncWiringOptions): SyncEngine & { service: SyncService } {
  const { service, graph, tenants } = wireSync(o)
  return {
    service,
    start: (req) => service.start(req),
    cancel: (id) => service.cancel(id),
    activeSyncs: () => service.activeSyncs(),
    async testConnection(input) {
      const tenant = tenants.get(input.tenantId)
      if (!tenant) throw new AtlasError('NOT_FOUND', `No tenant with id ${input.tenantId}`)
      return testConnection({
        tenant,
        tokens: o.tokens,
        graph,
        clock: o.clock,
        newId: randomUUID,
        policyTypes: input.policyTypes
      })
    }
  }
}
