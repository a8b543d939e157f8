import { randomUUID } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { INetworkModule } from '@azure/msal-node'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { InsightRepo } from '../../db/repositories/insight-repo'
import { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import { DATABASE_FILE } from '../../db/database-files'
import { InventoryRepo } from '../../db/repositories/inventory-repo'
import { RunsRepo, toRunSummary } from '../../db/repositories/runs-repo'
import { SettingsRepo } from '../../db/repositories/settings-repo'
import { TenantsRepo } from '../../db/repositories/tenants-repo'
import { listErrorCodes } from '../../domain/error-labels'
import { knownClouds } from '../auth/clouds'
import { CredentialStore } from '../auth/credential-store'
import { createMsalTokenProvider } from '../auth/msal-token-provider'
import type { SecretStore } from '../auth/secret-store'
import type { TokenProvider } from '../auth/token-provider'
import { ExportService } from '../export/export-service'
import { listCategories, listPolicyTypes } from '../graph/catalog'
import type { FetchLike, GraphClientOptions } from '../graph/graph-client'
import { createInsightApi } from '../insight/insight-api'
import { createInventoryApi } from '../inventory/inventory-api'
import { InventoryWorkspace } from '../inventory/inventory-workspace'
import { isOwnerAlive, markInstanceLive, newLockOwner } from '../inventory/lock-owner'
import { MissingService } from '../inventory/missing-service'
import { createSyncRequests } from '../inventory/sync-api'
import type { SyncEngine } from '../inventory/sync-engine'
import { SyncEventHub } from '../inventory/sync-event-hub'
import type { SyncOptions } from '../inventory/sync-service'
import { wireEngine } from '../inventory/sync-wiring'
import type { GraphRoutes } from '../sync-worker/protocol'
import { WorkerSyncEngine } from '../sync-worker/worker-sync-engine'
import { createTenantOverview } from '../tenants/tenant-overview'
import { createTenantService } from '../tenants/tenant-service'
import { systemClock, type Clock, type RandomSource } from '../util/clock'
import { silentLogger, type Logger } from '../util/logger'
import { tightenDataDir } from '../util/private-files'
import type { AtlasApi } from './atlas-api'

export interface CreateAtlasOptions {
  /** folder holding tenant-atlas.db (the desktop app's userData, or --data-dir for the CLI) */
  dataDir: string
  /** where client secrets and certificate keys live (safeStorage vault, env refs, memory in tests) */
  secretStore: SecretStore
  fetch?: FetchLike
  /** MSAL network module (tests and the demo route token requests to the identity fake) */
  msalNetwork?: INetworkModule
  clock?: Clock
  random?: RandomSource
  logger?: Logger
  limits?: { global?: number; perTenant?: number; maxQueue?: number; waitTimeoutMs?: number }
  sync?: Partial<SyncOptions>
  graph?: Pick<GraphClientOptions, 'pacing' | 'retry' | 'maxResponseBytes' | 'requestTimeoutMs'>
  /** replaces the token provider (tests of the engine without MSAL) */
  tokenProvider?: TokenProvider
  /** wall-clock timers for the lease heartbeat (tests pass fakes) */
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval }
  appVersion?: string
  /** where `env:` credential refs are read (the CLI passes its environment); default process.env */
  env?: Readonly<Record<string, string | undefined>>
  /**
   * Where syncs run. 'inline' (default): on this thread, with the injected clock, timers and `fetch`
   * (tests). 'worker': on a worker thread with its own database connection and its own fetch, so this
   * thread stays responsive while pages are fetched, parsed and stored (the desktop app, the CLI);
   * `routes` send origins to loopback servers (the demo simulator, test fakes). Tokens still come
   * from the token provider here.
   */
  syncThread?:
    | { kind: 'inline' }
    | { kind: 'worker'; entry?: string | URL; routes?: GraphRoutes | (() => Promise<GraphRoutes>) }
  /** one-line notices for the user (the CLI writes them to stderr); default: logged as warnings */
  notice?: (message: string) => void
}

/** Not part of AtlasApi (never exposed over IPC): what the app's start-up needs of the engine. */
export interface AtlasInternals {
  /** starts the sync worker now rather than at the first sync (resolves at once when syncs run inline) */
  syncEngineReady(): Promise<void>
}

/**
 * What createAtlas builds, with the parts below the API. Only the test factory reaches them
 * (test/support/create-test-atlas.ts: the suites read the database and kill the worker as a crash would);
 * the app, the CLI and the web host get the API alone.
 */
export interface AtlasParts {
  api: AtlasApi & AtlasInternals
  db: AtlasDatabase
  engine: SyncEngine
}

export { DATABASE_FILE }

export const DEFAULT_LIMITS = { global: 4, perTenant: 2, maxQueue: 50 }
export const DEFAULT_SYNC: SyncOptions = { typeConcurrency: 6, lockTtlMs: 120_000 }

/**
 * Composition root: builds the engine from injected edges (secret store, network, clock, logger) and
 * returns the AtlasApi that the desktop app, the CLI and the tests share.
 */
export function createAtlas(opts: CreateAtlasOptions): AtlasApi & AtlasInternals {
  return assembleAtlas(opts).api
}

