import { describe, expect, it } from 'vitest'
import type { RunSummary, SyncEvent } from '../../renderer/src/atlas-client'
import {
  doneCount,
  fromRun,
  isActive,
  pendingSync,
  PENDING_REQUEST,
  reduceLive,
  type LiveState
} from '../../renderer/src/state/live-sync'

const ids = { requestId: 'r1', tenantId: 't1' }
const NOW = Date.parse('2026-12-03T12:00:00Z')

function fold(events: SyncEvent[], now = NOW): LiveState {
  return events.reduce<LiveState>((s, e) => reduceLive(s, e, now), {})
}

describe('live sync state folded from engine events', () => {
  const started: SyncEvent = {
    kind: 'started',
    ...ids,
    runId: 7,
    correlationId: 'c',
    policyTypes: ['deviceConfiguration', 'mobileApp']
  }

  it('goes queued → running per type → finished, counting pages and items per type', () => {
    const s = fold([
      { kind: 'queued', ...ids, position: 2 },
      started,
      { kind: 'type_started', ...ids, runId: 7, policyType: 'deviceConfiguration' },
      {
        kind: 'page_stored',
        ...ids,
        runId: 7,
        policyTypes: ['deviceConfiguration'],
        pageIndex: 0,
        items: 100,
        runObserved: 100
      },
      {
        kind: 'page_stored',
        ...ids,
        runId: 7,
        policyTypes: ['deviceConfiguration'],
        pageIndex: 1,
        items: 20,
        runObserved: 120
      }
    ])
    const sync = s.t1!
    expect(sync.phase).toBe('running')
    expect(sync.types.deviceConfiguration).toEqual({ status: 'running', pages: 2, items: 120 })
    expect(sync.types.mobileApp?.status).toBe('pending')
    expect(doneCount(sync)).toBe(0)

    const done = (
      [
        {
          kind: 'type_finished',
          ...ids,
          runId: 7,
          policyType: 'deviceConfiguration',
          status: 'complete',
          observed: 120,
          pages: 2
        },
        {
          kind: 'type_finished',
          ...ids,
          runId: 7,
          policyType: 'mobileApp',
          status: 'failed',
          observed: 0,
          pages: 0,
          errorCode: 'GRAPH_FORBIDDEN'
        },
        {
          kind: 'finished',
          ...ids,
          runId: 7,
          status: 'partial',
          hadErrors: true,
          errorCodes: ['GRAPH_FORBIDDEN'],
          itemsObserved: 120,
          itemsUpserted: 120
        }
      ] as SyncEvent[]
    ).reduce<LiveState>((acc, e) => reduceLive(acc, e, NOW), s).t1!
    expect(done.types.mobileApp).toMatchObject({ status: 'failed', errorCode: 'GRAPH_FORBIDDEN' })
    expect(doneCount(done)).toBe(2)
    expect(isActive(done)).toBe(false)
    expect(done.finished).toEqual({ status: 'partial', errorCodes: ['GRAPH_FORBIDDEN'], itemsObserved: 120 })
  })

  it('counts down to the engine’s retryAt, or to now + wait when retryAt is unreadable', () => {
    const withRetryAt: SyncEvent = {
      kind: 'throttled',
      ...ids,
      runId: 7,
      status: 429,
      waitSeconds: 12,
      retryAt: '2026-12-03T12:00:30Z',
      policyTypes: ['mobileApp'],
      attempt: 1
    }
    expect(fold([started, withRetryAt]).t1!.throttle).toEqual({
      until: Date.parse('2026-12-03T12:00:30Z'),
      waitSeconds: 12,
      httpStatus: 429,
      policyTypes: ['mobileApp']
    })
    const unreadable = { ...withRetryAt, retryAt: 'soon' }
    expect(fold([started, unreadable]).t1!.throttle?.until).toBe(NOW + 12_000)
    // a page of another type does not end the pause; a page of the held type does
    const other = fold([
      started,
      withRetryAt,
      {
        kind: 'page_stored',
        ...ids,
        runId: 7,
        policyTypes: ['deviceConfiguration'],
        pageIndex: 0,
        items: 1,
        runObserved: 1
      }
    ])
    expect(other.t1!.throttle).toBeDefined()
    const after = fold([
      started,
      withRetryAt,
      {
        kind: 'page_stored',
        ...ids,
        runId: 7,
        policyTypes: ['mobileApp'],
        pageIndex: 0,
        items: 1,
        runObserved: 1
      }
    ])
    expect(after.t1!.throttle).toBeUndefined()
  })

  it('adds coalesced progress per type from merged', () => {
    const coalesced = {
      kind: 'page_stored',
      ...ids,
      runId: 7,
      policyTypes: ['deviceConfiguration', 'mobileApp'],
      pageIndex: 9,
      items: 350,
      runObserved: 350,
      merged: {
        pages: 4,
        byType: { deviceConfiguration: { pages: 3, items: 300 }, mobileApp: { pages: 1, items: 50 } }
      }
    } as SyncEvent
    const s = fold([started, coalesced]).t1!
    expect(s.types.deviceConfiguration).toMatchObject({ pages: 3, items: 300 })
    expect(s.types.mobileApp).toMatchObject({ pages: 1, items: 50 })
    expect(s.observed).toBe(350)
  })

  it('starts over for a new request of the same tenant', () => {
    const first = fold([
      started,
      {
        kind: 'finished',
        ...ids,
        runId: 7,
        status: 'success',
        hadErrors: false,
        errorCodes: [],
        itemsObserved: 1,
        itemsUpserted: 1
      }
    ])
    const next = reduceLive(first, { kind: 'queued', requestId: 'r2', tenantId: 't1', position: 1 }, NOW)
    expect(next.t1).toMatchObject({ requestId: 'r2', phase: 'queued', order: [] })
    expect(next.t1!.finished).toBeUndefined()
  })

  it('re-attaches after a reload from the run as stored', () => {
    const outcome = {
      pages: 1,
      observed: 5,
      skippedItems: 0,
      duplicateItems: 0,
      droppedKeys: 0,
      truncatedValues: 0
    }
    const run = {
      id: 7,
      tenantId: 't1',
      itemsObservedCount: 5,
      finishedAt: null,
      typeOutcomes: {
        deviceConfiguration: { ...outcome, status: 'complete' },
        mobileApp: { ...outcome, status: 'running', observed: 0, pages: 0 }
      }
    } as unknown as RunSummary
    const sync = fromRun('r1', run)
    expect(sync).toMatchObject({
      phase: 'running',
      runId: 7,
      observed: 5,
      order: ['deviceConfiguration', 'mobileApp']
    })
    expect(sync.types.deviceConfiguration).toEqual({
      status: 'complete',
      pages: 1,
      items: 5,
      errorCode: undefined
    })
    expect(isActive(sync)).toBe(true)
    // events after the reload continue the same request
    const s = reduceLive(
      { t1: sync },
      { kind: 'type_started', ...ids, runId: 7, policyType: 'mobileApp' },
      NOW
    )
    expect(s.t1!.types.deviceConfiguration?.status).toBe('complete')
    expect(s.t1!.types.mobileApp?.status).toBe('running')
  })

  it('shows a sync as pending before the engine answers, then adopts it on the first event', () => {
    const pending: LiveState = { t1: pendingSync('t1', ['mobileApp', 'deviceConfiguration']) }
    expect(pending.t1).toMatchObject({ requestId: PENDING_REQUEST, phase: 'queued' })
    expect(pending.t1!.order).toEqual(['mobileApp', 'deviceConfiguration'])
    expect(pending.t1!.types.mobileApp).toEqual({ status: 'pending', pages: 0, items: 0 })

    const first = reduceLive(pending, { kind: 'queued', ...ids, position: 1 }, NOW)
    // the rows stay on screen while the engine queues the run
    expect(first.t1).toMatchObject({ requestId: 'r1', phase: 'queued', position: 1 })
    expect(first.t1!.order).toEqual(['mobileApp', 'deviceConfiguration'])

    const running = reduceLive(
      first,
      { kind: 'type_started', ...ids, runId: 7, policyType: 'deviceConfiguration' },
      NOW
    )
    expect(running.t1!.phase).toBe('running')
    expect(running.t1!.types.deviceConfiguration?.status).toBe('running')
    expect(running.t1!.types.mobileApp?.status).toBe('pending')
  })
})
