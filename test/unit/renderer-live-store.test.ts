import { describe, expect, it } from 'vitest'
import { createProgressCoalescer, type CoalescerTimers } from '../../main/ipc/progress-coalescer'
import type { SyncEvent } from '../../renderer/src/atlas-client'
import { PENDING_REQUEST, type LiveState } from '../../renderer/src/state/live-sync'
import { activeTenantIds, createLiveStore } from '../../renderer/src/state/live-store'
import { syncAnnouncements } from '../../renderer/src/state/use-sync-announcements'

const NOW = Date.parse('2026-12-03T12:00:00Z')
const TYPES = ['deviceConfiguration', 'mobileApp', 'compliancePolicy']
const ids = (tenantId: string) => ({ requestId: `r-${tenantId}`, tenantId })

/** Time that moves only when the test says so (the relay's coalescing timer). */
function manualTimers(): CoalescerTimers & { advance(ms: number): void } {
  let now = 0
  const due: Array<{ at: number; fn: () => void; id: number }> = []
  let nextId = 1
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++
      due.push({ at: now + ms, fn, id })
      return id
    },
    clearTimeout: (h) => {
      const i = due.findIndex((d) => d.id === h)
      if (i >= 0) due.splice(i, 1)
    },
    advance(ms) {
      now += ms
      for (const d of due.filter((x) => x.at <= now).sort((a, b) => a.at - b.at)) {
        due.splice(due.indexOf(d), 1)
        d.fn()
      }
    }
  }
}

function syncEvents(tenantId: string, pagesPerType: number): SyncEvent[] {
  const i = ids(tenantId)
  const events: SyncEvent[] = [{ kind: 'started', ...i, runId: 3, correlationId: 'c', policyTypes: TYPES }]
  let observed = 0
  for (const type of TYPES) {
    events.push({ kind: 'type_started', ...i, runId: 3, policyType: type })
    for (let p = 0; p < pagesPerType; p++) {
      observed += 10
      events.push({
        kind: 'page_stored',
        ...i,
        runId: 3,
        policyTypes: [type],
        pageIndex: p,
        items: 10,
        runObserved: observed
      })
    }
    events.push({
      kind: 'type_finished',
      ...i,
      runId: 3,
      policyType: type,
      status: 'complete',
      observed: pagesPerType * 10,
      pages: pagesPerType
    })
  }
  events.push({
    kind: 'finished',
    ...i,
    runId: 3,
    status: 'success',
    hadErrors: false,
    errorCodes: [],
    itemsObserved: observed,
    itemsUpserted: observed
  })
  return events
}

describe('live store', () => {
  it('tells subscribers of every change with the state before it, and of nothing when nothing changed', () => {
    const store = createLiveStore()
    const seen: Array<{ before: LiveState; after: LiveState }> = []
    const off = store.subscribe((before) => seen.push({ before, after: store.get() }))
    store.dispatch({ kind: 'pending', tenantId: 't1', policyTypes: TYPES })
    expect(seen).toHaveLength(1)
    expect(seen[0]!.before).toEqual({})
    expect(seen[0]!.after.t1).toMatchObject({ requestId: PENDING_REQUEST, phase: 'queued', order: TYPES })
    // a refusal of a sync that is not pending changes nothing and tells no one
    store.dispatch({ kind: 'refused', tenantId: 't2' })
    expect(seen).toHaveLength(1)
    off()
    store.dispatch({ kind: 'refused', tenantId: 't1' })
    expect(seen).toHaveLength(1)
    expect(store.get()).toEqual({})
  })

  it('keeps the other tenants’ syncs as they were, so their rows do not render again', () => {
    const store = createLiveStore()
    for (const e of syncEvents('a', 1).slice(0, 2)) store.dispatch({ kind: 'event', event: e, now: NOW })
    const a = store.get().a
    store.dispatch({ kind: 'event', event: syncEvents('b', 1)[0]!, now: NOW })
    expect(store.get().a).toBe(a)
    expect(activeTenantIds(store.get())).toEqual(['a', 'b'])
    for (const e of syncEvents('a', 1).slice(2)) store.dispatch({ kind: 'event', event: e, now: NOW })
    expect(activeTenantIds(store.get())).toEqual(['b'])
  })

  it('shows the first type running on its event, before any held progress, and every completion through the relay', () => {
    const timers = manualTimers()
    const store = createLiveStore()
    const relay = createProgressCoalescer((event) => store.dispatch({ kind: 'event', event, now: NOW }), {
      timers,
      intervalMs: 100
    })
    store.dispatch({ kind: 'pending', tenantId: 'a', policyTypes: TYPES })
    const events = syncEvents('a', 40)
    // started + first type_started arrive at once, no timer involved
    relay.push(events[0]!)
    relay.push(events[1]!)
    expect(store.get().a!.types.deviceConfiguration!.status).toBe('running')
    expect(store.get().a!.phase).toBe('running')

    // a burst of pages within one interval: only the first page goes out at once, the rest is held
    const shown: unknown[] = []
    const off = store.subscribe(() => shown.push(store.get().a!.types.deviceConfiguration))
    for (const e of events.slice(2, 42)) relay.push(e)
    expect(shown).toEqual([{ status: 'running', pages: 1, items: 10 }])

    // the type's completion flushes what was held first (summed, not dropped), then shows complete
    relay.push(events[42]!)
    expect(shown.slice(1)).toEqual([
      { status: 'running', pages: 40, items: 400 },
      { status: 'complete', pages: 40, items: 400, errorCode: undefined }
    ])
    for (const e of events.slice(43)) {
      relay.push(e)
      timers.advance(1)
    }
    off()
    const done = store.get().a!
    for (const type of TYPES) expect(done.types[type]).toMatchObject({ status: 'complete', items: 400 })
    expect(done.finished).toMatchObject({ status: 'success', itemsObserved: 1200 })
    relay.close()
  })
})

describe('sync announcements', () => {
  const nameOf = (id: string) => ({ a: 'Contoso' })[id]
  const label = (key: string) => `label:${key}`

  it('says a sync runs, a type was not collected and the run finished, once each', () => {
    const store = createLiveStore()
    const said: string[] = []
    store.subscribe((before) => {
      for (const a of syncAnnouncements(before, store.get(), nameOf, label))
        said.push(`${a.alert ? '!' : ''}${a.text}`)
    })
    const i = ids('a')
    const events: SyncEvent[] = [
      { kind: 'started', ...i, runId: 3, correlationId: 'c', policyTypes: TYPES },
      { kind: 'type_started', ...i, runId: 3, policyType: 'mobileApp' },
      {
        kind: 'type_finished',
        ...i,
        runId: 3,
        policyType: 'mobileApp',
        status: 'failed',
        observed: 0,
        pages: 0,
        errorCode: 'GRAPH_FORBIDDEN'
      },
      {
        kind: 'finished',
        ...i,
        runId: 3,
        status: 'failed',
        hadErrors: true,
        errorCodes: ['GRAPH_FORBIDDEN'],
        itemsObserved: 0,
        itemsUpserted: 0
      }
    ]
    for (const event of events) store.dispatch({ kind: 'event', event, now: NOW })
    expect(said).toEqual([
      'Sync of Contoso running',
      '!Contoso: label:mobileApp not collected',
      '!Sync of Contoso finished: failed'
    ])
  })
})
