import type { CrossTenantFilter, CrossTenantObjectRow, InsightRepo } from '../../db/repositories/insight-repo'
import type { TenantsRepo } from '../../db/repositories/tenants-repo'
import { getPolicyType } from '../graph/registry'

export interface CrossTenantRow {
  /** stable row key: the type, or type + "\u0000" + normalised name */
  key: string
  policyType: string
  policyTypeLabel: string
  category: string
  /** by name: the normalised (trimmed, lower-cased) display name the row groups, and one stored spelling */
  nameKey: string | null
  displayName: string | null
  /** objects per tenant id (a tenant without any is absent from the record) */
  counts: Record<string, number>
  total: number
  /** how many tenants have at least one */
  tenantsWith: number
}

export interface CrossTenantMatrix {
  by: 'type' | 'name'
  /** the columns, by display name */
  tenants: Array<{ id: string; displayName: string }>
  rows: CrossTenantRow[]
  /** by name over a large store: only the first MATRIX_ROW_LIMIT rows (narrow with a type or a search) */
  truncated: boolean
}

export const MATRIX_ROW_LIMIT = 5000

export type CrossTenantObject = CrossTenantObjectRow & { policyTypeLabel: string }

/**
 * The side-by-side view of every client: rows are policy types (or type + normalised display name),
 * columns are tenants, cells count objects. Built from the offline store alone: nothing here reaches
 * Graph, so it answers with the network off.
 */
export class CrossTenantService {
  constructor(private readonly deps: { tenants: TenantsRepo; insight: InsightRepo }) {}

  matrix(input: { by?: 'type' | 'name'; policyType?: string; search?: string }): CrossTenantMatrix {
    const by = input.by ?? 'type'
    const tenants = this.deps.tenants
      .list()
      .map((t) => ({ id: t.id, displayName: t.displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
    const cells = this.deps.insight.crossTenantCounts({
      byName: by === 'name',
      filter: { policyType: input.policyType, search: input.search }
    })
    const rows = new Map<string, CrossTenantRow>()
    let truncated = false
    for (const cell of cells) {
      const key = cell.nameKey === null ? cell.policyType : `${cell.policyType}\u0000${cell.nameKey}`
      let row = rows.get(key)
      if (!row) {
        if (rows.size >= MATRIX_ROW_LIMIT) {
          truncated = true
          break
        }
        const def = getPolicyType(cell.policyType)
        row = {
          key,
          policyType: cell.policyType,
          policyTypeLabel: def?.label ?? cell.policyType,
          category: def?.category ?? 'unknown',
          nameKey: cell.nameKey,
          displayName: cell.displayName,
          counts: {},
          total: 0,
          tenantsWith: 0
        }
        rows.set(key, row)
      }
      row.counts[cell.tenantId] = cell.count
      row.total += cell.count
      row.tenantsWith++
    }
    return { by, tenants, rows: [...rows.values()], truncated }
  }

  /** A cell's objects, a row's (no tenant), or a search across every tenant. */
  objects(input: CrossTenantFilter & { limit?: number; offset?: number }): {
    total: number
    items: CrossTenantObject[]
  } {
    const found = this.deps.insight.crossTenantObjects({
      ...input,
      limit: input.limit ?? 500,
      offset: input.offset ?? 0
    })
    return {
      total: found.total,
      items: found.items.map((i) => ({
        ...i,
        policyTypeLabel: getPolicyType(i.policyType)?.label ?? i.policyType
      }))
    }
  }
}
