import type Database from 'better-sqlite3'

/** What a grant request asks for (see graph_request_grants in db/schema.ts). */
export interface GrantRequest {
  tenantKey: string
  now: number
  /** when the grant's starts are counted: the end of its validity */
  countedAt: number
  want: number
  maxRequests: number
  windowMs: number
  /** the caller's previous grant, shrunk to what it really used */
  previous?: { id: number; used: number }
}

export type GrantResult =
  /** `granted` starts reserved (0: the window is full until `retryAt`) */
  | { kind: 'granted'; id: number; granted: number; retryAt: number }
  /** another process holds the write lock right now: try again shortly */
  | { kind: 'busy' }

/**
 * Throttle state shared by every process on the database file. Pauses are read on every request (a WAL
 * read never waits) and written only when Graph throttles. Grants are written with no busy timeout: a
 * page commit of another connection holding the write lock must never block the engine's event loop, so a
 * busy store answers 'busy' and the caller retries after a short async sleep.
 */
export class ThrottleRepo {
  private readonly sqlite: Database.Database
  private readonly busyTimeoutMs: number
  private readonly readPause: Database.Statement<[string], { notBefore: number }>
  private readonly writePause: Database.Statement<[string, number]>
  private readonly shrink: Database.Statement<[number, number, string]>
  private readonly prune: Database.Statement<[string, number]>
  private readonly spent: Database.Statement<
    [string, number],
    { total: number | null; oldest: number | null }
  >
  private readonly insert: Database.Statement<[string, number, number]>

  constructor(sqlite: Database.Database) {
    this.readPause = sqlite.prepare(`SELECT not_before AS notBefore FROM graph_throttle WHERE tenant_key = ?`)
    this.writePause = sqlite.prepare(
      `INSERT INTO graph_throttle (tenant_key, not_before) VALUES (?, ?)
       ON CONFLICT (tenant_key) DO UPDATE SET not_before = max(not_before, excluded.not_before)`
    )
    this.sqlite = sqlite
    this.busyTimeoutMs = Number(sqlite.pragma('busy_timeout', { simple: true }))
    this.shrink = sqlite.prepare(`UPDATE graph_request_grants SET count = ? WHERE id = ? AND tenant_key = ?`)
    this.prune = sqlite.prepare(`DELETE FROM graph_request_grants WHERE tenant_key = ? AND counted_at <= ?`)
    this.spent = sqlite.prepare(
      `SELECT sum(count) AS total, min(counted_at) AS oldest
       FROM graph_request_grants WHERE tenant_key = ? AND counted_at > ?`
    )
    this.insert = sqlite.prepare(
      `INSERT INTO graph_request_grants (tenant_key, counted_at, count) VALUES (?, ?, ?)`
    )
  }

  pausedUntil(tenantKey: string): number {
    return this.readPause.get(tenantKey)?.notBefore ?? 0
  }

  pauseUntil(tenantKey: string, until: number): void {
    this.writePause.run(tenantKey, Math.ceil(until))
  }

  grant(r: GrantRequest): GrantResult {
    const tx = this.sqlite.transaction((): GrantResult => {
      if (r.previous) this.shrink.run(r.previous.used, r.previous.id, r.tenantKey)
      const windowStart = r.now - r.windowMs
      this.prune.run(r.tenantKey, windowStart)
      const { total, oldest } = this.spent.get(r.tenantKey, windowStart) ?? { total: 0, oldest: null }
      const granted = Math.max(0, Math.min(r.want, r.maxRequests - (total ?? 0)))
      if (granted === 0) {
        // full: the oldest grant leaves the window first
        return { kind: 'granted', id: 0, granted: 0, retryAt: (oldest ?? r.now) + r.windowMs }
      }
      const id = Number(this.insert.run(r.tenantKey, r.countedAt, granted).lastInsertRowid)
      return { kind: 'granted', id, granted, retryAt: r.now }
    })
    // synchronous from here to the restore: no other statement of this connection runs in between
    this.sqlite.pragma('busy_timeout = 0')
    try {
      return tx.immediate()
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return { kind: 'busy' }
      throw err
    } finally {
      this.sqlite.pragma(`busy_timeout = ${this.busyTimeoutMs}`)
    }
  }
}
