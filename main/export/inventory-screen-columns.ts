/**
 * The on-screen variant of the inventory export: the columns the grid shows, in the grid's order. Each
 * grid column maps to the default view's column of the same meaning (same header, same cell encoding),
 * so a spreadsheet built on the documented export reads these files too (docs/csv-format.md).
 */
import type { InventoryColumnId } from '../../domain/inventory-query'
import type { CsvColumn } from './csv-writer'

/** What an on-screen row is built from: the stored item and its type's label. */
export interface ScreenRow {
  policyTypeLabel: string
  displayName: string
  platform: string
  category: string
  externalId: string
  firstSeenAt: string
  firstSeenRunId: number | null
  lastSeenAt: string
  lastSeenRunId: number | null
}

export const SCREEN_COLUMNS: Readonly<Record<InventoryColumnId, CsvColumn<ScreenRow>>> = Object.freeze({
  // the grid shows the type's label, so the file does too
  policyType: { header: 'policy_type_label', value: (r) => r.policyTypeLabel },
  displayName: { header: 'display_name', value: (r) => r.displayName },
  platform: { header: 'platform', value: (r) => r.platform },
  category: { header: 'category', value: (r) => r.category },
  lastSeenAt: { header: 'last_seen_at', kind: 'timestamp', value: (r) => r.lastSeenAt },
  firstSeenAt: { header: 'first_seen_at', kind: 'timestamp', value: (r) => r.firstSeenAt },
  externalId: { header: 'external_id', value: (r) => r.externalId },
  lastSeenRunId: { header: 'last_seen_run_id', kind: 'number', value: (r) => r.lastSeenRunId },
  firstSeenRunId: { header: 'first_seen_run_id', kind: 'number', value: (r) => r.firstSeenRunId }
})

export function screenColumns(ids: readonly InventoryColumnId[]): CsvColumn<ScreenRow>[] {
  return ids.map((id) => SCREEN_COLUMNS[id])
}
