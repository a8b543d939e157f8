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
 * When the grant in use has this many starts left, the next one is reserved. Why ahead: the store's write
 * lock is also the page commits' lock, and during a sync another connection (the page writer) holds it most
 * of the time; asking only once the grant is spent made every tenant's requests wait out busy answers. Half
 * a grant gives that many tries (one per start) before anything has to wait.
 */
const RENEW_WHEN_LEFT = GRANT_SIZE / 2

interface Grant {
  id: number
  granted: number
  used: number
  expiresAt: number
}

/**
 * One tenant's share of the budget kept in the store, taken in small grants so most requests are counted
 * in memory. take() is synchronous, so the caller checks the pause, the local pacer and the grant in one
 * step with nothing awaited in between.
 *
 * At most two grants are held: the one in use and the next one, reserved while the first still has a few
 * starts. A grant that expires unused is given back with the next ask that has to wait for the store; the
 * few starts a replaced grant may leave unused stay counted, which errs on the safe side.
 */
export class SharedBudget {
  private current: Grant | undefined
  private next: Grant | undefined
  private readonly validityMs: number

  constructor(
    private readonly store: ThrottleStore,
    private readonly tenantKey: string,
    private readonly pacing: PacingOptions
  ) {
    this.validityMs = Math.max(1, Math.floor(pacing.windowMs * GRANT_VALIDITY_SHARE))
  }

  /**
   * Takes one request start: from the grant in use, from the one reserved next, or from a new one the store
   * grants now (giving back what the last grant left unused). Returns 0 when taken, else how long to wait
   * before asking again (the shared window is full, or another connection is writing).
   */
  take(now: number): number {
    const cur = this.current
    if (cur && cur.used < cur.granted && now < cur.expiresAt) {
      cur.used++
      this.reserveNext(now)
      return 0
    }
    const next = this.next
    if (next && now < next.expiresAt) {
      this.next = undefined
      this.current = { ...next, used: 1 }
      this.reserveNext(now)
      return 0
    }
    // nothing in hand: ask and wait for the answer; an expired reserved grant was never used at all
    const settle = next ?? cur
    const answer = this.ask(now, settle && settle.id > 0 ? { id: settle.id, used: settle.used } : undefined)
    if (answer.kind === 'busy') return BUSY_RETRY_MS
    // the settled grant is shrunk to its use whatever the answer
    this.next = undefined
    this.current = { id: answer.id, granted: answer.granted, used: 0, expiresAt: now + this.validityMs }
    if (answer.granted === 0) return Math.max(1, answer.retryAt - now)
    this.current.used = 1
    return 0
  }

  /** Reserves the next grant once the current one runs low; busy or a full window: the next start tries again. */
  private reserveNext(now: number): void {
    const cur = this.current
    if (this.next || !cur || cur.granted - cur.used > RENEW_WHEN_LEFT) return
    const answer = this.ask(now, undefined)
    if (answer.kind === 'busy' || answer.granted === 0) return
    this.next = { id: answer.id, granted: answer.granted, used: 0, expiresAt: now + this.validityMs }
  }

  private ask(
    now: number,
    previous: { id: number; used: number } | undefined
  ): ReturnType<ThrottleStore['grant']> {
    return this.store.grant({
      tenantKey: this.tenantKey,
      now,
      countedAt: now + this.validityMs,
      want: Math.min(GRANT_SIZE, this.pacing.maxRequests),
      maxRequests: this.pacing.maxRequests,
      windowMs: this.pacing.windowMs,
      previous
    })
  }
}
