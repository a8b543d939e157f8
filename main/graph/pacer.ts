import type { Clock } from '../util/clock'

export interface PacingOptions {
  maxRequests: number
  windowMs: number
}

/** Intune allows 1000 requests / 20 s per app per tenant; stay a little under so retries have room. */
export const DEFAULT_PACING: PacingOptions = { maxRequests: 900, windowMs: 20_000 }

/**
 * Sliding-window log of request starts for one tenant: at most `maxRequests` starts in any `windowMs`.
 * A log (not a token bucket) because Intune counts requests in a rolling window, so a burst right after a
 * quiet period must still respect the window that the burst itself opens.
 *
 * Everything between two sleeps is synchronous, so concurrent callers can never both take the last slot.
 */
export class SlidingWindowPacer {
  private readonly clock: Clock
  private readonly maxRequests: number
  private readonly windowMs: number
  /** start times, ascending; only the ones that can still matter are kept */
  private readonly starts: number[] = []

  constructor(clock: Clock, options: PacingOptions) {
    if (!Number.isInteger(options.maxRequests) || options.maxRequests < 1) {
      throw new RangeError(`pacing.maxRequests must be a positive integer, got ${options.maxRequests}`)
    }
    if (!(options.windowMs > 0))
      throw new RangeError(`pacing.windowMs must be positive, got ${options.windowMs}`)
    this.clock = clock
    this.maxRequests = options.maxRequests
    this.windowMs = options.windowMs
  }

  /** Milliseconds until one more start is allowed (0 = now). */
  delayAt(now: number): number {
    this.prune(now)
    if (this.starts.length < this.maxRequests) return 0
    // the start that has to leave the window before another one fits
    const blocking = this.starts[this.starts.length - this.maxRequests] ?? now
    return Math.max(0, blocking + this.windowMs - now)
  }

  countInWindow(now: number): number {
    this.prune(now)
    return this.starts.length
  }

  /**
   * Waits until a start is allowed, then records it. `notBefore` is an extra gate checked in the same
   * synchronous step (the tenant's throttle gate), so a slot is never taken while the tenant is paused.
   * Rejects with the signal's reason when aborted.
   */
  async acquire(signal?: AbortSignal, notBefore?: () => number): Promise<void> {
    for (;;) {
      signal?.throwIfAborted()
      const now = this.clock.now()
      const wait = Math.max((notBefore?.() ?? 0) - now, this.delayAt(now))
      if (wait <= 0) {
        this.record(now)
        return
      }
      // other waiters may wake at the same moment; everyone re-checks after the sleep
      await this.clock.sleep(wait, signal)
    }
  }

  /** Records a start the caller checked with delayAt(now) in the same synchronous step. */
  record(now: number): void {
    this.starts.push(now)
  }

  private prune(now: number): void {
    let expired = 0
    while (expired < this.starts.length && now - (this.starts[expired] ?? now) >= this.windowMs) expired++
    if (expired > 0) this.starts.splice(0, expired)
  }
}
