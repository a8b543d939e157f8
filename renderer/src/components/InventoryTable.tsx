import { useEffect, useMemo, useRef, useState } from 'react'
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Button, makeStyles, SearchBox, Text, tokens } from '@fluentui/react-components'
import { ArrowDownRegular, ArrowUpRegular } from '@fluentui/react-icons'
import { unwrap, type AtlasBridge, type InventoryItemView } from '../atlas-client'
import { formatCount, formatDateTime, visibleText } from '../format'
import { RowIndex } from '../row-order'

/** The largest page the inventory:list channel accepts (preload/contract.ts). */
const PAGE_SIZE = 5000
/** Fixed so the virtualizer never measures rows: scrolling cost stays independent of the row count. */
const ROW_HEIGHT = 28

/**
 * react-table keeps the column definitions, the header sort toggles (asc → desc → none, shift-click adds
 * a column) and renders the cells, but only of the visible rows: sorting and filtering all rows happens
 * in RowIndex (row-order.ts) on keys built once per load, so neither costs per-row react-table work.
 */
const features = tableFeatures({ rowSortingFeature })
const column = createColumnHelper<typeof features, InventoryItemView>()

const PLATFORMS: Record<string, string> = {
  windows: 'Windows',
  ios: 'iOS',
  macos: 'macOS',
  android: 'Android',
  linux: 'Linux',
  multi: 'Several',
  any: 'Any',
  unknown: 'Unknown'
}

function makeColumns(typeLabel: (key: string) => string, categoryLabel: (key: string) => string) {
  return column.columns([
    column.accessor('policyType', { header: 'Type', cell: (info) => typeLabel(info.getValue()) }),
    column.accessor('displayName', { header: 'Name', cell: (info) => visibleText(info.getValue()) }),
    column.accessor('platform', {
      header: 'Platform',
      cell: (info) => PLATFORMS[info.getValue()] ?? info.getValue()
    }),
    column.accessor('category', { header: 'Category', cell: (info) => categoryLabel(info.getValue()) }),
    column.accessor('lastSeenAt', { header: 'Last seen', cell: (info) => formatDateTime(info.getValue()) })
  ])
}

