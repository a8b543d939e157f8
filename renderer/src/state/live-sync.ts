import type { RunSummary, SyncEvent } from '../atlas-client'

/**
 * The live state of each tenant's sync, folded from the engine's events (pure, so it is unit-tested
 * without a browser). Events only make the window live; after a reload the state is rebuilt from
 * `activeSyncs` + `getRun` (fromRun), which reads what the engine stored.
 */
export type LiveTypeStatus = 'pending' | 'running' | 'complete' | 'failed' | 'skipped'

export interface LiveType {
  status: LiveTypeStatus
  pages: number
  items: number
  errorCode?: string | undefined
}

export interface Throttle {
  /** epoch ms when Graph allows the next request */
  until: number
  waitSeconds: number
  httpStatus: number
  /** the run's types waiting behind the throttled collection (may be empty) */
  policyTypes: string[]
}

export interface LiveSync {
  requestId: string
  tenantId: string
  runId?: number | undefined
  phase: 'queued' | 'running' | 'finished'
  position?: number | undefined
  /** policy types of the run in the engine's order */
  order: string[]
  types: Record<string, LiveType>
  observed: number
  throttle?: Throttle | undefined
  finished?: { status: RunSummary['status']; errorCodes: string[]; itemsObserved: number } | undefined
}

export type LiveState = Readonly<Record<string, LiveSync>>

/** The request id of a sync the window asked for and the engine has not answered yet. */
export const PENDING_REQUEST = ''

/**
 * The live rows of a sync about to start: every selected type pending, shown before `sync:start` is called
 * so the panel is already on screen when the engine's first events arrive.
 */
export function pendingSync(tenantId: string, policyTypes: string[]): LiveSync {
  return {
    requestId: PENDING_REQUEST,
    tenantId,
    phase: 'queued',
    order: policyTypes,
    types: Object.fromEntries(policyTypes.map((t) => [t, { status: 'pending', pages: 0, items: 0 }])),
    observed: 0
  }
}

function base(event: SyncEvent, prev: LiveSync | undefined): LiveSync {
  if (prev && prev.requestId === event.requestId) return prev
  // the engine's first event for a pending sync adopts its rows (the engine's own order follows on start)
  if (prev && prev.requestId === PENDING_REQUEST) return { ...prev, requestId: event.requestId }
  return {
    requestId: event.requestId,
    tenantId: event.tenantId,
    phase: 'queued',
    order: [],
    types: {},
    observed: 0
  }
}

function withType(sync: LiveSync, key: string, change: Partial<LiveType>): LiveSync {
  const current = sync.types[key] ?? { status: 'pending', pages: 0, items: 0 }
  const order = sync.order.includes(key) ? sync.order : [...sync.order, key]
  return { ...sync, order, types: { ...sync.types, [key]: { ...current, ...change } } }
}

/** `now` is injected (epoch ms) so a throttle's deadline is testable without a clock. */
export function reduceLive(state: LiveState, event: SyncEvent, now: number): LiveState {
  let sync = base(event, state[event.tenantId])
  switch (event.kind) {
    case 'queued':
      sync = { ...sync, phase: 'queued', position: event.position }
      break
    case 'started':
      sync = {
        ...sync,
        phase: 'running',
        runId: event.runId,
        position: undefined,
        order: event.policyTypes,
        types: Object.fromEntries(
          event.policyTypes.map((t) => [t, sync.types[t] ?? { status: 'pending', pages: 0, items: 0 }])
        )
      }
      break
    case 'type_started':
      sync = withType({ ...sync, phase: 'running', runId: event.runId }, event.policyType, {
        status: 'running'
      })
      break
    case 'page_stored': {
      // other types' pages may still land during a pause; only a page of a held type ends it
      const held = sync.throttle?.policyTypes ?? []
      const resumed = event.policyTypes.some((t) => held.includes(t))
      sync = {
        ...sync,
        phase: 'running',
        runId: event.runId,
        observed: event.runObserved,
        throttle: resumed ? undefined : sync.throttle
      }
      // the window gets page progress coalesced (~10 a second): `merged` then says what each type got
      const perType =
        event.merged?.byType ??
        Object.fromEntries(event.policyTypes.map((t) => [t, { pages: 1, items: event.items }]))
      for (const [key, got] of Object.entries(perType)) {
        const t = sync.types[key] ?? { status: 'running', pages: 0, items: 0 }
        sync = withType(sync, key, { pages: t.pages + got.pages, items: t.items + got.items })
      }
      break
    }
    case 'throttled': {
      const retryAt = Date.parse(event.retryAt)
      sync = {
        ...sync,
        runId: event.runId,
        throttle: {
          // the engine's absolute deadline; the injected clock only when it is unreadable
          until: Number.isNaN(retryAt) ? now + event.waitSeconds * 1000 : retryAt,
          waitSeconds: event.waitSeconds,
          httpStatus: event.status,
          policyTypes: event.policyTypes
        }
      }
      break
    }
    case 'type_finished':
      sync = withType(sync, event.policyType, {
        status: event.status,
        pages: event.pages,
        items: event.observed,
        errorCode: event.errorCode
      })
      if (sync.throttle?.policyTypes.includes(event.policyType)) sync = { ...sync, throttle: undefined }
      break
    case 'finished':
      sync = {
        ...sync,
        phase: 'finished',
        runId: event.runId,
        throttle: undefined,
        observed: event.itemsObserved,
        finished: { status: event.status, errorCodes: event.errorCodes, itemsObserved: event.itemsObserved }
      }
      break
  }
  return { ...state, [event.tenantId]: sync }
}

/** A sync found running after a reload: its run as stored, so the per-type list continues from there. */
export function fromRun(requestId: string, run: RunSummary): LiveSync {
  const order = Object.keys(run.typeOutcomes)
  return {
    requestId,
    tenantId: run.tenantId,
    runId: run.id,
    phase: run.finishedAt ? 'finished' : 'running',
    order,
    types: Object.fromEntries(
      order.map((key) => {
        const o = run.typeOutcomes[key]!
        return [key, { status: o.status, pages: o.pages, items: o.observed, errorCode: o.errorCode }]
      })
    ),
    observed: run.itemsObservedCount
  }
}

export function isActive(sync: LiveSync | undefined): boolean {
  return sync !== undefined && sync.phase !== 'finished'
}

/** Types done (complete or not collected) out of all, for the per-tenant progress bar. */
export function doneCount(sync: LiveSync): number {
  return sync.order.filter((t) => {
    const s = sync.types[t]?.status
    return s === 'complete' || s === 'failed' || s === 'skipped'
  }).length
}
