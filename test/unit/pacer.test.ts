import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PACING, SlidingWindowPacer } from '../../main/graph/pacer'
import { FakeClock } from '../support/fake-clock'

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
}

/** True when no `windowMs`-long window holds more than `max` of the (sorted) start times. */
function maxInAnyWindow(starts: number[], windowMs: number): number {
  let best = 0
  let lo = 0
  for (let hi = 0; hi < starts.length; hi++) {
    while ((starts[hi] ?? 0) - (starts[lo] ?? 0) >= windowMs) lo++
    best = Math.max(best, hi - lo + 1)
  }
  return best
}

describe('SlidingWindowPacer', () => {
  it('lets maxRequests start at once, then holds the next until the oldest leaves the window', async () => {
    const clock = new FakeClock(1_000_000, 'manual')
    const pacer = new SlidingWindowPacer(clock, { maxRequests: 3, windowMs: 1000 })
    const started: number[] = []
    const go = (): Promise<void> => pacer.acquire().then(() => void started.push(clock.now()))
    await Promise.all([go(), go(), go()])
    expect(started).toEqual([1_000_000, 1_000_000, 1_000_000])
    expect(pacer.countInWindow(clock.now())).toBe(3)

    const fourth = go()
    await flush()
    expect(started).toHaveLength(3)
    await clock.advance(999)
    expect(started).toHaveLength(3)
    await clock.advance(1)
    await fourth
    expect(started[3]).toBe(1_001_000)
    expect(pacer.countInWindow(clock.now())).toBe(1)
  })

  it('never waits while the window has room', async () => {
    const clock = new FakeClock(0, 'manual')
    const pacer = new SlidingWindowPacer(clock, { maxRequests: 2, windowMs: 1000 })
    await pacer.acquire()
    clock.set(600)
    await pacer.acquire()
    clock.set(1000) // the first start has left the window
    await pacer.acquire()
    expect(clock.sleeps).toEqual([])
  })

  it('also waits for the notBefore gate checked in the same step', async () => {
    const clock = new FakeClock(0, 'manual')
    const pacer = new SlidingWindowPacer(clock, { maxRequests: 10, windowMs: 1000 })
    let done = false
    const p = pacer.acquire(undefined, () => 5000).then(() => (done = true))
    await flush()
    await clock.advance(4999)
    expect(done).toBe(false)
    await clock.advance(1)
    await p
    expect(clock.now()).toBe(5000)
    expect(pacer.countInWindow(5000)).toBe(1)
  })

  it('rejects with the signal reason when aborted while waiting, without taking a slot', async () => {
    const clock = new FakeClock(0, 'manual')
    const pacer = new SlidingWindowPacer(clock, { maxRequests: 1, windowMs: 1000 })
    await pacer.acquire()
    const ac = new AbortController()
    const waiting = pacer.acquire(ac.signal)
    await flush()
    const reason = new Error('user cancelled')
    ac.abort(reason)
    await expect(waiting).rejects.toBe(reason)
    expect(pacer.countInWindow(clock.now())).toBe(1)
  })

  it('property: concurrent callers never get more than maxRequests starts in any window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 25 }),
        async (maxRequests, windowMs, arrivals) => {
          const clock = new FakeClock(0, 'auto')
          const pacer = new SlidingWindowPacer(clock, { maxRequests, windowMs })
          const starts: number[] = []
          await Promise.all(
            arrivals.map(async (arriveAt) => {
              await clock.sleep(arriveAt)
              await pacer.acquire()
              starts.push(clock.now())
            })
          )
          expect(starts).toHaveLength(arrivals.length)
          starts.sort((a, b) => a - b)
          expect(maxInAnyWindow(starts, windowMs)).toBeLessThanOrEqual(maxRequests)
        }
      ),
      { numRuns: 60 }
    )
  })

  it('property: sequential callers start as early as the window allows (no needless waiting)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 30 }),
        async (maxRequests, windowMs, gaps) => {
          const clock = new FakeClock(0, 'auto')
          const pacer = new SlidingWindowPacer(clock, { maxRequests, windowMs })
          const starts: number[] = []
          for (const gap of gaps) {
            await clock.sleep(gap)
            const arrivedAt = clock.now()
            await pacer.acquire()
            const start = clock.now()
            if (start > arrivedAt) {
              // one millisecond earlier the window was still full
              const inWindowJustBefore = starts.filter((s) => start - 1 - s < windowMs).length
              expect(inWindowJustBefore).toBeGreaterThanOrEqual(maxRequests)
            }
            starts.push(start)
          }
          expect(maxInAnyWindow(starts, windowMs)).toBeLessThanOrEqual(maxRequests)
        }
      ),
      { numRuns: 60 }
    )
  })

  it('counts the starts inside the window only', () => {
    const pacer = new SlidingWindowPacer(new FakeClock(), { maxRequests: 5, windowMs: 1000 })
    pacer.record(0)
    pacer.record(400)
    pacer.record(900)
    expect(pacer.countInWindow(999)).toBe(3)
    expect(pacer.countInWindow(1000)).toBe(2) // the start at 0 left the window at 1000
    expect(pacer.countInWindow(1900)).toBe(0)
  })

  it('rejects nonsense options', () => {
    const clock = new FakeClock()
    expect(() => new SlidingWindowPacer(clock, { maxRequests: 0, windowMs: 1000 })).toThrow(
      new RangeError('pacing.maxRequests must be a positive integer, got 0')
    )
    expect(() => new SlidingWindowPacer(clock, { maxRequests: 1, windowMs: 0 })).toThrow(
      new RangeError('pacing.windowMs must be positive, got 0')
    )
  })

  it('paces under Intune’s documented budget by default (1000 requests / 20 s per tenant), leaving room', () => {
    expect(DEFAULT_PACING.windowMs).toBe(20_000)
    expect(DEFAULT_PACING.maxRequests).toBeLessThan(1000)
    expect(DEFAULT_PACING.maxRequests).toBeGreaterThanOrEqual(800)
  })
})
