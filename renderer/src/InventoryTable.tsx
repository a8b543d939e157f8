import { useEffect, useRef, useState } from 'react'
import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  globalFilteringFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type FilterFn,
  type SortFn
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { describeError, unwrap, type AtlasBridge } from './atlas-client'
import type { ChannelOutputs } from '../../preload/contract'

type InventoryItemView = ChannelOutputs['inventory:list']['items'][number]

/** The largest page the inventory:list channel accepts (preload/contract.ts). */
const PAGE_SIZE = 5000
/** Fixed so the virtualizer never measures rows: scrolling cost stays independent of the row count. */
const ROW_HEIGHT = 30

const features = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel()
})
const column = createColumnHelper<typeof features, InventoryItemView>()

type SortKey = 'policyType' | 'displayName' | 'platform' | 'category' | 'lastSeenAt'
/**
 * Compares the raw field of the two items. The stock sort functions go through row.getValue and a
 * per-comparison transform, which is most of the cost of sorting 100k rows; these fields are plain
 * strings (ISO timestamps sort as text), so a direct comparison gives the same order.
 */
function byField(key: SortKey): SortFn<typeof features, InventoryItemView> {
  return (a, b) => {
    const x = a.original[key]
    const y = b.original[key]
    return x === y ? 0 : x > y ? 1 : -1
  }
}

const columns = column.columns([
  // the filter reads name and type together from one key (matchesNameOrType), so only Name carries it
  column.accessor('policyType', { header: 'Type', sortFn: byField('policyType'), enableGlobalFilter: false }),
  column.accessor('displayName', { header: 'Name', sortFn: byField('displayName') }),
  column.accessor('platform', { header: 'Platform', sortFn: byField('platform'), enableGlobalFilter: false }),
  column.accessor('category', { header: 'Category', sortFn: byField('category'), enableGlobalFilter: false }),
  column.accessor('lastSeenAt', {
    header: 'Last seen',
    sortFn: byField('lastSeenAt'),
    enableGlobalFilter: false,
    cell: (info) => new Date(info.getValue()).toLocaleString()
  })
])

/**
 * Lowercased "name + type" per item, built once: the stock includesString filter lowercases every cell on
 * every keystroke, which is most of the cost of filtering 100k rows.
 */
const searchKeys = new WeakMap<InventoryItemView, string>()
function searchKey(item: InventoryItemView): string {
  let key = searchKeys.get(item)
  if (key === undefined) {
    key = `${item.displayName}\n${item.policyType}`.toLowerCase()
    searchKeys.set(item, key)
  }
  return key
}

const matchesNameOrType: FilterFn<typeof features, InventoryItemView> = Object.assign(
  (row: { original: InventoryItemView }, _columnId: string, term: string) =>
    searchKey(row.original).includes(term),
  { resolveFilterValue: (value: unknown) => String(value).toLowerCase() }
)

/** Every item of a tenant, read page by page (the channel caps a page at 5000). */
async function loadAll(atlas: AtlasBridge, tenantId: string, isCurrent: () => boolean) {
  const items: InventoryItemView[] = []
  for (;;) {
    const page = await unwrap(atlas.listInventory({ tenantId, limit: PAGE_SIZE, offset: items.length }))
    if (!isCurrent()) return null
    items.push(...page.items)
    // an empty page ends the loop even if the total moved under us (a sync running meanwhile)
    if (page.items.length === 0 || items.length >= page.total) return items
  }
}

export function InventoryPanel({ atlas, tenantId }: { atlas: AtlasBridge; tenantId: string }) {
  const [items, setItems] = useState<InventoryItemView[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let current = true
    setItems(null)
    setError(null)
    loadAll(atlas, tenantId, () => current)
      .then((list) => current && list && setItems(list))
      .catch((err: unknown) => current && setError(describeError(err)))
    return () => {
      current = false
    }
  }, [atlas, tenantId])

  if (error) return <div className="error">{error}</div>
  if (items === null) return <p className="muted">Loading inventory…</p>
  return <InventoryTable items={items} />
}

/** All items of one tenant, sorted and filtered in memory; only the visible rows are in the DOM. */
export function InventoryTable({ items }: { items: InventoryItemView[] }) {
  const table = useTable({
    features,
    columns,
    data: items,
    globalFilterFn: matchesNameOrType,
    getRowId: (item) => String(item.id)
  })
  const rows = table.getRowModel().rows
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10
  })
  const filter = (table.state.globalFilter as string | undefined) ?? ''

  return (
    <div className="inventory">
      <div className="inventory-toolbar">
        <input
          type="search"
          placeholder="Filter by name or type"
          aria-label="Filter inventory"
          value={filter}
          onChange={(e) => table.setGlobalFilter(e.target.value)}
        />
        <span className="muted" data-testid="inventory-count">
          {rows.length === items.length ? `${items.length} items` : `${rows.length} of ${items.length} items`}
        </span>
      </div>
      <div className="inventory-scroll" ref={scrollRef} data-testid="inventory-table" role="table">
        <div className="inventory-row inventory-head" role="row">
          {table.getFlatHeaders().map((header) => (
            <div key={header.id} role="columnheader" aria-sort={ariaSort(header.column.getIsSorted())}>
              <button type="button" className="link" onClick={header.column.getToggleSortingHandler()}>
                <table.FlexRender header={header} />
                {sortMark(header.column.getIsSorted())}
              </button>
            </div>
          ))}
        </div>
        <div className="inventory-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index]
            if (!row) return null
            return (
              <div
                key={row.id}
                className="inventory-row"
                role="row"
                data-testid="inventory-row"
                data-index={v.index}
                style={{ transform: `translateY(${v.start}px)` }}
              >
                {row.getAllCells().map((cell) => (
                  <div key={cell.id} role="cell">
                    <table.FlexRender cell={cell} />
                  </div>
                ))}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}

function sortMark(sorted: false | 'asc' | 'desc'): string {
  return sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''
}

function ariaSort(sorted: false | 'asc' | 'desc'): 'ascending' | 'descending' | 'none' {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
}
