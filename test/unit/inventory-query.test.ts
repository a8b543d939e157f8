import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import type { InventoryFilter } from '../../domain/inventory-query'
import { TYPES_WITH_BUILT_INS } from '../../domain/item-properties'
import { POLICY_TYPES } from '../../main/graph/registry'
import { typesWithLabelMatching } from '../../main/inventory/inventory-workspace'

interface Row {
  type: string
  id: string
  name: string
  category: string
  platform: string
  lastSeen: string
  lastRun?: number | null
  meta?: string
}

const T = 't1'
const ROWS: Row[] = [
  {
    type: 'compliancePolicy',
    id: 'c1',
    name: 'Win baseline',
    category: 'compliance',
    platform: 'windows',
    lastSeen: '2026-11-01T10:00:00.000Z',
    lastRun: 2
  },
  {
    type: 'compliancePolicy',
    id: 'c2',
    name: 'iOS baseline',
    category: 'compliance',
    platform: 'ios',
    lastSeen: '2026-11-02T10:00:00.000Z',
    lastRun: 10
  },
  {
    type: 'compliancePolicy',
    id: 'c3',
    name: 'ÄRGER policy',
    category: 'compliance',
    platform: 'windows',
    lastSeen: '2026-11-03T00:00:00.000Z',
    lastRun: null
  },
  {
    type: 'deviceConfiguration',
    id: 'd1',
    name: 'Win VPN',
    category: 'configuration',
    platform: 'windows',
    lastSeen: '2026-11-03T00:00:00.000Z',
    lastRun: 3
  },
  {
    type: 'deviceConfiguration',
    id: 'd2',
    name: 'mac VPN',
    category: 'configuration',
    platform: 'macos',
    lastSeen: '2026-11-04T00:00:00.000Z',
    lastRun: 3
  },
  {
    type: 'deviceConfiguration',
    id: 'd3',
    name: 'Win VPN',
    category: 'configuration',
    platform: 'windows',
    lastSeen: '2026-11-01T00:00:00.000Z',
    lastRun: 1
  },
  {
    type: 'roleDefinition',
    id: 'r1',
    name: 'Help Desk Operator',
    category: 'tenant_admin',
    platform: 'any',
    lastSeen: '2026-11-01T00:00:00.000Z',
    meta: '{"isBuiltIn":true}'
  },
  {
    type: 'roleDefinition',
    id: 'r2',
    name: 'Our helpdesk',
    category: 'tenant_admin',
    platform: 'any',
    lastSeen: '2026-11-01T00:00:00.000Z',
    meta: '{"isBuiltIn":false}'
  },
  {
    // a flag named like the built-in one on a type that has no built-ins (the meta is the tenant's data)
    type: 'compliancePolicy',
    id: 'c4',
    name: 'Zz flagged',
    category: 'compliance',
    platform: 'android',
    lastSeen: '2026-11-01T00:00:00.000Z',
    meta: '{"isBuiltIn":true}'
  }
]

