import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where the database and the checked-in migrations are, and how new the newest migration is. Kept apart
 * from db/client.ts (which loads the ORM and its migrator) so the CLI's quick read path can find the
 * database and check that it is current without loading either.
 */

/** The database's file name inside the data dir (the desktop app's userData, or --data-dir). */
export const DATABASE_FILE = 'tenant-atlas.db'

/**
 * Migrations live in db/migrations in the source tree. From a bundle (out/main) the folder is found by
 * walking up to the package root, so the same code works under vitest, tsx and electron-vite output.
 */
export function findMigrationsFolder(): string {
  const fromEnv = process.env.TENANT_ATLAS_MIGRATIONS
  if (fromEnv && existsSync(join(fromEnv, 'meta', '_journal.json'))) return fromEnv
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, 'migrations'), join(dir, 'db', 'migrations')]) {
      if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate
    }
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new Error('Database migrations folder not found (expected db/migrations next to the app)')
}

/**
 * The `when` of the newest migration in drizzle-kit's journal. Drizzle's migrator records each applied
 * migration's `when` as `created_at` in `__drizzle_migrations` and applies every journal entry newer than
 * the newest recorded one, so a database whose newest `created_at` is at least this needs no migration.
 */
export function newestMigrationMillis(folder: string = findMigrationsFolder()): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries?: Array<{ when?: unknown }>
  }
  const whens = (journal.entries ?? []).map((e) => e.when).filter((w): w is number => typeof w === 'number')
  if (whens.length === 0) throw new Error('The migrations journal lists no migrations')
  return Math.max(...whens)
}
