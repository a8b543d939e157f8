import type { Clock } from '../../main/util/clock'

interface Sleeper {
  wake: number
  resolve: () => void
  reject: (reason: unknown) => void
  signal: AbortSignal | undefined
  onAbort: () => void
}

/**
 * Virtual time for tests. Two modes:
 * - manual: sleeps resolve only when `advance(ms)` moves time past their wake time;
 * - auto: every sleep resolves on the next macrotask and moves time forward to its wake time
 *   (time never goes back). A request made after `sleep(ms)` therefore always sees now >= start + ms,
 *   which is what the Retry-After and pacing rules need, without waiting for real.
 */
export class FakeClock implements Clock {
  private t: number
  private sleepers: Sleeper[] = []
  readonly sleeps: number[] = []

  constructor(
    start = Date.parse('2026-01-01T00:00:00.000Z'),
    readonly mode: 'manual' | 'auto' = 'auto'
  ) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    if (signal?.aborted) return Promise.reject(signal.reason)
    const wake = this.t + Math.max(0, ms)
    if (this.mode === 'auto') {
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          clearImmediate(handle)
          reject(signal?.reason)
        }
        const handle = setImmediate(() => {
          signal?.removeEventListener('abort', onAbort)
          if (wake > this.t) this.t = wake
          resolve()
        })
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    }
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        wake,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper)
          reject(signal?.reason)
        }
      }
      signal?.addEventListener('abort', sleeper.onAbort, { once: true })
      this.sleepers.push(sleeper)
    })
  }

  /** Manual mode: move time forward and wake every sleeper that is due, in wake order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms
    for (;;) {
      const due = this.sleepers.filter((s) => s.wake <= target).sort((a, b) => a.wake - b.wake)
      const next = due[0]
      if (!next) break
      this.sleepers = this.sleepers.filter((s) => s !== next)
      this.t = Math.max(this.t, next.wake)
      next.signal?.removeEventListener('abort', next.onAbort)
      next.resolve()
      // let the woken task run (and maybe register new sleepers) before looking again
      await new Promise((r) => setImmediate(r))
    }
    this.t = target
  }

  set(ms: number): void {
    this.t = ms
  }

  pendingSleeps(): number {
    return this.sleepers.length
  }
}
