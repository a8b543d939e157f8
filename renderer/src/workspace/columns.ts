import type { InventoryColumnId, InventoryItemView } from '../../../preload/contract'

/** One grid column: its header, its share of the row's width and the text it sorts by. */
export interface GridColumn {
  id: InventoryColumnId
  label: string
  /** fr units of the row's grid template */
  width: number
  /**
   * The least the column may shrink to (a CSS length): a date cut to "Dec 4, 2026, 8:…" hides the very
   * time an inventory is about, so date columns keep room for a whole date and the others give way.
   */
  minWidth?: string
  /**
   * What the column sorts by, compared as text by code units: raw stored values (the engine sorts the
   * same values in SQL for the on-screen export), run ids zero-padded so text order is number order and
   * "no run" (empty) first.
   */
  sortValue: (item: InventoryItemView) => string
}

/** room for the longest medium date with a short time at the grid's text size ("Dec 24, 2026, 12:50 PM") */
const DATE_MIN_WIDTH = '10rem'

const runKey = (id: number | null) => (id === null ? '' : String(id).padStart(16, '0'))

/** Every column the chooser offers, in the default order (the engine's INVENTORY_COLUMN_IDS). */
export const GRID_COLUMNS: Readonly<Record<InventoryColumnId, GridColumn>> = {
  policyType: { id: 'policyType', label: 'Type', width: 2, sortValue: (i) => i.policyType },
  displayName: { id: 'displayName', label: 'Name', width: 3, sortValue: (i) => i.displayName },
  platform: { id: 'platform', label: 'Platform', width: 1, sortValue: (i) => i.platform },
  category: { id: 'category', label: 'Category', width: 1, sortValue: (i) => i.category },
  lastSeenAt: {
    id: 'lastSeenAt',
    label: 'Last seen',
    width: 1.5,
    minWidth: DATE_MIN_WIDTH,
    sortValue: (i) => i.lastSeenAt
  },
  firstSeenAt: {
    id: 'firstSeenAt',
    label: 'First seen',
    width: 1.5,
    minWidth: DATE_MIN_WIDTH,
    sortValue: (i) => i.firstSeenAt
  },
  externalId: { id: 'externalId', label: 'Object id', width: 2, sortValue: (i) => i.externalId },
  lastSeenRunId: {
    id: 'lastSeenRunId',
    label: 'Last run',
    width: 0.8,
    sortValue: (i) => runKey(i.lastSeenRunId)
  },
  firstSeenRunId: {
    id: 'firstSeenRunId',
    label: 'First run',
    width: 0.8,
    sortValue: (i) => runKey(i.firstSeenRunId)
  }
}

/** The grid's CSS columns for the chosen columns: each its share of the width, dates never below a whole date. */
export function gridTemplate(ids: readonly InventoryColumnId[]): string {
  return ids
    .map((id) => {
      const c = GRID_COLUMNS[id]
      return c.minWidth ? `minmax(${c.minWidth}, ${c.width}fr)` : `${c.width}fr`
    })
    .join(' ')
}

export const ALL_COLUMN_IDS = Object.keys(GRID_COLUMNS) as InventoryColumnId[]

/** Shown until the user chooses (the engine keeps the choice: inventory:columns-set). */
export const DEFAULT_COLUMNS: InventoryColumnId[] = [
  'policyType',
  'displayName',
  'platform',
  'category',
  'lastSeenAt'
]

export const SORT_VALUES = Object.fromEntries(
  ALL_COLUMN_IDS.map((id) => [id, GRID_COLUMNS[id].sortValue])
) as Record<InventoryColumnId, (item: InventoryItemView) => string>

export const PLATFORM_LABELS: Record<string, string> = {
  windows: 'Windows',
  ios: 'iOS',
  macos: 'macOS',
  android: 'Android',
  linux: 'Linux',
  multi: 'Several',
  any: 'Any',
  unknown: 'Unknown'
}

export const platformLabel = (key: string) => PLATFORM_LABELS[key] ?? key
