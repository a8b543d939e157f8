import type { PacingOptions } from './pacer'

/**
 * Where a tenant's throttle state lives when more than one process may call Graph for it: the desktop app
 * and a scheduled CLI sync share the database, so a Retry-After pause one of them received, and the
 * request budget both spend, must hold for the other (db/repositories/throttle-repo.ts implements it).
 * Without a store, the state is this process's alone.
 */
export interface ThrottleStore {
  pausedUntil(tenantKey: string): number
  pauseUntil(tenantKey: string, until: number): void
  grant(request: {
    tenantKey: string
    now: number
    countedAt: number
    want: number
    maxRequests: number
    windowMs: number
    previous?: { id: number; used: number }
  }): { kind: 'granted'; id: number; granted: number; retryAt: number } | { kind: 'busy' }
}

/** How many starts one grant reserves: few enough that an idle process holds back little of the budget. */
const GRANT_SIZE = 10
/** A grant is used within this share of the window, then given back: the lag other processes may see. */
const GRANT_VALIDITY_SHARE = 1 / 20
/** Retry delay when another connection holds the write lock (a page commit lasts milliseconds). */
const BUSY_RETRY_MS = 2

/**
 * One tenant's share of the budget kept in the store, taken in small grants so most requests are counted
 * in memory. take() is synchronous, so the caller checks the pause, the local pacer and the grant in one
 * step with nothing awaited in between.
 */
export class SharedBudget {
  private grant: { id: number; granted: number; used: number; expiresAt: number } | undefined
  private readonly validityMs: number

  constructor(
    private readonly store: ThrottleStore,
    private readonly tenantKey: string,
    private readonly pacing: PacingOptions
  ) {
    this.validityMs = Math.max(1, Math.floor(pacing.windowMs * GRANT_VALIDITY_SHARE))
  }

  /**
   * Takes one request start: from the current grant, or from a new one the store grants now (giving back
   * what the previous grant left unused). Returns 0 when taken, else how long to wait before asking again
   * (the shared window is full, or another connection is writing).
   */
  take(now: number): number {
    const g = this.grant
    if (g && g.used < g.granted && now < g.expiresAt) {
      g.used++
      return 0
    }
    const answer = this.store.grant({
      tenantKey: this.tenantKey,
      now,
      countedAt: now + this.validityMs,
      want: Math.min(GRANT_SIZE, this.pacing.maxRequests),
      maxRequests: this.pacing.maxRequests,
      windowMs: this.pacing.windowMs,
      previous: g && g.id > 0 ? { id: g.id, used: g.used } : undefined
    })
    if (answer.kind === 'busy') return BUSY_RETRY_MS
    // the previous grant is settled (shrunk to its use) whatever the answer
    this.grant = { id: answer.id, granted: answer.granted, used: 0, expiresAt: now + this.validityMs }
    if (answer.granted === 0) return Math.max(1, answer.retryAt - now)
    this.grant.used = 1
    return 0
  }
}
