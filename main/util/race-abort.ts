/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts, whichever comes first:
 * a cancelled caller is never held hostage by work that ignores its signal (a stuck fetch, a reply from
 * another thread that never comes). The listener is removed when `work` settles first.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // the loser's rejection is expected once we stop listening
  work.catch(() => undefined)
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      }
    )
  })
}
