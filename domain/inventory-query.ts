/**
 * What an inventory view is made of: the filter, the sort and the columns a consultant chose. The page
 * applies it to the rows it holds (renderer/src/workspace), the engine applies the same definition in SQL
 * for facet counts and the on-screen CSV export (db/repositories/inventory-query-repo.ts), and saved views
 * store it. Types and constants only, so every layer can share it.
 */

/** The grid's columns, in their default order; also the on-screen export's column ids. */
export const INVENTORY_COLUMN_IDS = [
  'policyType',
  'displayName',
  'platform',
  'category',
  'lastSeenAt',
  'firstSeenAt',
  'externalId',
  'lastSeenRunId',
  'firstSeenRunId'
] as const
export type InventoryColumnId = (typeof INVENTORY_COLUMN_IDS)[number]

/** The columns shown until the user picks others. */
export const DEFAULT_INVENTORY_COLUMNS: readonly InventoryColumnId[] = [
  'policyType',
  'displayName',
  'platform',
  'category',
  'lastSeenAt'
]

/** The facets a view can be narrowed by, each a multi-select over the stored values. */
export const FACET_KEYS = ['policyType', 'category', 'platform'] as const
export type FacetKey = (typeof FACET_KEYS)[number]

/**
 * Every part is optional and they combine with AND; within a facet the chosen values combine with OR.
 * Text matches are case-insensitive substring matches (JavaScript's toLowerCase on both sides).
 */
export interface InventoryFilter {
  policyTypes?: string[]
  categories?: string[]
  platforms?: string[]
  /** substring of the display name */
  name?: string
  /** substring of the name, the object id, the type key or the type's label */
  search?: string
  /** last seen at or after this instant (ISO 8601 UTC) */
  lastSeenFrom?: string
  /** last seen before this instant (exclusive) */
  lastSeenTo?: string
  /** include Microsoft's built-in objects (built-in roles, the Default scope tag); hidden by default */
  showBuiltIn?: boolean
}

/** One sort key; the first entry decides, later ones break its ties, then the listing order. */
export interface InventorySortEntry {
  id: InventoryColumnId
  desc: boolean
}

/** Per facet, how many objects each value has under every OTHER active filter. */
export type FacetCounts = Record<FacetKey, Array<{ value: string; count: number }>>

/** A named view as the settings store keeps it. */
export interface SavedView {
  name: string
  filter: InventoryFilter
  columns: InventoryColumnId[]
  sort: InventorySortEntry[]
  savedAt: string
}

/** Bounds the contract and the store both enforce. */
export const VIEW_LIMITS = { views: 50, nameLength: 80, textFilterLength: 200, sortEntries: 9 } as const
