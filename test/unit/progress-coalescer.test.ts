import { describe, expect, it } from 'vitest'
import type { SyncEvent } from '../../main/inventory/sync-events'
import {
  createProgressCoalescer,
  type CoalescerTimers,
  type ForwardedSyncEvent
} from '../../main/ipc/progress-coalescer'

/** Manual time: timers fire only when the test advances the clock. */
function manualTimers(): CoalescerTimers & { advance(ms: number): void; pending(): number } {
  let now = 1_000
  let nextId = 1
  const due = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    // the coalescer's injected timer: queued here, fired only by advance(), never by the wall clock
    setTimeout: (fn, ms) => {
      const id = nextId++
      due.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout: (h) => void due.delete(h as number),
    advance(ms) {
      const until = now + ms
      for (;;) {
        const next = [...due.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
        if (!next) break
        now = next[1].at
        due.delete(next[0])
        next[1].fn()
      }
      now = until
    },
    pending: () => due.size
  }
}

const page = (
  requestId: string,
  pageIndex: number,
  policyTypes = ['compliancePolicy'],
  items = 10
): SyncEvent => ({
  kind: 'page_stored',
  requestId,
  tenantId: `tenant-${requestId}`,
  runId: 1,
  policyTypes,
  pageIndex,
  items,
  runObserved: pageIndex * items
})

function setup() {
  const timers = manualTimers()
  const out: ForwardedSyncEvent[] = []
  const c = createProgressCoalescer((e) => out.push(e), { timers, intervalMs: 100 })
  return { timers, out, c }
}

describe('progress coalescer', () => {
  it('sends the first page at once and at most one progress event per interval after it', () => {
    const { timers, out, c } = setup()
    c.push(page('a', 1))
    expect(out).toHaveLength(1)
    // 1000 pages arriving over one second: about ten go out, never two inside one interval
    const sentAt: number[] = [timers.now()]
    for (let i = 2; i <= 1001; i++) {
      timers.advance(1)
      const before = out.length
      c.push(page('a', i))
      if (out.length > before) sentAt.push(timers.now())
    }
    timers.advance(100)
    expect(out.length).toBeGreaterThanOrEqual(10)
    expect(out.length).toBeLessThanOrEqual(12)
    const last = out.at(-1)!
    expect(last).toMatchObject({ kind: 'page_stored', pageIndex: 1001, runObserved: 10_010 })
    // nothing lost: the items of every page are accounted for across the events sent
    const items = out.reduce((n, e) => n + (e.kind === 'page_stored' ? e.items : 0), 0)
    expect(items).toBe(1001 * 10)
    expect(timers.pending()).toBe(0)
  })

  it('flushes held progress before any other event, keeping the engine order', () => {
    const { out, c, timers } = setup()
    c.push(page('a', 1))
    timers.advance(10)
    c.push(page('a', 2))
    c.push(page('a', 3, ['mobileApp'], 4))
    expect(out).toHaveLength(1)
    const done: SyncEvent = {
      kind: 'type_finished',
      requestId: 'a',
      tenantId: 'tenant-a',
      runId: 1,
      policyType: 'compliancePolicy',
      status: 'complete',
      observed: 20,
      pages: 2
    }
    c.push(done)
    expect(out.map((e) => e.kind)).toEqual(['page_stored', 'page_stored', 'type_finished'])
    expect(out[1]).toMatchObject({
      pageIndex: 3,
      items: 14,
      policyTypes: ['compliancePolicy', 'mobileApp'],
      merged: {
        pages: 2,
        byType: { compliancePolicy: { pages: 1, items: 10 }, mobileApp: { pages: 1, items: 4 } }
      }
    })
    expect(out[2]).toBe(done)
    // the timer that would have sent the held page is gone with it
    expect(timers.pending()).toBe(0)
  })

  it('lets every non-progress event through at once, however many', () => {
    const { out, c } = setup()
    for (let i = 0; i < 50; i++) {
      c.push({ kind: 'type_started', requestId: 'a', tenantId: 't', runId: 1, policyType: `t${i}` })
    }
    expect(out).toHaveLength(50)
  })

  it('paces each sync on its own: a busy tenant does not hold back another', () => {
    const { out, c, timers } = setup()
    c.push(page('a', 1))
    c.push(page('a', 2))
    c.push(page('b', 1))
    expect(out.map((e) => e.requestId)).toEqual(['a', 'b'])
    timers.advance(100)
    expect(out.map((e) => e.requestId)).toEqual(['a', 'b', 'a'])
  })

  it('drops what it holds on close', () => {
    const { out, c, timers } = setup()
    c.push(page('a', 1))
    c.push(page('a', 2))
    c.close()
    timers.advance(1000)
    expect(out).toHaveLength(1)
    expect(timers.pending()).toBe(0)
  })
})
