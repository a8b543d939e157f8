import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import type { InventoryFilter, InventorySortEntry } from '../../domain/inventory-query'
import { INVENTORY_COLUMN_IDS } from '../../domain/inventory-query'
import type { InventoryItemView } from '../../main/app/atlas-api'
import { typesWithLabelMatching } from '../../main/inventory/inventory-workspace'
import { toItemView } from '../../main/inventory/item-view'
import { getPolicyType } from '../../main/graph/registry'
import { RowIndex, selectOrder } from '../../renderer/src/row-order'
import { SORT_VALUES } from '../../renderer/src/workspace/columns'
import { dayStartIso, localDay, rowTest, TextKeys } from '../../renderer/src/workspace/view-filter'

/**
 * The grid filters and sorts the rows it holds in the page; facet counts and the on-screen export come
 * from the engine's SQL. They must agree row for row, or the export would not be what is on screen:
 * random views over random rows (case and non-ASCII variants, duplicates, built-in objects, no-run ids).
 */
const TYPES = ['deviceConfiguration', 'compliancePolicy', 'roleDefinition', 'mobileApp']
const WORDS = ['vpn', 'VPN', 'Äpfel', 'äpfel', 'Pilot', 'x_y', '50%', 'Straße', 'İstanbul', 'role']
const label = (key: string) => getPolicyType(key)?.label ?? key
const T = 't1'

const itemArb = fc.record({
  policyType: fc.constantFrom(...TYPES),
  displayName: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
  externalId: fc.constantFrom('a', 'B', 'c-vpn', 'd'),
  category: fc.constantFrom('configuration', 'compliance', 'apps'),
  platform: fc.constantFrom('windows', 'ios', 'any'),
  lastSeenAt: fc.constantFrom(
    '2026-11-01T00:00:00.000Z',
    '2026-11-02T12:00:00.000Z',
    '2026-11-03T00:00:00.000Z'
  ),
  lastSeenRunId: fc.constantFrom(null, 2, 10),
  builtIn: fc.boolean()
})

const filterArb: fc.Arbitrary<InventoryFilter> = fc.record(
  {
    policyTypes: fc.subarray(TYPES),
    categories: fc.subarray(['configuration', 'compliance', 'apps', 'identity']),
    platforms: fc.subarray(['windows', 'ios', 'any']),
    name: fc.constantFrom('', ' vpn ', 'ÄPFEL', 'straße', '%', 'x_'),
    search: fc.constantFrom('', 'VPN', 'c-', 'configuration', 'role', 'äpfel', 'profile'),
    lastSeenFrom: fc.constantFrom('2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z'),
    lastSeenTo: fc.constantFrom('2026-11-02T12:00:00.000Z', '2026-11-03T00:00:00.000Z'),
    showBuiltIn: fc.boolean()
  },
  { requiredKeys: [] }
)

const sortArb: fc.Arbitrary<InventorySortEntry[]> = fc
  .uniqueArray(fc.constantFrom(...INVENTORY_COLUMN_IDS), { maxLength: 3 })
  .chain((ids) => fc.tuple(...ids.map((id) => fc.boolean().map((desc) => ({ id, desc })))))

describe('page filter and sort = engine SQL', () => {
  let db: AtlasDatabase
  beforeAll(() => {
    db = openDatabase({ file: ':memory:' })
    db.sqlite.pragma('foreign_keys = OFF') // run ids without runs
    db.sqlite
      .prepare(
        `INSERT INTO tenants (id, display_name, azure_tenant_id, cloud, client_id, auth_method, created_at, updated_at)
         VALUES (?, 'T', 'x.onmicrosoft.com', 'global', 'c', 'client_secret', 'x', 'x')`
      )
      .run(T)
  })
  afterAll(() => db.close())

  it('shows the same rows in the same order', () => {
    const repo = new InventoryQueryRepo(db.sqlite)
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 40 }), filterArb, sortArb, (rows, filter, sort) => {
        db.sqlite.prepare('DELETE FROM inventory_items').run()
        const insert = db.sqlite.prepare(
          `INSERT INTO inventory_items (tenant_id, policy_type, external_id, display_name, category, platform,
             meta_json, first_seen_at, first_seen_run_id, last_seen_at, last_seen_run_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, '2026-10-01T00:00:00.000Z', 1, ?, ?, 'x', 'x')
           ON CONFLICT DO NOTHING`
        )
        for (const r of rows) {
          insert.run(
            T,
            r.policyType,
            r.externalId,
            r.displayName,
            r.category,
            r.platform,
            JSON.stringify({ isBuiltIn: r.builtIn }),
            r.lastSeenAt,
            r.lastSeenRunId
          )
        }
        // what the page loads: the listing, as views
        // (the engine's own item view: built-in flags count only on the types that have built-ins)
        const loaded: InventoryItemView[] = [...repo.iterate(T, { showBuiltIn: true }, [])].map(toItemView)
        const index = new RowIndex(loaded, SORT_VALUES, () => '')
        const test = rowTest(filter, new TextKeys(loaded, label))
        const sorted = index.order(sort)
        const shown = test ? selectOrder(sorted, (row) => test(loaded[row]!, row)) : sorted
        const page = Array.from(shown, (row) => loaded[row]!.id)
        const sql = [...repo.iterate(T, filter, sort, typesWithLabelMatching(filter.search))].map((r) => r.id)
        expect(page).toEqual(sql)
      }),
      { numRuns: 300 }
    )
  })
})

describe('last-seen day bounds', () => {
  it('turns a local day into the instant it starts, and back (the "to" day shown inclusive)', () => {
    const from = dayStartIso('2026-03-29')!
    expect(new Date(from).getHours()).toBe(0)
    expect(localDay(from)).toBe('2026-03-29')
    const toExclusive = dayStartIso('2026-03-29', 1)!
    expect(localDay(toExclusive)).toBe('2026-03-30')
    expect(localDay(toExclusive, 1)).toBe('2026-03-29')
    expect(dayStartIso('')).toBeUndefined()
    expect(dayStartIso('29.03.2026')).toBeUndefined()
    expect(localDay(undefined)).toBe('')
  })
})