const useStyles = makeStyles({
  // fills what the page leaves below its header and banners; the grid scrolls, not the page
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    flexGrow: 1,
    flexBasis: 0,
    minHeight: '320px'
  },
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  search: { width: '320px' },
  muted: { color: tokens.colorNeutralForeground3 },
  // a fixed-height scroll box: the virtualizer renders only the rows inside it
  scroll: {
    flexGrow: 1,
    flexBasis: 0,
    minHeight: '240px',
    overflow: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium
  },
  row: {
    display: 'grid',
    gridTemplateColumns: '2fr 3fr 1fr 1fr 1.5fr',
    height: `${ROW_HEIGHT}px`,
    alignItems: 'center',
    '& > div': {
      padding: `0 ${tokens.spacingHorizontalS}`,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
      fontSize: tokens.fontSizeBase200
    }
  },
  body: { position: 'relative' },
  bodyRow: {
    position: 'absolute',
    top: 0,
    left: 0,
    right: 0,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`
  },
  head: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  },
  headButton: { fontWeight: tokens.fontWeightSemibold, minWidth: 0, padding: 0 }
})

/** What each sortable column sorts by: the raw field (ISO timestamps sort as text). */
const SORT_VALUES = {
  policyType: (item: InventoryItemView) => item.policyType,
  displayName: (item: InventoryItemView) => item.displayName,
  platform: (item: InventoryItemView) => item.platform,
  category: (item: InventoryItemView) => item.category,
  lastSeenAt: (item: InventoryItemView) => item.lastSeenAt
}

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

/** Loads every item of the tenant, then hands them to the table; errors go to the caller's bar. */
export function useInventory(
  atlas: AtlasBridge,
  tenantId: string,
  version: number,
  onError: (e: unknown) => void
) {
  const [items, setItems] = useState<InventoryItemView[] | null>(null)
  useEffect(() => {
    let current = true
    setItems(null)
    loadAll(atlas, tenantId, () => current)
      .then((list) => current && list && setItems(list))
      .catch((err: unknown) => current && onError(err))
    return () => {
      current = false
    }
  }, [atlas, tenantId, version, onError])
  return items
}

/**
 * All items of one tenant, sorted and filtered in memory; only the visible rows are in the DOM.
 *
 * Per interaction the work on all rows is one O(n) pass over typed arrays (RowIndex); everything else
 * (react-table rows, cells, React elements) is per visible row, so 100k rows cost about what 1k do.
 */
export function InventoryTable({
  items,
  typeLabel,
  categoryLabel,
  onShownChange
}: {
  items: InventoryItemView[]
  typeLabel: (key: string) => string
  categoryLabel: (key: string) => string
  /** the policy types of the rows on screen after filtering, for "export this view" */
  onShownChange?: (filter: string) => void
}) {
  const styles = useStyles()
  const columns = useMemo(() => makeColumns(typeLabel, categoryLabel), [typeLabel, categoryLabel])
  // the filter box matches name, type key and type label; one key per item, so a row costs one `includes`
  const index = useMemo(
    () => new RowIndex(items, SORT_VALUES, (item) => `${searchText(item)}\n${typeLabel(item.policyType)}`),
    [items, typeLabel]
  )
  const [sorting, setSorting] = useState<SortingState>([])
  const [filter, setFilter] = useState('')
  // display position → item index; the filter runs on the sorted order so it never needs its own sort
  const sorted = useMemo(() => index.order(sorting), [index, sorting])
  const shown = useMemo(() => index.filter(sorted, filter), [index, sorted, filter])

  useIdleWarmUp(index)
  useEffect(() => onShownChange?.(filter), [filter, onShownChange])

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
    <div className={styles.root}>
      <div className={styles.toolbar}>
        <SearchBox
          className={styles.search}
          placeholder="Filter by name or type"
          aria-label="Filter inventory"
          value={filter}
          onChange={(_, d) => setFilter(d.value)}
        />
        <Text className={styles.muted} data-testid="inventory-count" aria-live="polite">
          {shown.length === items.length
            ? `${formatCount(items.length)} items`
            : `${formatCount(shown.length)} of ${formatCount(items.length)} items`}
        </Text>
      </div>
      <div
        className={styles.scroll}
        ref={scrollRef}
        data-testid="inventory-table"
        role="table"
        aria-label="Inventory"
        aria-rowcount={shown.length + 1}
      >
        <div className={`${styles.row} ${styles.head}`} role="row" aria-rowindex={1}>
          {table.getFlatHeaders().map((header) => {
            const sorted = header.column.getIsSorted()
            return (
              <div key={header.id} role="columnheader" aria-sort={ariaSort(sorted)}>
                <Button
                  appearance="transparent"
                  size="small"
                  className={styles.headButton}
                  onClick={header.column.getToggleSortingHandler()}
                  icon={
                    sorted === 'asc' ? (
                      <ArrowUpRegular />
                    ) : sorted === 'desc' ? (
                      <ArrowDownRegular />
                    ) : undefined
                  }
                  iconPosition="after"
                >
                  <table.FlexRender header={header} />
                </Button>
              </div>
            )
          })}
        </div>
        <div className={styles.body} style={{ height: virtualizer.getTotalSize() }}>
          {virtualRows.map((v, i) => {
            // rows[i] is the item at display position v.index: both lists are the same window in order
            const row = rows[i]
            if (!row) return null
            return (
              <div
                key={row.id}
                className={`${styles.row} ${styles.bodyRow}`}
                role="row"
                aria-rowindex={v.index + 2}
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

function ariaSort(sorted: false | 'asc' | 'desc'): 'ascending' | 'descending' | 'none' {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
}
