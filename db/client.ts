import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { findMigrationsFolder } from './database-files'
import * as schema from './schema'

export type Orm = BetterSQLite3Database<typeof schema>

export interface AtlasDatabase {
  readonly file: string
  readonly sqlite: Database.Database
  readonly orm: Orm
  close(): void
}

export interface OpenDatabaseOptions {
  /** path of the SQLite file, or ':memory:' */
  file: string
  /** folder with drizzle-kit's migrations; found next to this module (or the bundle) when omitted */
  migrationsFolder?: string
  busyTimeoutMs?: number
}

/**
 * Opens the database the way every process (desktop, CLI, tests) must: WAL so readers never block the
 * sync writer, foreign keys on, a busy timeout so a second process (CLI next to the app) waits instead of
 * failing, then applies the checked-in migrations.
 */
export function openDatabase(opts: OpenDatabaseOptions): AtlasDatabase {
  if (opts.file !== ':memory:') createPrivately(opts.file)
  const sqlite = new Database(opts.file, { timeout: opts.busyTimeoutMs ?? 5000 })
  try {
    sqlite.pragma('journal_mode = WAL')
    if (opts.file !== ':memory:') tightenDatabaseFiles(opts.file)
    // NORMAL in WAL mode keeps every committed transaction across a process crash (kill -9);
    // only an OS crash or power loss may drop the last commits, which the next sync re-fetches.
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`)
    sqlite.pragma('temp_store = MEMORY')
    const orm = drizzle(sqlite, { schema })
    migrate(orm, { migrationsFolder: opts.migrationsFolder ?? findMigrationsFolder() })
    return {
      file: opts.file,
      sqlite,
      orm,
      close: () => {
        if (sqlite.open) sqlite.close()
      }
    }
  } catch (err) {
    sqlite.close()
    throw err
  }
}

/**
 * A client's inventory is readable by its owner only (docs/security.md). SQLite creates the database with
 * 0644 under the usual umask, and its -wal and -shm files with the database file's mode, so the file is
 * created 0600 before SQLite opens it and the WAL/SHM inherit that.
 */
const OWNER_ONLY_FILE = 0o600

function createPrivately(file: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true, mode: 0o700 })
  if (!existsSync(file)) closeSync(openSync(file, 'a', OWNER_ONLY_FILE))
}

/** Files made by an older version (or another umask) are tightened too. */
function tightenDatabaseFiles(file: string): void {
  if (process.platform === 'win32') return
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f)) chmodSync(f, OWNER_ONLY_FILE)
  }
}
