import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import * as schema from '../../db/schema'

const tables: SQLiteTable[] = [
  schema.tenants,
  schema.inventorySyncRuns,
  schema.inventoryItems,
  schema.inventoryObservations,
  schema.inventorySyncLocks,
  schema.graphThrottle,
  schema.graphRequestGrants,
  schema.settings
] as unknown as SQLiteTable[]

/**
 * The checked-in migrations must produce exactly the schema in db/schema.ts: a schema edit without
 * `npm run db:generate` fails here instead of at a user's first start.
 */
describe('migrations match the drizzle schema', () => {
  const db = openDatabase({ file: ':memory:' })

  it('has every table the schema declares, and no other', () => {
    const inDb = (
      db.sqlite
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`
        )
        .all() as Array<{ name: string }>
    ).map((r) => r.name)
    expect(inDb.sort()).toEqual(tables.map((t) => getTableConfig(t).name).sort())
  })

  it.each(tables.map((t) => [getTableConfig(t).name, t] as const))(
    '%s has the declared columns and indexes',
    (name, table) => {
      const config = getTableConfig(table)
      const columns = db.sqlite
        .prepare(`SELECT name, type, "notnull" AS nn FROM pragma_table_info(?)`)
        .all(name) as Array<{
        name: string
        type: string
        nn: number
      }>
      expect(columns.map((c) => [c.name, c.nn === 1]).sort()).toEqual(
        config.columns.map((c) => [c.name, c.notNull]).sort()
      )
      const indexes = (
        db.sqlite.prepare(`SELECT name FROM pragma_index_list(?) WHERE origin = 'c'`).all(name) as Array<{
          name: string
        }>
      ).map((i) => i.name)
      expect(indexes.sort()).toEqual(config.indexes.map((i) => i.config.name).sort())
    }
  )

  it('opens files with WAL, foreign keys and a busy timeout', () => {
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000)
  })
})