describe('InventoryQueryRepo', () => {
  let db: AtlasDatabase
  let repo: InventoryQueryRepo

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' })
    const now = '2026-11-05T00:00:00.000Z'
    for (const tenant of [T, 't2']) {
      db.sqlite
        .prepare(
          `INSERT INTO tenants (id, display_name, azure_tenant_id, cloud, client_id, auth_method, created_at, updated_at)
           VALUES (?, ?, 'x.onmicrosoft.com', 'global', 'c', 'client_secret', ?, ?)`
        )
        .run(tenant, tenant, now, now)
    }
    db.sqlite.pragma('foreign_keys = OFF') // run ids point at runs this test does not need
    const insert = db.sqlite.prepare(
      `INSERT INTO inventory_items (tenant_id, policy_type, external_id, display_name, category, platform, meta_json,
         first_seen_at, first_seen_run_id, last_seen_at, last_seen_run_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, '2026-10-01T00:00:00.000Z', 1, ?, ?, ?, ?)`
    )
    for (const r of ROWS) {
      insert.run(
        T,
        r.type,
        r.id,
        r.name,
        r.category,
        r.platform,
        r.meta ?? '{}',
        r.lastSeen,
        r.lastRun ?? null,
        now,
        now
      )
    }
    // another tenant's objects never count
    insert.run(
      't2',
      'compliancePolicy',
      'x1',
      'Win baseline',
      'compliance',
      'windows',
      '{}',
      now,
      null,
      now,
      now
    )
    repo = new InventoryQueryRepo(db.sqlite)
  })
  afterEach(() => db.close())

  const ids = (filter: InventoryFilter, sort: Parameters<InventoryQueryRepo['iterate']>[2] = []) =>
    [...repo.iterate(T, filter, sort, typesWithLabelMatching(filter.search))].map((r) => r.externalId)

  it('lists in the listing order, built-in objects left out unless asked for', () => {
    // type, then name case-folded in ASCII only (Ä after w), then id
    expect(ids({})).toEqual(['c2', 'c1', 'c4', 'c3', 'd2', 'd1', 'd3', 'r2'])
    expect(ids({ showBuiltIn: true })).toContain('r1')
  })

  it('judges built-ins only on the types whose registry rows keep the flags', () => {
    const flagged = POLICY_TYPES.filter((t) =>
      t.metaKeys.some((k) => k === 'isBuiltIn' || k === 'isBuiltInRoleDefinition')
    ).map((t) => t.key)
    expect([...TYPES_WITH_BUILT_INS].sort()).toEqual(flagged.sort())
    expect(ids({ categories: ['compliance'] })).toContain('c4')
  })

  it("combines filters with AND and a facet's values with OR", () => {
    expect(ids({ platforms: ['windows', 'macos'], categories: ['configuration'] })).toEqual([
      'd2',
      'd1',
      'd3'
    ])
    expect(ids({ platforms: ['windows'], name: 'vpn' })).toEqual(['d1', 'd3'])
    expect(ids({ platforms: ['ios'], categories: ['configuration'] })).toEqual([])
    expect(repo.count(T, { platforms: ['windows'] })).toBe(4)
  })

  it('matches text case-insensitively beyond ASCII, literally, in name, id, type key and label', () => {
    expect(ids({ name: 'ärger' })).toEqual(['c3'])
    expect(ids({ name: '%' })).toEqual([])
    expect(ids({ search: 'D2' })).toEqual(['d2'])
    expect(ids({ search: 'deviceconfig' })).toEqual(['d2', 'd1', 'd3'])
    // "Role" is in the label of roleDefinition ("… roles"), not in any name or id of these rows
    const roleLabelTypes = typesWithLabelMatching('role')
    expect(roleLabelTypes).toContain('roleDefinition')
    expect(ids({ search: 'role', showBuiltIn: true })).toEqual(['r1', 'r2'])
    // name filters the name only
    expect(ids({ name: 'd2' })).toEqual([])
  })

  it('bounds last seen from inclusive to exclusive', () => {
    expect(ids({ lastSeenFrom: '2026-11-03T00:00:00.000Z', lastSeenTo: '2026-11-04T00:00:00.000Z' })).toEqual(
      ['c3', 'd1']
    )
  })

  it('sorts by several keys, ties broken by the listing order in both directions', () => {
    expect(
      ids({}, [
        { id: 'platform', desc: false },
        { id: 'lastSeenAt', desc: true }
      ])
    ).toEqual(['c4', 'r2', 'c2', 'd2', 'c3', 'd1', 'c1', 'd3'])
    // equal names keep the listing order (d1 before d3) whichever direction
    expect(ids({ name: 'win vpn' }, [{ id: 'displayName', desc: true }])).toEqual(['d1', 'd3'])
    // run ids sort as numbers, no run first
    expect(ids({ categories: ['compliance'] }, [{ id: 'lastSeenRunId', desc: false }])).toEqual([
      'c4',
      'c3',
      'c1',
      'c2'
    ])
  })

  it('sorts names without regard to case, as the listing order does', () => {
    const names = (desc: boolean): string[] =>
      repo
        .list(T, { showBuiltIn: true }, [{ id: 'displayName', desc }], { limit: 50, offset: 0 })
        .map((r) => r.displayName)
    expect(names(false)).toEqual([
      'Help Desk Operator',
      'iOS baseline',
      'mac VPN',
      'Our helpdesk',
      'Win baseline',
      'Win VPN',
      'Win VPN',
      'Zz flagged',
      'ÄRGER policy'
    ])
    expect(names(true).slice(0, 3)).toEqual(['ÄRGER policy', 'Zz flagged', 'Win VPN'])
  })

  it('pages through the same order', () => {
    const sort = [{ id: 'displayName' as const, desc: false }]
    const all = ids({}, sort)
    const paged = [0, 3, 6].flatMap((offset) =>
      repo.list(T, {}, sort, { limit: 3, offset }).map((r) => r.externalId)
    )
    expect(paged).toEqual(all)
  })

  it('counts each facet under the other filters only', () => {
    const facets = repo.facets(T, { platforms: ['windows'], categories: ['configuration'] })
    // platform counts ignore the platform choice but respect the category
    expect(facets.platform).toEqual([
      { value: 'macos', count: 1 },
      { value: 'windows', count: 2 }
    ])
    // category counts ignore the category choice but respect the platform
    expect(facets.category).toEqual([
      { value: 'compliance', count: 2 },
      { value: 'configuration', count: 2 }
    ])
    expect(facets.policyType).toEqual([{ value: 'deviceConfiguration', count: 2 }])
  })

  it('gives facet counts equal to counting the filtered rows by hand', () => {
    const filters: InventoryFilter[] = [
      {},
      { search: 'baseline' },
      { policyTypes: ['compliancePolicy'], lastSeenFrom: '2026-11-02T00:00:00.000Z' },
      { showBuiltIn: true, name: 'help' }
    ]
    for (const filter of filters) {
      const facets = repo.facets(T, filter, typesWithLabelMatching(filter.search))
      const byHand = (key: 'policyType' | 'category' | 'platform', own: keyof InventoryFilter) => {
        const rows = [
          ...repo.iterate(T, { ...filter, [own]: undefined }, [], typesWithLabelMatching(filter.search))
        ]
        const counts = new Map<string, number>()
        for (const r of rows) counts.set(r[key], (counts.get(r[key]) ?? 0) + 1)
        return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([value, count]) => ({ value, count }))
      }
      expect(facets.policyType, JSON.stringify(filter)).toEqual(byHand('policyType', 'policyTypes'))
      expect(facets.category).toEqual(byHand('category', 'categories'))
      expect(facets.platform).toEqual(byHand('platform', 'platforms'))
    }
  })
})
