import type { TenantRow } from '../../db/repositories/tenants-repo'
import { AtlasError } from '../../domain/error-codes'
import type { RunSummary, RunTrigger } from '../../domain/run'
import type { ConnectionReport } from '../tenants/preflight'
import { parseExcludedTypes } from '../tenants/excluded-types'
import { normalizeSelection, typesToSync } from './selection'
import type { SyncEngine } from './sync-engine'
import type { SyncEventHub } from './sync-event-hub'
import type { SyncEventListener } from './sync-events'

/** The AtlasApi methods that drive the engine (main/app/atlas-api.ts extends this). */
export interface SyncApi {
  /** token + one $top=1 probe per collection: what a sync of this tenant would be able to read */
  testConnection(input: { tenantId: string; policyTypes?: string[] }): Promise<ConnectionReport>
  /** Starts a sync and returns at once; follow it with events or `waitForSync`. */
  startSync(input: { tenantId: string; selection: unknown; trigger?: RunTrigger }): { requestId: string }
  waitForSync(requestId: string): Promise<RunSummary>
  cancelSync(requestIdOrRunId: string | number): boolean
  activeSyncs(): Array<{ requestId: string; tenantId: string; runId?: number }>
  onSyncEvent(listener: SyncEventListener): () => void
}

export interface SyncRequests {
  api: SyncApi
  /** cancels every active sync and waits until each has finished (the API's close) */
  cancelAll(): Promise<void>
}

/** How long a finished request's result stays for a late `waitForSync`. */
const KEEP_DONE_MS = 60_000

/**
 * The sync requests of this session: the one validation of a selection before it reaches the engine
 * (wherever the engine runs), and the results the callers wait for.
 */
export function createSyncRequests(deps: {
  engine: SyncEngine
  events: SyncEventHub
  resolveTenant: (idOrName: string) => TenantRow
}): SyncRequests {
  const { engine, resolveTenant } = deps
  const handles = new Map<string, Promise<RunSummary>>()

  const api: SyncApi = {
    testConnection: (input) =>
      engine.testConnection({ tenantId: resolveTenant(input.tenantId).id, policyTypes: input.policyTypes }),

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
      const handle = engine.start({ tenantId: tenant.id, selection, trigger: input.trigger ?? 'api' })
      handles.set(handle.requestId, handle.done)
      // kept a minute for late waiters; a rejection (the worker could not run it) belongs to waitForSync
      const forget = (): void => void setTimeout(() => handles.delete(handle.requestId), KEEP_DONE_MS).unref()
      handle.done.then(forget, forget)
      return { requestId: handle.requestId }
    },

    async waitForSync(requestId) {
      const done = handles.get(requestId)
      if (!done) throw new AtlasError('NOT_FOUND', `No sync request ${requestId} in this session.`)
      return done
    },

    cancelSync: (id) => engine.cancel(id),
    activeSyncs: () => engine.activeSyncs(),
    onSyncEvent: (listener) => deps.events.on(listener)
  }

  return {
    api,
    async cancelAll() {
      for (const s of engine.activeSyncs()) engine.cancel(s.requestId)
      await Promise.allSettled([...handles.values()])
    }
  }
}
