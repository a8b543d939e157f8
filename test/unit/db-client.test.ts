import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'

/** The pragmas every process relies on, checked on a real file (':memory:' cannot be in WAL mode). */
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-db-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('openDatabase', () => {
  it('opens a file database in WAL mode with foreign keys, NORMAL sync and a busy timeout', () => {
    const db = openDatabase({ file: join(dir, 'tenant-atlas.db'), busyTimeoutMs: 1234 })
    try {
      expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
      // 1 = NORMAL: committed transactions survive a process crash in WAL mode
      expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(1)
      expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(1234)
    } finally {
      db.close()
    }
  })

  it('keeps WAL mode when a second connection (the CLI beside the app) opens the same file', () => {
    const file = join(dir, 'tenant-atlas.db')
    const a = openDatabase({ file })
    const b = openDatabase({ file })
    try {
      expect(b.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
      // a reader on one connection does not block a writer on the other (the point of WAL)
      a.sqlite.exec('BEGIN')
      a.sqlite.prepare('SELECT count(*) FROM tenants').get()
      expect(() => b.sqlite.exec('CREATE TABLE probe (x); INSERT INTO probe VALUES (1)')).not.toThrow()
      a.sqlite.exec('COMMIT')
    } finally {
      a.close()
      b.close()
    }
  })
})
