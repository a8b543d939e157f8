/**
 * Time is injected everywhere so tests are exact and never sleep for real.
 * `sleep` must reject with the signal's reason when aborted, so waits are cancellable.
 */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms)
      )
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}

/** Source of randomness in [0, 1), injected for jitter so backoff tests are exact. */
export type RandomSource = () => number
