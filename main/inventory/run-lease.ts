import type { LocksRepo, LockOwner } from '../../db/repositories/locks-repo'
import { isoTime, type Clock } from '../util/clock'
import type { Logger } from '../util/logger'

export interface LeaseDeps {
  locks: LocksRepo
  clock: Clock
  logger: Logger
  owner: LockOwner
  ttlMs: number
  /** real timers by default: they only keep the lease alive while a run waits (queue, Retry-After) */
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval }
}

export type LeaseRequest = { tenantId: string; selectionHash: string }

/** Why no lease: a live holder (its run, when it has one). */
export type LeaseRefused = { acquired: false; holderRunId: number | null }

/**
 * The lock of one tenant + selection, held for one run: acquired (a dead holder's lock reclaimed), kept
 * alive by a timer every third of its lease and by every page commit, released at the end. `onLost` is
 * told once a heartbeat finds the lock no longer ours (the fencing token moved on).
 */
export class RunLease {
  private stopTimer: (() => void) | undefined

  private constructor(
    private readonly deps: LeaseDeps,
    readonly key: LeaseRequest,
    /** the fencing token: every page commit must still carry it */
    readonly token: number,
    /** the run of a dead holder whose lock this lease took over (the caller closes it), or null */
    readonly reclaimedRunId: number | null
  ) {}

  static acquire(deps: LeaseDeps, key: LeaseRequest): RunLease | LeaseRefused {
    const now = deps.clock.now()
    const lock = deps.locks.acquire({
      ...key,
      owner: deps.owner,
      nowIso: isoTime(now),
      expiresIso: isoTime(now + deps.ttlMs)
    })
    if (!lock.acquired) return { acquired: false, holderRunId: lock.holderRunId }
    return new RunLease(deps, key, lock.token, lock.reclaimedRunId)
  }

  /** The expiry a page commit writes with the lock fence (the commit renews the lease too). */
  expiresIso(now: number): string {
    return isoTime(now + this.deps.ttlMs)
  }

  /** Starts the heartbeat timer; `onLost` runs when the lock turns out to be someone else's. */
  keepAlive(onLost: () => void): void {
    const timers = this.deps.timers ?? { setInterval, clearInterval }
    const handle = timers.setInterval(
      () => this.heartbeat(onLost),
      Math.max(1000, Math.floor(this.deps.ttlMs / 3))
    )
    handle.unref?.()
    this.stopTimer = () => timers.clearInterval(handle)
  }

  /** Renews the lease now (a long Retry-After must not let it lapse). */
  heartbeat(onLost: () => void): void {
    const now = this.deps.clock.now()
    try {
      const ok = this.deps.locks.heartbeat(
        this.key.tenantId,
        this.key.selectionHash,
        this.token,
        isoTime(now),
        isoTime(now + this.deps.ttlMs)
      )
      if (!ok) onLost()
    } catch (err) {
      // SQLITE_BUSY from another writer: the next heartbeat or page commit renews the lease
      this.deps.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'lease heartbeat failed'
      )
    }
  }

  /** Stops the heartbeat and gives the lock back (idempotent). */
  release(): void {
    this.stopTimer?.()
    this.stopTimer = undefined
    this.deps.locks.release(
      this.key.tenantId,
      this.key.selectionHash,
      this.token,
      isoTime(this.deps.clock.now())
    )
  }
}
