import { randomUUID } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { INetworkModule } from '@azure/msal-node'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { InventoryRepo, type ItemRow } from '../../db/repositories/inventory-repo'
import { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import { SettingsRepo } from '../../db/repositories/settings-repo'
import { InventoryWorkspace } from '../inventory/inventory-workspace'
import { RunsRepo, toRunSummary } from '../../db/repositories/runs-repo'
import { TenantsRepo, type TenantRow } from '../../db/repositories/tenants-repo'
import { cloudEndpoints, knownClouds, validateAzureTenantId } from '../auth/clouds'
import { createMsalTokenProvider } from '../auth/msal-token-provider'
import type { SecretStore } from '../auth/secret-store'
import type { TokenProvider } from '../auth/token-provider'
import { AtlasError, ERROR_CODES } from '../../domain/error-codes'
import { hintFor } from '../../domain/error-hints'
import { labelFor } from '../../domain/error-labels'
import { CATEGORIES, type Category } from '../../domain/policy-type'
import type { RunSummary } from '../../domain/run'
import type { FetchLike, GraphClientOptions } from '../graph/graph-client'
import { getPolicyType, POLICY_TYPES, typesInCategory } from '../graph/registry'
import { isOwnerAlive, markInstanceLive, newLockOwner } from '../inventory/lock-owner'
import { MissingService } from '../inventory/missing-service'
import { normalizeSelection, parseExcludedTypes, typesToSync } from '../inventory/selection'
import type { SyncEvent, SyncEventListener } from '../inventory/sync-events'
import type { SyncOptions } from '../inventory/sync-service'
import type { SyncEngine } from '../inventory/sync-engine'
import { wireEngine } from '../inventory/sync-wiring'
import type { WorkerNetwork } from '../sync-worker/protocol'
import { WorkerSyncEngine } from '../sync-worker/worker-sync-engine'
import { systemClock, type Clock, type RandomSource } from '../util/clock'
import { silentLogger, type Logger } from '../util/logger'
import type { AddTenantInput, AtlasApi, CloudName, InventoryItemView, TenantView } from './atlas-api'
import { CredentialStore } from './credential-store'
import { ExportService } from './export-service'
import { validateAddTenant } from './tenant-input'
import { ensurePrivateDir, formatMode } from '../util/private-files'
import { runLedger } from './run-ledger'
import { createTenantOverview } from './tenant-overview'
import { InsightRepo } from '../../db/repositories/insight-repo'
import { createInsightApi } from './insight-api'
import { updateTenant } from './tenant-update'

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
   * `network.routes` send origins to loopback servers (the demo simulator, test fakes). Tokens still come
   * from the token provider here.
   */
  syncThread?:
    | { kind: 'inline' }
    | { kind: 'worker'; entry?: string | URL; network?: WorkerNetwork | (() => Promise<WorkerNetwork>) }
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

export const DATABASE_FILE = 'tenant-atlas.db'

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
  const listeners = new Set<SyncEventListener>()
  const emit = (event: SyncEvent): void => {
    for (const l of listeners) {
      try {
        l(event)
      } catch (err) {
        logger.warn({ err: String(err) }, 'sync event listener threw')
      }
    }
  }
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
        network: onWorker.network ?? {},
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
    appVersion: opts.appVersion ?? '0.1.0'
  })
  const handles = new Map<string, Promise<RunSummary>>()
  const insightApi = createInsightApi({
    tenants,
    runs,
    insight: new InsightRepo(db.sqlite),
    inventory,
    inventoryQuery,
    missing,
    clock,
    appVersion: opts.appVersion ?? '0.1.0',
    resolveTenant
  })

  function resolveTenant(idOrName: string): TenantRow {
    const row = tenants.get(idOrName) ?? tenants.findByName(idOrName)
    if (!row) throw new AtlasError('NOT_FOUND', `No tenant named or with id "${idOrName}".`)
    return row
  }

  const api: AtlasApi & AtlasInternals = {
    syncEngineReady: () => (sync instanceof WorkerSyncEngine ? sync.ready() : Promise.resolve()),

    appStatus: () => ({
      version: opts.appVersion ?? '0.1.0',
      dataDir: opts.dataDir,
      credentialStorage: {
        kind: opts.secretStore.kind,
        persistent: opts.secretStore.persistent,
        warning: opts.secretStore.warning ?? null
      }
    }),

    listPolicyTypes: () =>
      POLICY_TYPES.map((t) => ({
        key: t.key,
        label: t.label,
        category: t.category,
        path: t.path,
        permissions: [...t.permissions],
        foundation: t.foundation ?? false,
        licenseGated: t.licenseGated ?? false
      })),

    listCategories: () =>
      CATEGORIES.map((key: Category) => ({
        key,
        label: CATEGORY_LABELS[key],
        policyTypes: typesInCategory(key).map((t) => t.key)
      })),

    listErrorCodes: () =>
      ERROR_CODES.map((code) => ({ code, label: labelFor(code), hint: hintFor(code, 'app') ?? null })),

    listClouds: () => knownClouds(),

    listTenants: () => tenants.list().map(toTenantView),
    tenantOverview: (input) => overview.list(input),
    getTenant: (idOrName) => toTenantView(resolveTenant(idOrName)),

    async addTenant(input: AddTenantInput) {
      const valid = validateAddTenant(input, { validateAzureTenantId, cloudEndpoints })
      if (tenants.findByName(valid.displayName)) {
        throw new AtlasError('INVALID_INPUT', `A tenant named "${valid.displayName}" already exists.`)
      }
      const id = randomUUID()
      // the demo tenant's credential is a fixed reference to the simulator's secret, never a vault entry
      const stored = await credentials.storeFor(id, valid.isDemo ? { kind: 'demo' } : valid.credential)
      const nowIso = new Date(clock.now()).toISOString()
      try {
        const row = tenants.insert({
          id,
          displayName: valid.displayName,
          azureTenantId: valid.azureTenantId,
          cloud: valid.cloud,
          authorityHost: valid.authorityHost ?? null,
          graphEndpoint: valid.graphEndpoint ?? null,
          clientId: valid.clientId,
          authMethod: stored.authMethod,
          secretRef: stored.secretRef,
          certificateThumbprint: stored.certificateThumbprint ?? null,
          isDemo: valid.isDemo ?? false,
          createdAt: nowIso,
          updatedAt: nowIso
        })
        return toTenantView(row)
      } catch (err) {
        await credentials.forget(stored.secretRef)
        throw err
      }
    },

    updateTenant: async (input) =>
      toTenantView(
        await updateTenant(
          {
            tenants,
            credentials,
            tokens,
            sync,
            clock,
            resolve: resolveTenant,
            validateAzureTenantId,
            cloudEndpoints
          },
          input
        )
      ),

    async removeTenant(idOrName) {
      const row = resolveTenant(idOrName)
      if (sync.activeSyncs().some((s) => s.tenantId === row.id)) {
        throw new AtlasError('INVALID_INPUT', `"${row.displayName}" has a sync in progress; cancel it first.`)
      }
      tenants.remove(row.id)
      tokens.forget(row.id)
      sync.forgetTenant?.(row.id)
      if (row.secretRef) await credentials.forget(row.secretRef)
    },

    setExcludedTypes({ tenantId, policyTypes }) {
      const row = resolveTenant(tenantId)
      const keys = [...new Set(policyTypes)].sort()
      const unknown = keys.find((k) => !getPolicyType(k))
      if (unknown) {
        throw new AtlasError(
          'INVALID_INPUT',
          `Unknown policy type "${unknown}"; \`tenant-atlas types\` lists them.`
        )
      }
      const updated = tenants.update(row.id, {
        excludedTypes: JSON.stringify(keys),
        updatedAt: new Date(clock.now()).toISOString()
      })
      if (!updated) throw new AtlasError('NOT_FOUND', `No tenant ${tenantId}.`)
      return toTenantView(updated)
    },

    testConnection: (input) =>
      sync.testConnection({ tenantId: resolveTenant(input.tenantId).id, policyTypes: input.policyTypes }),

    startSync(input) {
      const tenant = resolveTenant(input.tenantId)
      // the one validation of a selection: bad input throws here, nothing recorded, nothing sent on
      const selection = normalizeSelection(input.selection)
      // a selection whose every type the tenant excludes would be an empty run: say so instead
      if (typesToSync(selection, parseExcludedTypes(tenant.excludedTypes)).length === 0) {
        throw new AtlasError(
          'INVALID_INPUT',
          `Every policy type of this selection is excluded for "${tenant.displayName}"; choose others or change its exclusions.`
        )
      }
      const handle = sync.start({
        tenantId: tenant.id,
        selection,
        trigger: input.trigger ?? 'api'
      })
      handles.set(handle.requestId, handle.done)
      // kept a minute for late waiters; a rejection (the worker could not run it) belongs to waitForSync
      const forget = (): void => void setTimeout(() => handles.delete(handle.requestId), 60_000).unref()
      handle.done.then(forget, forget)
      return { requestId: handle.requestId }
    },

    async waitForSync(requestId) {
      const done = handles.get(requestId)
      if (!done) throw new AtlasError('NOT_FOUND', `No sync request ${requestId} in this session.`)
      return done
    },

    cancelSync: (id) => sync.cancel(id),
    activeSyncs: () => sync.activeSyncs(),
    onSyncEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    listRuns: ({ tenantId, limit }) =>
      runs.listForTenant(resolveTenant(tenantId).id, limit ?? 100).map(toRunSummary),
    getRun(runId) {
      const row = runs.get(runId)
      if (!row) throw new AtlasError('NOT_FOUND', `No run ${runId}.`)
      return toRunSummary(row)
    },
    getRunLedger: (runId) => runLedger(api.getRun(runId)),

    listInventory(input) {
      const tenantId = resolveTenant(input.tenantId).id
      const args = {
        tenantId,
        policyTypes: input.policyTypes,
        search: input.search,
        hideBuiltIn: input.hideBuiltIn
      }
      return {
        total: inventory.count(args),
        items: inventory
          .list({ ...args, limit: input.limit ?? 500, offset: input.offset ?? 0 })
          .map(toItemView)
      }
    },

    getMissing: (input) =>
      missing.judge(resolveTenant(input.tenantId).id, input.selection, { policyTypes: input.policyTypes }),

    inventoryFacets: (input) => workspace.facets(resolveTenant(input.tenantId).id, input.filter),
    listViews: () => workspace.listViews(),
    saveView: (input) => workspace.saveView(input),
    deleteView: (input) => workspace.deleteView(input.name),
    getInventoryColumns: () => workspace.getColumns(),
    setInventoryColumns: (input) => workspace.setColumns(input.columns),

    exportCsv: (input) => exporter.export(input, resolveTenant),
    ...insightApi,

    async close() {
      for (const s of sync.activeSyncs()) sync.cancel(s.requestId)
      await Promise.allSettled([...handles.values()])
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

export const CATEGORY_LABELS: Record<Category, string> = {
  configuration: 'Configuration',
  compliance: 'Compliance',
  security: 'Endpoint security',
  apps: 'Apps',
  scripts: 'Scripts',
  updates: 'Updates',
  enrollment: 'Enrollment',
  tenant_admin: 'Tenant administration',
  identity: 'Identity'
}

function toTenantView(row: TenantRow): TenantView {
  return {
    id: row.id,
    displayName: row.displayName,
    azureTenantId: row.azureTenantId,
    cloud: row.cloud as CloudName,
    authorityHost: row.authorityHost,
    graphEndpoint: row.graphEndpoint,
    clientId: row.clientId,
    authMethod: row.authMethod as TenantView['authMethod'],
    credentialSource: CredentialStore.sourceOf(row.secretRef, row.isDemo),
    certificateThumbprint: row.certificateThumbprint,
    isDemo: row.isDemo,
    excludedTypes: parseExcludedTypes(row.excludedTypes),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt
  }
}

function toItemView(row: ItemRow): InventoryItemView {
  const meta = JSON.parse(row.metaJson) as Record<string, unknown>
  return {
    id: row.id,
    tenantId: row.tenantId,
    policyType: row.policyType,
    category: row.category,
    platform: row.platform,
    externalId: row.externalId,
    displayName: row.displayName,
    meta,
    builtIn: meta.isBuiltIn === true || meta.isBuiltInRoleDefinition === true,
    firstSeenAt: row.firstSeenAt,
    firstSeenRunId: row.firstSeenRunId,
    lastSeenAt: row.lastSeenAt,
    lastSeenRunId: row.lastSeenRunId,
    updatedAt: row.updatedAt
  }
}

function recovered<E extends { service: { recoverAbandoned(): number[] } }>(engine: E): E {
  engine.service.recoverAbandoned()
  return engine
}

/** The sync worker's script next to this module in the source tree (the desktop build passes its own). */
function defaultWorkerEntry(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'sync-worker', 'dev-entry.mjs')
}

/** The data folder is owner-only (private-files.ts); one that group or others could read is tightened. */
function tightenDataDir(dir: string, notice: (message: string) => void): void {
  const was = ensurePrivateDir(dir)
  if (was !== null) {
    notice(
      `Data folder ${dir} was readable by other users (${formatMode(was)}); restricted it to you (0700).`
    )
  }
}
