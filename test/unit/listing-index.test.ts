import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import { findMigrationsFolder } from '../../db/database-files'
import { ITEM_SELECT_COLUMNS, LISTING_ORDER } from '../../db/repositories/inventory-repo'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'atlas-listing-index-'))
  dirs.push(d)
  return d
}

function planOf(db: ReturnType<typeof openDatabase>, sql: string, ...params: unknown[]): string {
  return (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
    .map((r) => r.detail)
    .join(' | ')
}

describe('the listing index', () => {
  it('serves the listing order from the index, without sorting the tenant', () => {
    const db = openDatabase({ file: ':memory:' })
    try {
      const listing = planOf(
        db,
        `SELECT ${ITEM_SELECT_COLUMNS} FROM inventory_items WHERE tenant_id = ? ORDER BY ${LISTING_ORDER} LIMIT 200`,
        't'
      )
      expect(listing).toContain('items_listing_idx')
      expect(listing).not.toContain('TEMP B-TREE')
      const ofTypes = planOf(
        db,
        `SELECT ${ITEM_SELECT_COLUMNS} FROM inventory_items
         WHERE tenant_id = ? AND policy_type IN (SELECT value FROM json_each(?)) ORDER BY ${LISTING_ORDER}`,
        't',
        '["deviceConfiguration"]'
      )
      expect(ofTypes).toContain('items_listing_idx')
      expect(ofTypes).not.toContain('TEMP B-TREE')
    } finally {
      db.close()
    }
  })

  it('replaces the two name indexes on a database made before it, keeping its items', () => {
    // a copy of the migrations as they were before the listing index (journal cut after 0004)
    const old = join(scratch(), 'migrations')
    cpSync(findMigrationsFolder(), old, { recursive: true })
    const journalFile = join(old, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> }
    const cut = journal.entries.findIndex((e) => e.tag.endsWith('_listing_index'))
    expect(cut).toBeGreaterThan(0)
    journal.entries = journal.entries.slice(0, cut)
    writeFileSync(journalFile, JSON.stringify(journal))

    const file = join(scratch(), 'atlas.db')
    const before = openDatabase({ file, migrationsFolder: old })
    const tenant = { id: 'contoso' }
    before.sqlite
      .prepare(
        `INSERT INTO tenants (id, display_name, azure_tenant_id, cloud, client_id, auth_method, is_demo,
           created_at, updated_at) VALUES (?, 'Contoso', 'contoso.onmicrosoft.com', 'global', 'c', 'client_secret', 0, 'now', 'now')`
      )
      .run(tenant.id)
    const insert = before.sqlite.prepare(
      `INSERT INTO inventory_items (tenant_id, policy_type, external_id, display_name, category, platform,
         meta_json, first_seen_at, last_seen_at, created_at, updated_at)
       VALUES (?, 'compliancePolicy', ?, ?, 'compliance', 'windows', '{}', 'now', 'now', 'now', 'now')`
    )
    for (const [id, name] of [
      ['b', 'beta'],
      ['a', 'Alpha'],
      ['c', 'alpha']
    ])
      insert.run(tenant.id, id, name)
    const indexesBefore = indexNames(before)
    before.close()
    expect(indexesBefore).toContain('items_tenant_name_idx')

    const after = openDatabase({ file })
    try {
      expect(indexNames(after)).not.toContain('items_tenant_name_idx')
      expect(indexNames(after)).not.toContain('items_tenant_type_name_idx')
      expect(indexNames(after)).toContain('items_listing_idx')
      const rows = after.sqlite
        .prepare(
          `SELECT external_id AS id FROM inventory_items WHERE tenant_id = ? ORDER BY ${LISTING_ORDER}`
        )
        .all(tenant.id) as Array<{ id: string }>
      // case-insensitive by name, then external id
      expect(rows.map((r) => r.id)).toEqual(['a', 'c', 'b'])
    } finally {
      after.close()
    }
  })
})

function indexNames(db: ReturnType<typeof openDatabase>): string[] {
  return (
    db.sqlite
      .prepare(`SELECT name FROM pragma_index_list('inventory_items') WHERE origin = 'c'`)
      .all() as Array<{
      name: string
    }>
  ).map((r) => r.name)
}
