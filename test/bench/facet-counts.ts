/**
 * Goal (issue 10): facet counts over 10 tenants × 20k objects each cost at most 2× one hand-written SQL
 * query per tenant giving the same answer. The engine's side is atlas.inventoryFacets (three grouped
 * counts, each under the other facets' filters, through the API); the baseline is one UNION ALL statement
 * with the filter values written into it as literals. Two views: facets only, and facets plus a search
 * term (the engine matches text with a registered JavaScript function so case folding equals the page's;
 * the baseline uses LIKE, which gives the same answer on this ASCII data).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { FacetCounts, InventoryFilter } from '../../domain/inventory-query'
import { createTestAtlas } from '../support/create-test-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { typesWithLabelMatching } from '../../main/inventory/inventory-workspace'
import { goal, type BenchSection, type GoalResult } from './bench-types'
import { insertStoredItems, storedItems } from './item-fixture'
import { interleaved, median, round } from './measure'

// a hand-written query knows, as the engine does, that only roles and scope tags carry the built-in flags
const NOT_BUILT_IN =
  "(policy_type NOT IN ('roleDefinition', 'roleScopeTag') OR (" +
  "coalesce(json_extract(meta_json, '$.isBuiltIn'), 0) = 0 AND " +
  "coalesce(json_extract(meta_json, '$.isBuiltInRoleDefinition'), 0) = 0))"

interface View {
  id: string
  title: string
  filter: InventoryFilter
}

const VIEWS: View[] = [
  {
    id: 'facets',
    title: 'category + platform chosen',
    filter: { categories: ['configuration', 'security'], platforms: ['windows'] }
  },
  {
    id: 'facetsSearch',
    title: 'category + platform chosen, search "pilot"',
    filter: { categories: ['configuration', 'security'], platforms: ['windows'], search: 'pilot' }
  }
]

const quote = (v: string) => `'${v.replace(/'/g, "''")}'`

/** The hand-written query: three GROUP BYs in one statement, each leaving out its own facet's filter. */
function rawFacetSql(filter: InventoryFilter): string {
  const cats = `category IN (${(filter.categories ?? []).map(quote).join(', ')})`
  const plats = `platform IN (${(filter.platforms ?? []).map(quote).join(', ')})`
  const term = filter.search?.trim()
  const labels = typesWithLabelMatching(term).map(quote).join(', ')
  const like = term ? `%${term}%` : ''
  const search = term
    ? ` AND (display_name LIKE ${quote(like)} OR external_id LIKE ${quote(like)} OR policy_type LIKE ${quote(like)}` +
      (labels ? ` OR policy_type IN (${labels})` : '') +
      ')'
    : ''
  const base = `FROM inventory_items WHERE tenant_id = @tenant AND ${NOT_BUILT_IN}${search}`
  return `SELECT 'policyType' AS facet, policy_type AS value, count(*) AS count ${base} AND ${cats} AND ${plats}
      GROUP BY policy_type
    UNION ALL SELECT 'category', category, count(*) ${base} AND ${plats} GROUP BY category
    UNION ALL SELECT 'platform', platform, count(*) ${base} AND ${cats} GROUP BY platform`
}

function toCounts(rows: Array<{ facet: keyof FacetCounts; value: string; count: number }>): FacetCounts {
  const out: FacetCounts = { policyType: [], category: [], platform: [] }
  for (const r of rows) out[r.facet].push({ value: r.value, count: r.count })
  for (const list of Object.values(out))
    list.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
  return out
}

function populate(sqlite: Database.Database, tenants: string[], perTenant: number): void {
  const items = storedItems(perTenant)
  const now = '2026-11-01T00:00:00.000Z'
  const addTenant = sqlite.prepare(
    `INSERT INTO tenants (id, display_name, azure_tenant_id, cloud, client_id, auth_method, created_at, updated_at)
     VALUES (?, ?, 'bench.onmicrosoft.com', 'global', 'c', 'client_secret', ?, ?)`
  )
  for (const tenant of tenants) {
    addTenant.run(tenant, tenant, now, now)
    insertStoredItems(sqlite, tenant, items, now)
  }
  sqlite.pragma('optimize')
}

export async function benchFacetCounts(opts: {
  tenants: number
  perTenant: number
  runs: number
  warmup: number
}): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-facets-'))
  const atlas = createTestAtlas({ dataDir: dir, secretStore: new MemorySecretStore() })
  try {
    const sqlite = atlas.db.sqlite
    const tenants = Array.from({ length: opts.tenants }, (_, k) => `bench-tenant-${k}`)
    populate(sqlite, tenants, opts.perTenant)
    const goals: GoalResult[] = []
    const context: Record<string, unknown> = {}
    for (const view of VIEWS) {
      const rawStmt = sqlite.prepare(rawFacetSql(view.filter))
      const engine = () => tenants.map((tenantId) => atlas.inventoryFacets({ tenantId, filter: view.filter }))
      const raw = () =>
        tenants.map((tenant) =>
          toCounts(
            rawStmt.all({ tenant }) as Array<{ facet: keyof FacetCounts; value: string; count: number }>
          )
        )
      // same answer first, or the timing compares different work
      const e0 = JSON.stringify(engine())
      const r0 = JSON.stringify(raw())
      if (e0 !== r0)
        throw new Error(
          `facet baseline disagrees with the engine (${view.id}): ${e0.slice(0, 200)} vs ${r0.slice(0, 200)}`
        )
      const total = (engine()[0]?.platform ?? []).reduce((a, c) => a + c.count, 0)
      if (total === 0)
        throw new Error(`the ${view.id} view matches nothing: the benchmark would time empty work`)
      const { a: e, b: r } = await interleaved(opts.runs, opts.warmup, engine, raw)
      const em = median(e)
      const rm = median(r)
      goals.push(
        goal({
          id: `facets.${view.id}`,
          title: `Facet counts, ${opts.tenants} tenants × ${opts.perTenant} objects (${view.title})`,
          ratio: em / rm,
          goal: '<= 2',
          definition:
            'median time of atlas.inventoryFacets for every tenant / median time of one hand-written UNION ALL ' +
            'statement per tenant, same counts',
          context: {
            engineMedianMs: round(em, 1),
            rawMedianMs: round(rm, 1),
            engineSamplesMs: e.map((v) => round(v, 1)),
            rawSamplesMs: r.map((v) => round(v, 1)),
            windowsObjectsPerTenant: total
          }
        })
      )
      context[view.id] = view.filter
    }
    return {
      name: `Facet counts (${opts.tenants} tenants × ${opts.perTenant} objects)`,
      goals,
      findings: goals
        .filter((g) => g.verdict === 'fail')
        .map((g) => `${g.title}: ${g.ratio}× (goal ${g.goal}).`),
      setup: {
        tenants: opts.tenants,
        objectsPerTenant: opts.perTenant,
        runs: opts.runs,
        warmup: opts.warmup,
        views: context,
        note: 'both sides checked to give the same counts per tenant, facet and value before timing'
      }
    }
  } finally {
    await atlas.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
