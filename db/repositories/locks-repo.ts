import type Database from 'better-sqlite3'
import { and, eq } from 'drizzle-orm'
import type { Orm } from '../client'
import { inventorySyncLocks } from '../schema'

export type LockRow = typeof inventorySyncLocks.$inferSelect

export interface LockOwner {
  host: string
  pid: number
  /** random id of one engine instance (several can live in one process, e.g. in tests) */
  instance: string
}

export type AcquireResult =
  | { acquired: true; token: number; reclaimedRunId: number | null }
  | { acquired: false; holderRunId: number | null; owner: LockOwner; expiresAt: string }

/**
 * Lease lock per (tenant, selection_hash) with a fencing token.
 * A lock is live while its lease has not expired AND its holder process is not provably dead; a dead
 * holder (kill -9) is reclaimed at once on the same host, otherwise when its heartbeat lapses.
 */
export class LocksRepo {
  constructor(
    private readonly orm: Orm,
    private readonly sqlite: Database.Database,
    private readonly isOwnerAlive: (owner: LockOwner) => boolean
  ) {}

  get(tenantId: string, selectionHash: string): LockRow | undefined {
    return this.orm
      .select()
      .from(inventorySyncLocks)
      .where(
        and(eq(inventorySyncLocks.tenantId, tenantId), eq(inventorySyncLocks.selectionHash, selectionHash))
      )
      .get()
  }

  isLive(row: LockRow, nowIso: string): boolean {
    return row.expiresAt > nowIso && this.isOwnerAlive(parseOwner(row.owner))
  }

  acquire(args: {
    tenantId: string
    selectionHash: string
    owner: LockOwner
    nowIso: string
    expiresIso: string
  }): AcquireResult {
    // IMMEDIATE: take the write lock before reading, so two processes cannot both see "free".
    return this.sqlite
      .transaction((): AcquireResult => {
        const row = this.get(args.tenantId, args.selectionHash)
        if (row && this.isLive(row, args.nowIso)) {
          return {
            acquired: false,
            holderRunId: row.holderRunId,
            owner: parseOwner(row.owner),
            expiresAt: row.expiresAt
          }
        }
        const token = (row?.fencingToken ?? 0) + 1
        const values = {
          holderRunId: null,
          owner: JSON.stringify(args.owner),
          fencingToken: token,
          acquiredAt: args.nowIso,
          heartbeatAt: args.nowIso,
          expiresAt: args.expiresIso
        }
        if (row) {
          this.orm
            .update(inventorySyncLocks)
            .set(values)
            .where(
              and(
                eq(inventorySyncLocks.tenantId, args.tenantId),
                eq(inventorySyncLocks.selectionHash, args.selectionHash)
              )
            )
            .run()
        } else {
          this.orm
            .insert(inventorySyncLocks)
            .values({ tenantId: args.tenantId, selectionHash: args.selectionHash, ...values })
            .run()
        }
        // release() clears the holder, so a holder still set here was cut off (crash, kill -9)
        return { acquired: true, token, reclaimedRunId: row?.holderRunId ?? null }
      })
      .immediate()
  }

  /** Sets the holder run; false when the lock is no longer ours (fencing). */
  setHolder(tenantId: string, selectionHash: string, token: number, runId: number): boolean {
    return (
      this.orm
        .update(inventorySyncLocks)
        .set({ holderRunId: runId })
        .where(
          and(
            eq(inventorySyncLocks.tenantId, tenantId),
            eq(inventorySyncLocks.selectionHash, selectionHash),
            eq(inventorySyncLocks.fencingToken, token)
          )
        )
        .run().changes > 0
    )
  }

  /** Extends the lease; false when it was lost (someone reclaimed it), so the caller must stop writing. */
  heartbeat(
    tenantId: string,
    selectionHash: string,
    token: number,
    nowIso: string,
    expiresIso: string
  ): boolean {
    return (
      this.orm
        .update(inventorySyncLocks)
        .set({ heartbeatAt: nowIso, expiresAt: expiresIso })
        .where(
          and(
            eq(inventorySyncLocks.tenantId, tenantId),
            eq(inventorySyncLocks.selectionHash, selectionHash),
            eq(inventorySyncLocks.fencingToken, token)
          )
        )
        .run().changes > 0
    )
  }

  /** Release = expire now. The row stays so the next fencing token keeps growing. */
  release(tenantId: string, selectionHash: string, token: number, nowIso: string): void {
    this.orm
      .update(inventorySyncLocks)
      .set({ holderRunId: null, expiresAt: nowIso, heartbeatAt: nowIso })
      .where(
        and(
          eq(inventorySyncLocks.tenantId, tenantId),
          eq(inventorySyncLocks.selectionHash, selectionHash),
          eq(inventorySyncLocks.fencingToken, token)
        )
      )
      .run()
  }
}

export function parseOwner(text: string): LockOwner {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>
    return { host: String(v.host ?? ''), pid: Number(v.pid ?? 0), instance: String(v.instance ?? '') }
  } catch {
    return { host: '', pid: 0, instance: '' }
  }
}
