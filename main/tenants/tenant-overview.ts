import type { ErrorCode } from '../../domain/error-codes'
import type { MissingJudgement } from '../../domain/missing'
import type { RunStatus, RunSummary, RunTrigger } from '../../domain/run'
import type { SyncEvent } from '../../domain/sync-event'
import type { Clock } from '../util/clock'
import type { TenantView } from './tenant-view'

/**
 * The tenants screen in one call: per tenant its last finished run, what that run says is missing and how
 * far to trust it, and what the engine is doing with it right now. The live part is kept from the engine's
 * own sync events from the moment the engine is built, so a window opened (or reloaded) mid-sync sees it;
 * requests the engine no longer lists as active are dropped at read time, so a lost event cannot leave a
 * tenant "syncing" forever.
 */

export type LiveState =
  | { state: 'idle' }
  | { state: 'queued'; requestId: string; position: number }
  | { state: 'syncing'; requestId: string; runId: number }
  | {
      state: 'throttled'
      requestId: string
      runId: number
      /** HTTP status Graph answered with (429, 503) */
      status: number
      /** when the tenant may be asked again (ISO) */
      retryAt: string
      /** the run's types behind the throttled collection */
      policyTypes: string[]
    }

export interface LastRunSummary {
  runId: number
  status: RunStatus
  trigger: RunTrigger
  startedAt: string
  finishedAt: string | null
  itemsObserved: number
  typesComplete: number
  typesNotCollected: number
  errorCodes: ErrorCode[]
}

export interface MissingSummary {
  /** judged for the selection of the last run, by that run */
  runId: number | null
  count: number
  absent: number
  notCollected: number
  lowConfidence: boolean
  /** "low: the latest run was partial, 2 types not collected" */
  reason: string
}

export interface TenantOverview {
  tenant: TenantView
  lastRun: LastRunSummary | null
  missing: MissingSummary | null
  live: LiveState
}

/** The AtlasApi methods the overview reads (it is built on the API it is part of). */
interface OverviewApi {
  listTenants(): TenantView[]
  listRuns(input: { tenantId: string; limit?: number }): RunSummary[]
  getMissing(input: { tenantId: string; selection: unknown }): MissingJudgement
  activeSyncs(): Array<{ requestId: string }>
  onSyncEvent(listener: (event: SyncEvent) => void): () => void
}

interface Tracked {
  tenantId: string
  live: Exclude<LiveState, { state: 'idle' }>
}

export interface TenantOverviewService {
  /** every tenant, or the one given (none when it does not exist) */
  list(input?: { tenantId?: string }): TenantOverview[]
  close(): void
}

/** How many recent runs to look through for the last finished one (a running run is the newest). */
const RECENT_RUNS = 5

export function createTenantOverview(api: OverviewApi, clock: Pick<Clock, 'now'>): TenantOverviewService {
  const tracked = new Map<string, Tracked>()
  const stop = api.onSyncEvent((event) => track(tracked, event))

  const liveOf = (tenantId: string, active: Set<string>): LiveState => {
    let best: LiveState = { state: 'idle' }
    for (const [requestId, t] of tracked) {
      if (!active.has(requestId)) {
        tracked.delete(requestId)
        continue
      }
      if (t.tenantId !== tenantId) continue
      let live: LiveState = t.live
      if (live.state === 'throttled' && Date.parse(live.retryAt) <= clock.now()) {
        live = { state: 'syncing', requestId: live.requestId, runId: live.runId }
      }
      if (RANK[live.state] > RANK[best.state]) best = live
    }
    return best
  }

  return {
    list(input = {}) {
      const active = new Set(api.activeSyncs().map((s) => s.requestId))
      return api
        .listTenants()
        .filter((t) => input.tenantId === undefined || t.id === input.tenantId)
        .map((tenant) => {
          const last = api
            .listRuns({ tenantId: tenant.id, limit: RECENT_RUNS })
            .find((r) => r.finishedAt !== null)
          return {
            tenant,
            lastRun: last ? lastRunSummary(last) : null,
            missing: last ? missingSummary(api, tenant.id, last) : null,
            live: liveOf(tenant.id, active)
          }
        })
    },
    close: stop
  }
}

/** which state a tenant shows when it has several requests: the one that needs the user's eye most */
const RANK: Record<LiveState['state'], number> = { idle: 0, queued: 1, syncing: 2, throttled: 3 }

function track(tracked: Map<string, Tracked>, event: SyncEvent): void {
  const { requestId, tenantId } = event
  switch (event.kind) {
    case 'queued':
      tracked.set(requestId, { tenantId, live: { state: 'queued', requestId, position: event.position } })
      return
    case 'throttled':
      tracked.set(requestId, {
        tenantId,
        live: {
          state: 'throttled',
          requestId,
          runId: event.runId,
          status: event.status,
          retryAt: event.retryAt,
          policyTypes: event.policyTypes
        }
      })
      return
    case 'finished':
      tracked.delete(requestId)
      return
    default:
      tracked.set(requestId, { tenantId, live: { state: 'syncing', requestId, runId: event.runId } })
  }
}

function lastRunSummary(run: RunSummary): LastRunSummary {
  const outcomes = Object.values(run.typeOutcomes)
  const complete = outcomes.filter((o) => o.status === 'complete').length
  return {
    runId: run.id,
    status: run.status,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    itemsObserved: run.itemsObservedCount,
    typesComplete: complete,
    typesNotCollected: outcomes.length - complete,
    errorCodes: run.errorCodes
  }
}

function missingSummary(api: OverviewApi, tenantId: string, run: RunSummary): MissingSummary | null {
  let j: ReturnType<OverviewApi['getMissing']>
  try {
    j = api.getMissing({ tenantId, selection: run.selection })
  } catch {
    // a selection the registry no longer accepts (a type removed since): no judgement, the rest still shows
    return null
  }
  const absent = j.items.filter((i) => i.reason === 'absent').length
  return {
    runId: j.judgedBy?.runId ?? null,
    count: j.items.length,
    absent,
    notCollected: j.items.length - absent,
    lowConfidence: j.lowConfidence,
    reason: j.confidenceReason
  }
}
