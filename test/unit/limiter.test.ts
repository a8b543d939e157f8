import { getEventListeners } from 'node:events'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ConcurrencyLimiter } from '../../main/concurrency/limiter'
import { AtlasError } from '../../domain/error-codes'
import { FakeClock } from '../support/fake-clock'

const flush = (): Promise<void> => new Promise((r) => setImmediate(r))

/** What a promise did by the next macrotask: a request that should be answered at once must not hang. */
async function stateSoon<T>(p: Promise<T>): Promise<'granted' | 'refused' | 'waiting'> {
  let state: 'granted' | 'refused' | 'waiting' = 'waiting'
  p.then(
    () => (state = 'granted'),
    () => (state = 'refused')
  )
  await flush()
  return state
}

// These run first: a mutant that makes the limiter hang fails here by assertion instead of by time-out.
describe('ConcurrencyLimiter answers without hanging', () => {
  it('grants a free slot at once', async () => {
    const l = new ConcurrencyLimiter({
      global: 1,
      perTenant: 1,
      maxQueue: 5,
      clock: new FakeClock(0, 'manual')
    })
    expect(await stateSoon(l.acquire('A', { id: '1' }))).toBe('granted')
  })

  it('refuses at once when the queue is full, and queues while it has room', async () => {
    const l = new ConcurrencyLimiter({
      global: 1,
      perTenant: 1,
      maxQueue: 1,
      clock: new FakeClock(0, 'manual')
    })
    await l.acquire('A', { id: '1' })
    expect(await stateSoon(l.acquire('B', { id: '2' }))).toBe('waiting')
    const full = l.acquire('B', { id: '3' })
    expect(await stateSoon(full)).toBe('refused')
    await expect(full).rejects.toThrow('1 sync(s) already run at once and the queue is full.')
  })

  it('grants a waiter when a slot is freed, and refuses a cancelled one', async () => {
    const l = new ConcurrencyLimiter({
      global: 1,
      perTenant: 1,
      maxQueue: 5,
      clock: new FakeClock(0, 'manual')
    })
    const first = await l.acquire('A', { id: '1' })
    const ac = new AbortController()
    const cancelled = l.acquire('B', { id: '2', signal: ac.signal })
    const waiting = l.acquire('B', { id: '3' })
    ac.abort()
    expect(await stateSoon(cancelled)).toBe('refused')
    first.release()
    expect(await stateSoon(waiting)).toBe('granted')
  })
})

