import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_RETRY,
  backoffDelayMs,
  decideRetry,
  isTransient,
  parseRetryAfter,
  type RetryOptions
} from '../../main/graph/retry-policy'

const NOW = Date.parse('2026-01-01T00:00:00.000Z')
const opts: RetryOptions = { maxAttempts: 6, baseMs: 1000, capMs: 60_000, maxRetryAfterMs: 300_000 }

describe('parseRetryAfter', () => {
  it('reads integer and decimal seconds, never rounding down', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000)
    expect(parseRetryAfter(' 10 ', NOW)).toBe(10_000)
    expect(parseRetryAfter('0', NOW)).toBe(0)
    expect(parseRetryAfter('2.128', NOW)).toBe(2128)
    expect(parseRetryAfter('0.0001', NOW)).toBe(1)
  })

  it('reads an HTTP-date relative to the injected now; a past date means no wait', () => {
    expect(parseRetryAfter(new Date(NOW + 42_000).toUTCString(), NOW)).toBe(42_000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', NOW)).toBe(60_000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', NOW)).toBe(0)
  })

  it('returns undefined for absent or unreadable values so the caller backs off instead', () => {
    for (const v of [null, undefined, '', '  ', 'soon', '-5', '1e3', '5s']) {
      expect(parseRetryAfter(v, NOW), String(v)).toBeUndefined()
    }
  })
})

describe('backoffDelayMs (full jitter)', () => {
  it('stays in [0, min(cap, base * 2^(retry-1))) for any random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 120_000 }),
        (retry, r, baseMs, capMs) => {
          const o = { ...opts, baseMs, capMs }
          const ceiling = Math.min(capMs, baseMs * 2 ** (retry - 1))
          const d = backoffDelayMs(retry, o, () => r)
          expect(d).toBeGreaterThanOrEqual(0)
          expect(d).toBeLessThan(ceiling)
        }
      )
    )
  })

  it('spreads over the whole window: near-1 random gives near the ceiling, which doubles then caps', () => {
    const high = () => 0.999999
    const seen = [1, 2, 3, 4, 8, 20].map((n) => backoffDelayMs(n, opts, high))
    expect(seen.slice(0, 4).map((d) => Math.round(d / 1000))).toEqual([1, 2, 4, 8])
    expect(seen[4]).toBeGreaterThan(59_000)
    expect(seen[5]).toBeLessThan(60_000)
    expect(backoffDelayMs(3, opts, () => 0)).toBe(0)
  })
})

describe('decideRetry', () => {
  const rnd = () => 0.5

  it('never retries client errors', () => {
    for (const status of [400, 401, 403, 404, 405, 409]) {
      expect(decideRetry({ kind: 'status', status }, { attemptsMade: 1, earlier500s: 0 }, opts, rnd)).toEqual(
        {
          retry: false,
          reason: 'not_retryable'
        }
      )
    }
  })

  it('retries 429, 502, 503, 504 and network failures', () => {
    for (const f of [
      { kind: 'status' as const, status: 429 },
      { kind: 'status' as const, status: 502 },
      { kind: 'status' as const, status: 503 },
      { kind: 'status' as const, status: 504 },
      { kind: 'network' as const }
    ]) {
      expect(isTransient(f, 0)).toBe(true)
      expect(decideRetry(f, { attemptsMade: 1, earlier500s: 0 }, opts, rnd).retry).toBe(true)
    }
  })

  it('says false, not just nothing, for a status that is not transient', () => {
    expect(isTransient({ kind: 'status', status: 400 }, 0)).toBe(false)
    expect(isTransient({ kind: 'status', status: 500 }, 1)).toBe(false)
  })

  it('keeps retrying 502, 503 and 504 after an earlier 500', () => {
    for (const status of [429, 502, 503, 504]) expect(isTransient({ kind: 'status', status }, 1)).toBe(true)
  })

  it('retries a 500 only once', () => {
    expect(
      decideRetry({ kind: 'status', status: 500 }, { attemptsMade: 1, earlier500s: 0 }, opts, rnd).retry
    ).toBe(true)
    expect(
      decideRetry({ kind: 'status', status: 500 }, { attemptsMade: 2, earlier500s: 1 }, opts, rnd)
    ).toEqual({
      retry: false,
      reason: 'not_retryable'
    })
  })

  it('stops after maxAttempts attempts', () => {
    const f = { kind: 'status' as const, status: 503 }
    expect(decideRetry(f, { attemptsMade: 5, earlier500s: 0 }, opts, rnd).retry).toBe(true)
    expect(decideRetry(f, { attemptsMade: 6, earlier500s: 0 }, opts, rnd)).toEqual({
      retry: false,
      reason: 'attempts_exhausted'
    })
  })

  it('honours Retry-After exactly, clamped to maxRetryAfterMs', () => {
    const d = decideRetry(
      { kind: 'status', status: 429, retryAfterMs: 7000 },
      { attemptsMade: 1, earlier500s: 0 },
      opts,
      rnd
    )
    expect(d).toEqual({ retry: true, delayMs: 7000, from: 'retry-after', pauseTenant: true })
    const huge = decideRetry(
      { kind: 'status', status: 429, retryAfterMs: 3_600_000 },
      { attemptsMade: 1, earlier500s: 0 },
      opts,
      rnd
    )
    expect(huge.retry && huge.delayMs).toBe(DEFAULT_RETRY.maxRetryAfterMs)
  })

  it('pauses the whole tenant for every 429 and for a 503 that says when to come back', () => {
    const state = { attemptsMade: 1, earlier500s: 0 }
    const pause = (f: Parameters<typeof decideRetry>[0]) => {
      const d = decideRetry(f, state, opts, rnd)
      return d.retry ? d.pauseTenant : undefined
    }
    expect(pause({ kind: 'status', status: 429 })).toBe(true)
    expect(pause({ kind: 'status', status: 503, retryAfterMs: 1000 })).toBe(true)
    expect(pause({ kind: 'status', status: 503 })).toBe(false)
    expect(pause({ kind: 'status', status: 504, retryAfterMs: 1000 })).toBe(false)
    expect(pause({ kind: 'network' })).toBe(false)
  })

  it('backs off with jitter when there is no Retry-After', () => {
    const d = decideRetry(
      { kind: 'status', status: 429 },
      { attemptsMade: 3, earlier500s: 0 },
      opts,
      () => 0.5
    )
    // third retry window is base * 2^2 = 4000 ms; half of it
    expect(d).toEqual({ retry: true, delayMs: 2000, from: 'backoff', pauseTenant: true })
  })
})
