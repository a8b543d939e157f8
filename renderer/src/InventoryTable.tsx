import { useEffect, useMemo, useRef, useState } from 'react'
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { describeError, unwrap, type AtlasBridge } from './atlas-client'
import { RowIndex } from './row-order'
import type { ChannelOutputs } from '../../preload/contract'

type InventoryItemView = ChannelOutputs['inventory:list']['items'][number]

/** The largest page the inventory:list channel accepts (preload/contract.ts). */
const PAGE_SIZE = 5000
/** Fixed so the virtualizer never measures rows: scrolling cost stays independent of the row count. */
const ROW_HEIGHT = 30

/**
 * react-table keeps the column definitions, the header sort toggles (asc → desc → none, shift-click adds
 * a column) and renders the cells, but only of the visible rows: sorting and filtering all rows happens
 * in RowIndex (row-order.ts) on keys built once per load, so neither costs per-row react-table work.
 */
const features = tableFeatures({ rowSortingFeature })
const column = createColumnHelper<typeof features, InventoryItemView>()

const columns = column.columns([
  column.accessor('policyType', { header: 'Type' }),
  column.accessor('displayName', { header: 'Name' }),
  column.accessor('platform', { header: 'Platform' }),
  column.accessor('category', { header: 'Category' }),
  column.accessor('lastSeenAt', {
    header: 'Last seen',
    cell: (info) => new Date(info.getValue()).toLocaleString()
  })
])

/** What each sortable column sorts by: the raw field (ISO timestamps sort as text). */
const SORT_VALUES = {
  policyType: (item: InventoryItemView) => item.policyType,
  displayName: (item: InventoryItemView) => item.displayName,
  platform: (item: InventoryItemView) => item.platform,
  category: (item: InventoryItemView) => item.category,
  lastSeenAt: (item: InventoryItemView) => item.lastSeenAt
}

/** The filter box matches name or type; one key per item holds both, so a row costs one `includes`. */
const searchText = (item: InventoryItemView) => `${item.displayName}\n${item.policyType}`

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

/**
 * All items of one tenant, sorted and filtered in memory; only the visible rows are in the DOM.
 *
 * Per interaction the work on all rows is one O(n) pass over typed arrays (RowIndex); everything else
 * (react-table rows, cells, React elements) is per visible row, so 100k rows cost about what 1k do.
 */
export function InventoryTable({ items }: { items: InventoryItemView[] }) {
  const index = useMemo(() => new RowIndex(items, SORT_VALUES, searchText), [items])
  const [sorting, setSorting] = useState<SortingState>([])
  const [filter, setFilter] = useState('')
  // display position → item index; the filter runs on the sorted order so it never needs its own sort
  const sorted = useMemo(() => index.order(sorting), [index, sorting])
  const shown = useMemo(() => index.filter(sorted, filter), [index, sorted, filter])

  useIdleWarmUp(index)

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10
  })
  const virtualRows = virtualizer.getVirtualItems()
  const first = virtualRows[0]?.index ?? 0
  const end = first + virtualRows.length
  // react-table's data is the visible window only; a scroll that keeps the window keeps this array
  const windowItems = useMemo(
    () => Array.from(shown.subarray(first, end), (i) => items[i] as InventoryItemView),
    [items, shown, first, end]
  )
  const table = useTable({
    features,
    columns,
    data: windowItems,
    state: { sorting },
    onSortingChange: setSorting,
    // react-table guesses the first direction from the data it holds (asc for text, desc when empty);
    // every column here is text, so fix it to asc whatever the window holds
    sortDescFirst: false,
    getRowId: (item) => String(item.id)
  })
  const rows = table.getRowModel().rows

  return (
    <div className="inventory">
      <div className="inventory-toolbar">
        <input
          type="search"
          placeholder="Filter by name or type"
          aria-label="Filter inventory"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted" data-testid="inventory-count">
          {shown.length === items.length
            ? `${items.length} items`
            : `${shown.length} of ${items.length} items`}
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
          {virtualRows.map((v, i) => {
            // rows[i] is the item at display position v.index: both lists are the same window in order
            const row = rows[i]
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

/**
 * How long a warm-up task may wait for an idle period. Idle periods follow drawn frames, and a page that
 * draws nothing may get none for a long time (headless Chromium gets none at all), so the keys are built
 * shortly after a load either way; each key is its own task, so input is handled in between.
 */
const WARM_UP_TIMEOUT_MS = 100

/**
 * Builds the index's sort and search keys after a load, one per idle callback, so the first sort click
 * or keystroke usually finds them ready: Name and Last seen need a string sort of all rows, 100–200 ms
 * each on 100k rows in Chromium, which is what every click cost before. A key still missing when the
 * user acts is built then, once.
 */
function useIdleWarmUp(index: RowIndex<InventoryItemView, keyof typeof SORT_VALUES>) {
  useEffect(() => {
    const tasks = index.warmUpTasks()
    let handle = 0
    const runNext = () => {
      tasks.shift()?.()
      if (tasks.length > 0) handle = requestIdleCallback(runNext, { timeout: WARM_UP_TIMEOUT_MS })
    }
    handle = requestIdleCallback(runNext, { timeout: WARM_UP_TIMEOUT_MS })
    return () => cancelIdleCallback(handle)
  }, [index])
}

function sortMark(sorted: false | 'asc' | 'desc'): string {
  return sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''
}

function ariaSort(sorted: false | 'asc' | 'desc'): 'ascending' | 'descending' | 'none' {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
}
