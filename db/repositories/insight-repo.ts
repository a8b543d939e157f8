import type Database from 'better-sqlite3'

/** An inventory object that is new or changed since a run (changes since the user's last visit). */
export interface ChangedItemRow {
  id: number
  policyType: string
  externalId: string
  displayName: string
  category: string
  platform: string
  firstSeenAt: string
  firstSeenRunId: number | null
  lastSeenAt: string
  changedRunId: number | null
  updatedAt: string
  change: 'new' | 'changed'
}

/** One cell of the cross-tenant matrix: how many objects of a row (type, or type + name) a tenant has. */
export interface CrossTenantCellRow {
  policyType: string
  /** lower-cased, trimmed display name; null when the matrix is by type only */
  nameKey: string | null
  /** a display name of the row as stored (the first by sort order), for the label */
  displayName: string | null
  tenantId: string
  count: number
}

export interface CrossTenantObjectRow {
  id: number
  tenantId: string
  tenantName: string
  policyType: string
  externalId: string
  displayName: string
  category: string
  platform: string
  firstSeenAt: string
  lastSeenAt: string
  lastSeenRunId: number | null
}

export interface CrossTenantFilter {
  tenantId?: string
  policyType?: string
  /** exact normalised name (a matrix row of the by-name view) */
  nameKey?: string
  /** literal substring of name or external id, any case */
  search?: string
}

/**
 * The read-only queries of the insight views (changes since a run, the cross-tenant matrix and search).
 * They read the offline store only. Names are normalised in SQL (lower(trim())) so grouping and the cell
 * lookup agree by construction; SQLite's lower() folds ASCII only, which covers policy naming in practice.
 */
export class InsightRepo {
  constructor(private readonly sqlite: Database.Database) {}

  /** Objects first seen after `runId` (new) or whose properties changed after it (changed). */
  changesSince(tenantId: string, runId: number): ChangedItemRow[] {
    return this.sqlite
      .prepare(
        `SELECT id, policy_type AS policyType, external_id AS externalId, display_name AS displayName,
           category, platform, first_seen_at AS firstSeenAt, first_seen_run_id AS firstSeenRunId,
           last_seen_at AS lastSeenAt, changed_run_id AS changedRunId, updated_at AS updatedAt,
           CASE WHEN first_seen_run_id > @runId THEN 'new' ELSE 'changed' END AS change
         FROM inventory_items
         WHERE tenant_id = @tenantId AND (first_seen_run_id > @runId OR changed_run_id > @runId)
         ORDER BY policy_type, display_name COLLATE NOCASE, external_id`
      )
      .all({ tenantId, runId }) as ChangedItemRow[]
  }

  /** Counts per (type[, name], tenant), over the filter. */
  crossTenantCounts(opts: { byName: boolean; filter: CrossTenantFilter }): CrossTenantCellRow[] {
    const { where, params } = crossFilter(opts.filter)
    const sql = opts.byName
      ? `SELECT policy_type AS policyType, lower(trim(display_name)) AS nameKey,
           min(display_name) AS displayName, tenant_id AS tenantId, count(*) AS count
         FROM inventory_items WHERE ${where}
         GROUP BY policy_type, nameKey, tenant_id ORDER BY policy_type, nameKey, tenant_id`
      : `SELECT policy_type AS policyType, NULL AS nameKey, NULL AS displayName, tenant_id AS tenantId,
           count(*) AS count
         FROM inventory_items WHERE ${where}
         GROUP BY policy_type, tenant_id ORDER BY policy_type, tenant_id`
    return this.sqlite.prepare(sql).all(...params) as CrossTenantCellRow[]
  }

  crossTenantObjects(filter: CrossTenantFilter & { limit: number; offset: number }): {
    total: number
    items: CrossTenantObjectRow[]
  } {
    const { where, params } = crossFilter(filter, 'i.')
    const total = (
      this.sqlite.prepare(`SELECT count(*) AS n FROM inventory_items i WHERE ${where}`).get(...params) as {
        n: number
      }
    ).n
    const items = this.sqlite
      .prepare(
        `SELECT i.id, i.tenant_id AS tenantId, t.display_name AS tenantName, i.policy_type AS policyType,
           i.external_id AS externalId, i.display_name AS displayName, i.category, i.platform,
           i.first_seen_at AS firstSeenAt, i.last_seen_at AS lastSeenAt, i.last_seen_run_id AS lastSeenRunId
         FROM inventory_items i JOIN tenants t ON t.id = i.tenant_id
         WHERE ${where}
         ORDER BY i.display_name COLLATE NOCASE, t.display_name COLLATE NOCASE, i.policy_type, i.external_id
         LIMIT ? OFFSET ?`
      )
      .all(...params, filter.limit, filter.offset) as CrossTenantObjectRow[]
    return { total, items }
  }
}

function crossFilter(f: CrossTenantFilter, p = ''): { where: string; params: unknown[] } {
  const clauses = ['1 = 1']
  const params: unknown[] = []
  if (f.tenantId !== undefined) {
    clauses.push(`${p}tenant_id = ?`)
    params.push(f.tenantId)
  }
  if (f.policyType !== undefined) {
    clauses.push(`${p}policy_type = ?`)
    params.push(f.policyType)
  }
  if (f.nameKey !== undefined) {
    clauses.push(`lower(trim(${p}display_name)) = ?`)
    params.push(f.nameKey)
  }
  if (f.search !== undefined && f.search.trim() !== '') {
    // escaped so "50%" or "a_b" match literally
    clauses.push(`(${p}display_name LIKE ? ESCAPE '\\' OR ${p}external_id LIKE ? ESCAPE '\\')`)
    const pattern = `%${f.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    params.push(pattern, pattern)
  }
  return { where: clauses.join(' AND '), params }
}
