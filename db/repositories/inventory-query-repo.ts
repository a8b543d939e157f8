import type Database from 'better-sqlite3'
import type {
  FacetCounts,
  FacetKey,
  InventoryColumnId,
  InventoryFilter,
  InventorySortEntry
} from '../../domain/inventory-query'
import { FACET_KEYS } from '../../domain/inventory-query'
import { ITEM_SELECT_COLUMNS, LISTING_ORDER, NOT_BUILT_IN, type ItemRow } from './inventory-repo'

/**
 * The inventory workspace's reads: facet counts and the filtered, sorted listing behind the on-screen
 * export. The filter means exactly what the page's filter means (renderer/src/workspace/view-filter.ts):
 * text matches go through `atlas_contains`, a JavaScript function registered on the connection, because
 * SQLite's LIKE and lower() fold ASCII only and the page folds with toLowerCase.
 */
export class InventoryQueryRepo {
  private readonly statements = new Map<string, Database.Statement>()

  constructor(private readonly sqlite: Database.Database) {
    sqlite.function('atlas_contains', { deterministic: true }, (haystack: unknown, needle: unknown) =>
      typeof haystack === 'string' && typeof needle === 'string' && haystack.toLowerCase().includes(needle)
        ? 1
        : 0
    )
  }

  /**
   * Per facet, the objects of each value under every other active filter: a facet's own choice never
   * narrows its own counts, so the user sees what else they could add.
   */
  facets(tenantId: string, filter: InventoryFilter, labelMatches: readonly string[] = []): FacetCounts {
    const counts = {} as FacetCounts
    for (const key of FACET_KEYS) {
      const { where, params } = whereClause(tenantId, filter, labelMatches, key)
      const column = FACET_COLUMN[key]
      counts[key] = this.statement(
        `SELECT ${column} AS value, count(*) AS count FROM inventory_items WHERE ${where}
         GROUP BY ${column} ORDER BY ${column}`
      ).all(...params) as Array<{ value: string; count: number }>
    }
    return counts
  }

  count(tenantId: string, filter: InventoryFilter, labelMatches: readonly string[] = []): number {
    const { where, params } = whereClause(tenantId, filter, labelMatches)
    return (
      this.statement(`SELECT count(*) AS n FROM inventory_items WHERE ${where}`).get(...params) as {
        n: number
      }
    ).n
  }

  /** The matching rows in the view's order, lazily (exports stream them). */
  iterate(
    tenantId: string,
    filter: InventoryFilter,
    sort: readonly InventorySortEntry[],
    labelMatches: readonly string[] = []
  ): IterableIterator<ItemRow> {
    const { where, params } = whereClause(tenantId, filter, labelMatches)
    return this.statement(
      `SELECT ${ITEM_SELECT_COLUMNS} FROM inventory_items WHERE ${where} ORDER BY ${orderBy(sort)}`
    ).iterate(...params) as IterableIterator<ItemRow>
  }

  /** A page of `iterate`'s rows. */
  list(
    tenantId: string,
    filter: InventoryFilter,
    sort: readonly InventorySortEntry[],
    page: { limit: number; offset: number },
    labelMatches: readonly string[] = []
  ): ItemRow[] {
    const { where, params } = whereClause(tenantId, filter, labelMatches)
    return this.statement(
      `SELECT ${ITEM_SELECT_COLUMNS} FROM inventory_items WHERE ${where} ORDER BY ${orderBy(sort)}
       LIMIT ? OFFSET ?`
    ).all(...params, page.limit, page.offset) as ItemRow[]
  }

  // The SQL text depends only on which filter parts are present, so a handful of statements get reused.
  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql)
    if (!stmt) {
      stmt = this.sqlite.prepare(sql)
      this.statements.set(sql, stmt)
    }
    return stmt
  }
}

const FACET_COLUMN: Record<FacetKey, string> = {
  policyType: 'policy_type',
  category: 'category',
  platform: 'platform'
}

/**
 * What each column sorts by; run ids sort as numbers with "no run" (null) first, as in the page. Names
 * ignore case, as the listing order does ("iOS baseline" between "Help desk" and "Win VPN").
 */
const SORT_COLUMN: Record<InventoryColumnId, string> = {
  policyType: 'policy_type',
  displayName: 'display_name COLLATE NOCASE',
  platform: 'platform',
  category: 'category',
  lastSeenAt: 'last_seen_at',
  firstSeenAt: 'first_seen_at',
  externalId: 'external_id',
  lastSeenRunId: 'last_seen_run_id',
  firstSeenRunId: 'first_seen_run_id'
}

/**
 * The chosen keys, then the listing order as tie-breaker (the order the page loads rows in, and its sort
 * is stable): the result is total because (tenant, type, external id) is unique.
 */
function orderBy(sort: readonly InventorySortEntry[]): string {
  const keys = sort.map((s) => `${SORT_COLUMN[s.id]} ${s.desc ? 'DESC' : 'ASC'}`)
  return [...keys, LISTING_ORDER].join(', ')
}

function lowered(text: string | undefined): string | null {
  const term = text?.trim().toLowerCase() ?? ''
  return term === '' ? null : term
}

/**
 * WHERE clause of a filter, optionally leaving one facet's own choice out (for that facet's counts).
 * `labelMatches` are the type keys whose label contains the search term (labels live in the registry).
 */
export function whereClause(
  tenantId: string,
  filter: InventoryFilter,
  labelMatches: readonly string[],
  exceptFacet?: FacetKey
): { where: string; params: unknown[] } {
  const clauses = ['tenant_id = ?']
  const params: unknown[] = [tenantId]
  const facetValues: Record<FacetKey, string[] | undefined> = {
    policyType: filter.policyTypes,
    category: filter.categories,
    platform: filter.platforms
  }
  for (const key of FACET_KEYS) {
    const values = facetValues[key]
    if (key === exceptFacet || !values || values.length === 0) continue
    clauses.push(`${FACET_COLUMN[key]} IN (SELECT value FROM json_each(?))`)
    params.push(JSON.stringify(values))
  }
  const name = lowered(filter.name)
  if (name !== null) {
    clauses.push('atlas_contains(display_name, ?)')
    params.push(name)
  }
  const search = lowered(filter.search)
  if (search !== null) {
    clauses.push(
      '(atlas_contains(display_name, ?) OR atlas_contains(external_id, ?) OR atlas_contains(policy_type, ?)' +
        ' OR policy_type IN (SELECT value FROM json_each(?)))'
    )
    params.push(search, search, search, JSON.stringify(labelMatches))
  }
  if (filter.lastSeenFrom) {
    clauses.push('last_seen_at >= ?')
    params.push(filter.lastSeenFrom)
  }
  if (filter.lastSeenTo) {
    clauses.push('last_seen_at < ?')
    params.push(filter.lastSeenTo)
  }
  if (!filter.showBuiltIn) clauses.push(NOT_BUILT_IN)
  return { where: clauses.join(' AND '), params }
}
