import type { RandomSource } from '../util/clock'

export interface RetryOptions {
  /** total attempts per page request, the first one included */
  maxAttempts: number
  /** backoff base and cap when Graph gives no Retry-After */
  baseMs: number
  capMs: number
  /** a Retry-After above this is clamped (one bad header must not park a run for hours) */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  baseMs: 1000,
  capMs: 60_000,
  maxRetryAfterMs: 300_000
}

/** Why one attempt failed, as far as retrying is concerned. Timeouts and resets are `network`. */
export type AttemptFailure = { kind: 'status'; status: number; retryAfterMs?: number } | { kind: 'network' }

export interface RetryState {
  /** attempts already made for this page, the failed one included */
  attemptsMade: number
  /** 500 answers before the current failure: a 500 is retried once only (often a real server bug) */
  earlier500s: number
}

export type RetryDecision =
  | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' }
  | {
      retry: true
      delayMs: number
      from: 'retry-after' | 'backoff'
      /** the wait applies to the whole tenant (Intune throttles per tenant), not only to this request */
      pauseTenant: boolean
    }

/**
 * Retry-After as integer seconds, decimal seconds ("2.128", seen in Graph docs) or an HTTP-date.
 * Returns milliseconds to wait, 0 for a date already past, undefined when absent or unreadable
 * (the caller then falls back to backoff).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    // ceil so we never start early; the epsilon absorbs float noise (2.128 * 1000 = 2128.0000000000002)
    return Math.max(0, Math.ceil(Number(text) * 1000 - 1e-6))
  }
  // an HTTP-date always names a day or month; requiring a letter keeps Date.parse from reading "-5" as a year
  if (!/[a-z]/i.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

/** Full jitter (AWS "Exponential Backoff and Jitter"): uniform in [0, min(cap, base * 2^(retry-1))). */
export function backoffDelayMs(retryNumber: number, options: RetryOptions, random: RandomSource): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, retryNumber - 1))
  const r = Math.min(Math.max(random(), 0), 1)
  return Math.floor(r * ceiling)
}

export function isTransient(failure: AttemptFailure, earlier500s: number): boolean {
  if (failure.kind === 'network') return true
  switch (failure.status) {
    case 429:
    case 502: // a gateway hiccup, same family as 503/504
    case 503:
    case 504:
      return true
    case 500:
      return earlier500s === 0
    default:
      return false
  }
}

export function decideRetry(
  failure: AttemptFailure,
  state: RetryState,
  options: RetryOptions,
  random: RandomSource
): RetryDecision {
  if (!isTransient(failure, state.earlier500s)) return { retry: false, reason: 'not_retryable' }
  if (state.attemptsMade >= options.maxAttempts) return { retry: false, reason: 'attempts_exhausted' }
  const status = failure.kind === 'status' ? failure.status : undefined
  const retryAfterMs = failure.kind === 'status' ? failure.retryAfterMs : undefined
  const pauseTenant = status === 429 || (status === 503 && retryAfterMs !== undefined)
  if (retryAfterMs !== undefined) {
    return {
      retry: true,
      delayMs: Math.min(retryAfterMs, options.maxRetryAfterMs),
      from: 'retry-after',
      pauseTenant
    }
  }
  return {
    retry: true,
    delayMs: backoffDelayMs(state.attemptsMade, options, random),
    from: 'backoff',
    pauseTenant
  }
}
