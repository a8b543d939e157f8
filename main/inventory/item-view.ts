import type { ItemRow } from '../../db/repositories/inventory-repo'
import { isBuiltInItem } from '../../domain/item-properties'
import type { Platform } from '../../domain/policy-type'

/** An inventory object as the API returns it (listInventory): its row with the metadata parsed. */
export interface InventoryItemView {
  id: number
  tenantId: string
  policyType: string
  category: string
  platform: Platform | string
  externalId: string
  displayName: string
  meta: Record<string, unknown>
  /** a Microsoft built-in object (built-in Intune role, the Default scope tag): kept, marked, hidden by default views */
  builtIn: boolean
  firstSeenAt: string
  firstSeenRunId: number | null
  lastSeenAt: string
  lastSeenRunId: number | null
  updatedAt: string
}

export function toItemView(row: ItemRow): InventoryItemView {
  const meta = JSON.parse(row.metaJson) as Record<string, unknown>
  return {
    id: row.id,
    tenantId: row.tenantId,
    policyType: row.policyType,
    category: row.category,
    platform: row.platform,
    externalId: row.externalId,
    displayName: row.displayName,
    meta,
    builtIn: isBuiltInItem(row.policyType, meta),
    firstSeenAt: row.firstSeenAt,
    firstSeenRunId: row.firstSeenRunId,
    lastSeenAt: row.lastSeenAt,
    lastSeenRunId: row.lastSeenRunId,
    updatedAt: row.updatedAt
  }
}
