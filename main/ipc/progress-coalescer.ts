import type { CoalescedPageStored, ForwardedSyncEvent, PageStored } from '../../preload/page-types'
import type { SyncEvent } from '../inventory/sync-events'

export type { CoalescedPageStored, ForwardedSyncEvent, PageStored }

/**
 * Keeps a big sync from flooding the window: `page_stored` progress goes out at most once per interval per
 * sync request, so per tenant (the first at once, then the latest state at the end of each interval), while every other event
 * passes immediately, after any progress it held back for that request, so the order the page sees is the
 * order the engine emitted. A type's completion, a throttle, the end of a run are therefore never delayed.
 *
 * Progress held back is merged, not dropped: the event that goes out is the latest one (its pageIndex and
 * runObserved are the run's current state) with `items` summed over the pages it stands for, `policyTypes`
 * the union, and `merged` saying how many pages and items each type got (a page of a collection that serves
 * several types counts for each of them, as the page's own event would).
 */
export interface CoalescerTimers {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemTimers: CoalescerTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
}

/** ~10 progress events per second per sync (a tenant runs one sync per selection at a time) */
export const PROGRESS_INTERVAL_MS = 100

interface RequestState {
  lastSentAt: number
  pending: CoalescedPageStored | undefined
  timer: unknown
}

export interface ProgressCoalescer {
  push(event: SyncEvent): void
  /** drops held progress and timers (the window is going away) */
  close(): void
}

export function createProgressCoalescer(
  deliver: (event: ForwardedSyncEvent) => void,
  opts: { timers?: CoalescerTimers; intervalMs?: number } = {}
): ProgressCoalescer {
  const timers = opts.timers ?? systemTimers
  const interval = opts.intervalMs ?? PROGRESS_INTERVAL_MS
  const requests = new Map<string, RequestState>()

  const stateOf = (requestId: string): RequestState => {
    let s = requests.get(requestId)
    if (!s) {
      s = { lastSentAt: Number.NEGATIVE_INFINITY, pending: undefined, timer: undefined }
      requests.set(requestId, s)
    }
    return s
  }

  const flush = (s: RequestState): void => {
    if (s.timer !== undefined) timers.clearTimeout(s.timer)
    s.timer = undefined
    const held = s.pending
    s.pending = undefined
    if (held) {
      s.lastSentAt = timers.now()
      deliver(held)
    }
  }

  return {
    push(event) {
      const s = stateOf(event.requestId)
      if (event.kind !== 'page_stored') {
        flush(s)
        deliver(event)
        // nothing follows a request's finished event
        if (event.kind === 'finished') requests.delete(event.requestId)
        return
      }
      const now = timers.now()
      if (!s.pending && now - s.lastSentAt >= interval) {
        s.lastSentAt = now
        deliver(event)
        return
      }
      s.pending = merge(s.pending, event)
      s.timer ??= timers.setTimeout(() => flush(s), Math.max(0, s.lastSentAt + interval - now))
    },
    close() {
      for (const s of requests.values()) if (s.timer !== undefined) timers.clearTimeout(s.timer)
      requests.clear()
    }
  }
}

function merge(held: CoalescedPageStored | undefined, next: PageStored): CoalescedPageStored {
  const byType: Record<string, { pages: number; items: number }> = {}
  const add = (e: PageStored | CoalescedPageStored): void => {
    if ('merged' in e && e.merged) {
      for (const [type, c] of Object.entries(e.merged.byType)) {
        const t = (byType[type] ??= { pages: 0, items: 0 })
        t.pages += c.pages
        t.items += c.items
      }
      return
    }
    for (const type of e.policyTypes) {
      const t = (byType[type] ??= { pages: 0, items: 0 })
      t.pages += 1
      t.items += e.items
    }
  }
  if (held) add(held)
  add(next)
  const pages = (held?.merged?.pages ?? (held ? 1 : 0)) + 1
  return {
    ...next,
    items: (held?.items ?? 0) + next.items,
    policyTypes: [...new Set([...(held?.policyTypes ?? []), ...next.policyTypes])],
    merged: { pages, byType }
  }
}