/** createAtlas, keeping hold of the parts (for the test factory). */
export function assembleAtlas(opts: CreateAtlasOptions): AtlasParts {
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? silentLogger
  const onWorker = opts.syncThread?.kind === 'worker' ? opts.syncThread : undefined
  if (onWorker && (opts.clock || opts.timers || opts.random)) {
    // the worker runs on real time: injected time cannot cross a thread
    throw new Error(
      'createAtlas: syncThread "worker" cannot be combined with an injected clock, timers or random'
    )
  }
  if (onWorker && opts.fetch) {
    // the worker fetches for itself: a wrapped fetch here would silently see nothing
    throw new Error('createAtlas: syncThread "worker" takes network routes, not an injected fetch')
  }
  const databaseFile = opts.dataDir === ':memory:' ? ':memory:' : join(opts.dataDir, DATABASE_FILE)
  if (onWorker && databaseFile === ':memory:')
    throw new Error('createAtlas: the sync worker needs a database file')
  if (databaseFile !== ':memory:') tightenDataDir(opts.dataDir, opts.notice ?? ((m) => logger.warn({}, m)))
  const db = openDatabase({ file: databaseFile })
  const owner = newLockOwner()
  markInstanceLive(owner.instance, true)
  const credentials = new CredentialStore(opts.secretStore, opts.env ?? process.env)
  const tokens =
    opts.tokenProvider ??
    createMsalTokenProvider({ secrets: credentials, networkClient: opts.msalNetwork, clock, logger })
  const fetchImpl: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init))
  const events = new SyncEventHub(logger)
  const emit = events.emit
  const limits = { ...DEFAULT_LIMITS, ...opts.limits }
  const syncOptions = { ...DEFAULT_SYNC, ...opts.sync }
  const tenants = new TenantsRepo(db.orm)
  const runs = new RunsRepo(db.orm)
  const inventory = new InventoryRepo(db.sqlite)
  // One engine: on the worker (nothing of it on this thread) or, for tests with injected time, inline.
  const sync: SyncEngine = onWorker
    ? new WorkerSyncEngine({
        entry: onWorker.entry ?? defaultWorkerEntry(),
        config: {
          databaseFile,
          limits,
          sync: syncOptions,
          graph: opts.graph ?? {}
        },
        routes: onWorker.routes ?? {},
        tokens,
        tenantExists: (id) => tenants.get(id) !== undefined,
        newId: randomUUID,
        emit,
        logger,
        getRun: (id) => {
          const row = runs.get(id)
          return row ? toRunSummary(row) : undefined
        }
      })
    : // the engine closes what a crashed process left running before it takes requests: inline here, on
      // the worker as it starts (the app starts it at launch; a sync or a connection test otherwise)
      recovered(
        wireEngine({
          db,
          owner,
          isOwnerAlive,
          fetch: fetchImpl,
          tokens,
          clock,
          random: opts.random ?? Math.random,
          logger,
          limits,
          sync: syncOptions,
          graph: opts.graph,
          emit,
          timers: opts.timers
        })
      )
  const appVersion = opts.appVersion ?? '0.1.0'
  const tenantService = createTenantService({ tenants, credentials, tokens, sync, clock })
  const resolveTenant = tenantService.resolve
  const missing = new MissingService(runs, inventory)
  const inventoryQuery = new InventoryQueryRepo(db.sqlite)
  const workspace = new InventoryWorkspace({
    query: inventoryQuery,
    settings: new SettingsRepo(db.sqlite),
    clock
  })
  const exporter = new ExportService({
    tenants,
    runs,
    inventory,
    inventoryQuery,
    missing,
    clock,
    appVersion
  })
  const insightApi = createInsightApi({
    tenants,
    runs,
    insight: new InsightRepo(db.sqlite),
    inventory,
    inventoryQuery,
    missing,
    clock,
    appVersion,
    resolveTenant
  })
  const syncRequests = createSyncRequests({ engine: sync, events, resolveTenant })

  const api: AtlasApi & AtlasInternals = {
    syncEngineReady: () => (sync instanceof WorkerSyncEngine ? sync.ready() : Promise.resolve()),
    appStatus: () => ({
      version: appVersion,
      dataDir: opts.dataDir,
      credentialStorage: {
        kind: opts.secretStore.kind,
        persistent: opts.secretStore.persistent,
        warning: opts.secretStore.warning ?? null
      }
    }),
    listPolicyTypes,
    listCategories,
    listErrorCodes,
    listClouds: knownClouds,
    ...tenantService.api,
    tenantOverview: (input) => overview.list(input),
    ...syncRequests.api,
    ...createInventoryApi({ runs, inventory, missing, workspace, resolveTenant }),
    exportCsv: (input) => exporter.export(input, resolveTenant),
    ...insightApi,

    async close() {
      await syncRequests.cancelAll()
      await sync.close?.()
      overview.close()
      markInstanceLive(owner.instance, false)
      db.close()
    }
  }
  // follows the engine's events from now on, so the live state is known before any window asks
  const overview = createTenantOverview(api, clock)
  return { api, db, engine: sync }
}

function recovered<E extends { service: { recoverAbandoned(): number[] } }>(engine: E): E {
  engine.service.recoverAbandoned()
  return engine
}

/** The sync worker's script next to this module in the source tree (the desktop build passes its own). */
function defaultWorkerEntry(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'sync-worker', 'dev-entry.mjs')
}
