import { useEffect, useMemo, useRef, useState } from 'react'
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Button, Link, makeStyles, tokens } from '@fluentui/react-components'
import { ArrowDownRegular, ArrowUpRegular } from '@fluentui/react-icons'
import { unwrap, type AtlasBridge, type InventoryItemView } from '../atlas-client'
import type { InventoryColumnId } from '../../../preload/contract'
import { formatDateTime, visibleText } from '../format'
import { useGridKeyboard } from '../keyboard/use-grid-keyboard'
import { GRID_COLUMNS, gridTemplate, platformLabel } from '../workspace/columns'

/** The largest page the inventory:list channel accepts (preload/contract.ts). */
const PAGE_SIZE = 5000
/** Fixed so the virtualizer never measures rows: scrolling cost stays independent of the row count. */
const ROW_HEIGHT = 28

/**
 * react-table keeps the column definitions, the header sort toggles (asc → desc → none, shift-click adds
 * a column) and renders the cells, but only of the visible rows: sorting and filtering all rows happens
 * in RowIndex (row-order.ts, via workspace/use-view-rows.ts) on keys built once per load, so neither
 * costs per-row react-table work.
 */
const features = tableFeatures({ rowSortingFeature })
const column = createColumnHelper<typeof features, InventoryItemView>()

interface Labels {
  typeLabel: (key: string) => string
  categoryLabel: (key: string) => string
  onOpen: (item: InventoryItemView) => void
}

const runCell = (id: number | null) => (id === null ? '—' : `#${id}`)

/** A long value (a type's name, an object's name or id) may be cut to fit: hovering shows it whole. */
const whole = (text: string) => <span title={text}>{text}</span>

function makeColumns(
  ids: readonly InventoryColumnId[],
  { typeLabel, categoryLabel, onOpen }: Labels,
  nameLinkClass: string
) {
  const header = (id: InventoryColumnId) => GRID_COLUMNS[id].label
  const all = column.columns([
    column.accessor('policyType', {
      header: header('policyType'),
      // "App configuration (managed devices)" and "(managed apps)" differ only in the part a cut hides
      cell: (info) => whole(typeLabel(info.getValue()))
    }),
    column.accessor('displayName', {
      header: header('displayName'),
      // the name opens the object's details; shown as text (React escapes it), never as HTML
      cell: (info) => (
        <Link
          as="button"
          className={nameLinkClass}
          onClick={() => onOpen(info.row.original)}
          data-testid="inventory-open"
          title={visibleText(info.getValue())}
          // the grid is one Tab stop: Enter on the active row opens it (use-grid-keyboard.ts)
          tabIndex={-1}
        >
          {visibleText(info.getValue())}
        </Link>
      )
    }),
    column.accessor('platform', {
      header: header('platform'),
      cell: (info) => platformLabel(info.getValue())
    }),
    column.accessor('category', {
      header: header('category'),
      cell: (info) => categoryLabel(info.getValue())
    }),
    column.accessor('lastSeenAt', {
      header: header('lastSeenAt'),
      cell: (info) => formatDateTime(info.getValue())
    }),
    column.accessor('firstSeenAt', {
      header: header('firstSeenAt'),
      cell: (info) => formatDateTime(info.getValue())
    }),
    column.accessor('externalId', {
      header: header('externalId'),
      cell: (info) => whole(visibleText(info.getValue()))
    }),
    column.accessor('lastSeenRunId', {
      header: header('lastSeenRunId'),
      cell: (info) => runCell(info.getValue())
    }),
    column.accessor('firstSeenRunId', {
      header: header('firstSeenRunId'),
      cell: (info) => runCell(info.getValue())
    })
  ])
  // each accessor column is keyed by the item field it shows, which is its column id
  const byId = new Map(all.map((c) => [(c as { accessorKey?: string }).accessorKey, c]))
  return ids.map((id) => byId.get(id)).filter((c) => c !== undefined)
}

const useStyles = makeStyles({
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
  // the row's text size, and clipped like the other cells
  nameLink: {
    fontSize: tokens.fontSizeBase200,
    maxWidth: '100%',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    textAlign: 'start'
  },
  headButton: { fontWeight: tokens.fontWeightSemibold, minWidth: 0, padding: 0 }
})

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
 * The rows the view shows (`shown`: indices into `items`, already filtered and sorted); only the visible
 * ones are in the DOM, so 100k rows cost about what 1k do.
 */
export function InventoryTable({
  items,
  shown,
  columns: columnIds,
  sorting,
  onSortingChange,
  typeLabel,
  categoryLabel,
  onOpen
}: {
  items: readonly InventoryItemView[]
  shown: Int32Array
  columns: readonly InventoryColumnId[]
  sorting: SortingState
  onSortingChange: (next: SortingState) => void
} & Labels) {
  const styles = useStyles()
  const columns = useMemo(
    () => makeColumns(columnIds, { typeLabel, categoryLabel, onOpen }, styles.nameLink),
    [columnIds, typeLabel, categoryLabel, onOpen, styles.nameLink]
  )
  const template = gridTemplate(columnIds)

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // the body starts below the sticky header row, which also covers the top of the scroll box: a row
    // scrolled to (keyboard) lands below the header, not under it
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT
  })
  // arrows, Page Up/Down, Home/End move the active row, Enter opens it: its row may not be rendered yet,
  // so the virtualizer scrolls it into view
  const grid = useGridKeyboard(
    shown.length,
    (index) => {
      const item = items[shown[index] ?? -1]
      if (item) onOpen(item)
    },
    {
      scrollTo: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
      pageSize: () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 2)
    }
  )
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
    onSortingChange: (updater) => onSortingChange(typeof updater === 'function' ? updater(sorting) : updater),
    // react-table guesses the first direction from the data it holds (asc for text, desc when empty);
    // fix it to asc whatever the window holds
    sortDescFirst: false,
    getRowId: (item) => String(item.id)
  })
  const rows = table.getRowModel().rows

  return (
    <div
      {...grid.gridProps}
      className={`${styles.scroll} ${grid.gridProps.className}`}
      ref={scrollRef}
      data-testid="inventory-table"
      aria-label="Inventory"
      aria-rowcount={shown.length + 1}
    >
      <div
        className={`${styles.row} ${styles.head}`}
        style={{ gridTemplateColumns: template }}
        role="row"
        aria-rowindex={1}
      >
        {table.getFlatHeaders().map((header) => {
          const sorted = header.column.getIsSorted()
          return (
            <div key={header.id} role="columnheader" aria-sort={ariaSort(sorted)}>
              <Button
                appearance="transparent"
                size="small"
                className={styles.headButton}
                onClick={header.column.getToggleSortingHandler()}
                title="Sort (shift-click to add to the sort)"
                icon={
                  sorted === 'asc' ? <ArrowUpRegular /> : sorted === 'desc' ? <ArrowDownRegular /> : undefined
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
              {...grid.rowProps(v.index)}
              className={`${styles.row} ${styles.bodyRow}`}
              role="row"
              aria-rowindex={v.index + 2}
              data-testid="inventory-row"
              data-index={v.index}
              style={{
                transform: `translateY(${v.start - ROW_HEIGHT}px)`,
                gridTemplateColumns: template
              }}
            >
              {row.getAllCells().map((cell) => (
                <div key={cell.id} role="gridcell" data-column={cell.column.id}>
                  <table.FlexRender cell={cell} />
                </div>
              ))}
            </div>
          )
        })}
      </div>
    </div>
  )
}

function ariaSort(sorted: false | 'asc' | 'desc'): 'ascending' | 'descending' | 'none' {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
}