describe('ConcurrencyLimiter', () => {
  it('grants up to the limits, queues what does not fit and hands freed slots over in FIFO order', async () => {
    const clock = new FakeClock(0, 'manual')
    const l = new ConcurrencyLimiter({ global: 2, perTenant: 1, maxQueue: 10, clock })
    const a1 = await l.acquire('A', { id: 'a1' })
    const queued: number[] = []
    const order: string[] = []
    const a2 = l
      .acquire('A', { id: 'a2', onQueued: (p) => queued.push(p) })
      .then((p) => (order.push('a2'), p))
    // B fits (its own slot and a global slot are free): it starts without waiting behind A's queue
    const b1 = await l.acquire('B', { id: 'b1' })
    const a3 = l.acquire('A', { id: 'a3' }).then((p) => (order.push('a3'), p))
    expect(queued).toEqual([1])
    expect(l.snapshot().queued.map((q) => q.id)).toEqual(['a2', 'a3'])
    a1.release()
    const p2 = await a2
    expect(l.snapshot().queued.map((q) => q.id)).toEqual(['a3'])
    p2.release()
    ;(await a3).release()
    b1.release()
    expect(order).toEqual(['a2', 'a3'])
    expect(l.snapshot()).toEqual({ running: 0, perTenant: {}, queued: [] })
  })

  it('refuses with CONCURRENCY_LIMIT_TENANT when the tenant is at its limit and the queue is full', async () => {
    const clock = new FakeClock(0, 'manual')
    const l = new ConcurrencyLimiter({ global: 5, perTenant: 1, maxQueue: 0, clock })
    await l.acquire('A', { id: '1' })
    await expect(l.acquire('A', { id: '2' })).rejects.toMatchObject({ code: 'CONCURRENCY_LIMIT_TENANT' })
  })

  it('refuses with CONCURRENCY_LIMIT_GLOBAL when all slots are taken by other tenants and the queue is full', async () => {
    const clock = new FakeClock(0, 'manual')
    const l = new ConcurrencyLimiter({ global: 1, perTenant: 1, maxQueue: 0, clock })
    await l.acquire('A', { id: '1' })
    await expect(l.acquire('B', { id: '2' })).rejects.toMatchObject({ code: 'CONCURRENCY_LIMIT_GLOBAL' })
  })

  it('refuses a waiter after the wait timeout with the code of what it waited for', async () => {
    const clock = new FakeClock(0, 'manual')
    const l = new ConcurrencyLimiter({ global: 1, perTenant: 1, maxQueue: 5, waitTimeoutMs: 30_000, clock })
    await l.acquire('A', { id: '1' })
    const waiting = l.acquire('B', { id: '2' })
    let settled = false
    void waiting.catch(() => (settled = true))
    await clock.advance(29_999)
    expect(settled).toBe(false)
    await clock.advance(1)
    await expect(waiting).rejects.toMatchObject({ code: 'CONCURRENCY_LIMIT_GLOBAL' })
    expect(l.snapshot().queued).toEqual([])
  })

  it('a cancelled waiter leaves the queue with CANCELLED and never gets a permit', async () => {
    const clock = new FakeClock(0, 'manual')
    const l = new ConcurrencyLimiter({ global: 1, perTenant: 1, maxQueue: 5, clock })
    const first = await l.acquire('A', { id: '1' })
    const ac = new AbortController()
    const waiting = l.acquire('A', { id: '2', signal: ac.signal })
    expect(l.snapshot().queued).toHaveLength(1)
    ac.abort()
    await expect(waiting).rejects.toBeInstanceOf(AtlasError)
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' })
    first.release()
    expect(l.snapshot()).toMatchObject({ running: 0, queued: [] })
  })

  it('never exceeds its limits and never leaks permits (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            tenant: fc.constantFrom('A', 'B', 'C'),
            hold: fc.integer({ min: 0, max: 3 }),
            cancel: fc.boolean()
          }),
          { maxLength: 30 }
        ),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        async (jobs, global, perTenant) => {
          const clock = new FakeClock(0, 'manual')
          const l = new ConcurrencyLimiter({ global, perTenant, maxQueue: 100, clock })
          const running = new Map<string, number>()
          let total = 0
          let maxTotal = 0
          let violated = false
          await Promise.all(
            jobs.map(async (job, i) => {
              const ac = new AbortController()
              if (job.cancel) setImmediate(() => ac.abort())
              try {
                const permit = await l.acquire(job.tenant, { id: String(i), signal: ac.signal })
                total++
                running.set(job.tenant, (running.get(job.tenant) ?? 0) + 1)
                maxTotal = Math.max(maxTotal, total)
                if (total > global || running.get(job.tenant)! > perTenant) violated = true
                for (let k = 0; k < job.hold; k++) await flush()
                total--
                running.set(job.tenant, running.get(job.tenant)! - 1)
                permit.release()
                permit.release() // double release must be harmless
              } catch (e) {
                expect(e).toMatchObject({ code: 'CANCELLED' })
              }
            })
          )
          expect(violated).toBe(false)
          expect(l.snapshot()).toEqual({ running: 0, perTenant: {}, queued: [] })
        }
      ),
      { numRuns: 60 }
    )
  })
})

describe('ConcurrencyLimiter edges', () => {
  it('refuses limits below one', () => {
    const clock = new FakeClock(0, 'manual')
    expect(() => new ConcurrencyLimiter({ global: 0, perTenant: 1, maxQueue: 1, clock })).toThrow(
      'limits must be >= 1'
    )
    expect(() => new ConcurrencyLimiter({ global: 1, perTenant: 0, maxQueue: 1, clock })).toThrow(
      'limits must be >= 1'
    )
    expect(() => new ConcurrencyLimiter({ global: 1, perTenant: 1, maxQueue: 0, clock })).not.toThrow()
  })

  it('refuses a request whose signal is already aborted, even with a free slot', async () => {
    const l = new ConcurrencyLimiter({
      global: 1,
      perTenant: 1,
      maxQueue: 5,
      clock: new FakeClock(0, 'manual')
    })
    await expect(l.acquire('A', { id: '1', signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CANCELLED'
    })
    expect(l.snapshot().running).toBe(0)
  })

  it('names the tenant limit and the full queue in its refusal', async () => {
    const l = new ConcurrencyLimiter({
      global: 5,
      perTenant: 2,
      maxQueue: 0,
      clock: new FakeClock(0, 'manual')
    })
    await l.acquire('A', { id: '1' })
    await l.acquire('A', { id: '2' })
    await expect(l.acquire('A', { id: '3' })).rejects.toThrow(
      'This tenant already runs 2 sync(s) at once and the queue is full.'
    )
  })

  it('leaves no timer and no abort listener behind once a waiter is granted', async () => {
    const clock = new FakeClock(0, 'manual')
    const l = new ConcurrencyLimiter({ global: 1, perTenant: 1, maxQueue: 5, waitTimeoutMs: 60_000, clock })
    const first = await l.acquire('A', { id: '1' })
    const ac = new AbortController()
    const waiting = l.acquire('B', { id: '2', signal: ac.signal })
    expect(clock.pendingSleeps()).toBe(1)
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1)
    first.release()
    const permit = await waiting
    expect(clock.pendingSleeps()).toBe(0)
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0)
    permit.release()
  })
})

describe('ConcurrencyLimiter bookkeeping', () => {
  it('keeps counting the permits a tenant still holds after one is released', async () => {
    const l = new ConcurrencyLimiter({
      global: 5,
      perTenant: 2,
      maxQueue: 5,
      clock: new FakeClock(0, 'manual')
    })
    const first = await l.acquire('A', { id: '1' })
    await l.acquire('A', { id: '2' })
    first.release()
    expect(l.snapshot().perTenant).toEqual({ A: 1 })
    await l.acquire('A', { id: '3' })
    expect(await stateSoon(l.acquire('A', { id: '4' }))).toBe('waiting')
  })

  it('arms no timer without a wait timeout, and a waiter then waits for ever', async () => {
    const clock = new FakeClock(0, 'manual')
    const l = new ConcurrencyLimiter({ global: 1, perTenant: 1, maxQueue: 5, clock })
    await l.acquire('A', { id: '1' })
    const waiting = l.acquire('B', { id: '2' })
    expect(clock.pendingSleeps()).toBe(0)
    await clock.advance(24 * 3600_000)
    expect(await stateSoon(waiting)).toBe('waiting')
  })

  it('explains a timeout and a cancellation in words', async () => {
    const clock = new FakeClock(0, 'manual')
    const l = new ConcurrencyLimiter({ global: 1, perTenant: 1, maxQueue: 5, waitTimeoutMs: 1000, clock })
    await l.acquire('A', { id: '1' })
    const timedOut = l.acquire('B', { id: '2' })
    void timedOut.catch(() => undefined)
    await clock.advance(1000)
    await expect(timedOut).rejects.toThrow(
      '1 sync(s) already run at once and the request waited too long for a free slot.'
    )
    const ac = new AbortController()
    const cancelled = l.acquire('B', { id: '3', signal: ac.signal })
    ac.abort()
    await expect(cancelled).rejects.toThrow('The sync was cancelled while it waited for a free slot.')
  })
})
