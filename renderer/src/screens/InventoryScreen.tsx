import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { SortingState } from '@tanstack/react-table'
import {
  Button,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  SearchBox,
  Spinner,
  Switch,
  Text,
  tokens
} from '@fluentui/react-components'
import { DismissRegular } from '@fluentui/react-icons'
import { toShownError, unwrap, type InventoryItemView } from '../atlas-client'
import type {
  FacetCounts,
  InventoryColumnId,
  InventoryFilter,
  InventorySortEntry,
  SavedView
} from '../../../preload/contract'
import { ExportButton } from '../components/ExportButton'
import { InventoryTable, useInventory } from '../components/InventoryTable'
import { PageHeader } from '../components/PageHeader'
import { Freshness } from '../components/Freshness'
import { formatCount, plural } from '../format'
import type { Ui } from '../state/ui'
import type { Workspace } from '../state/use-workspace'
import { ColumnsMenu } from '../workspace/ColumnsMenu'
import { DEFAULT_COLUMNS, platformLabel } from '../workspace/columns'
import { FacetMenu } from '../workspace/FacetMenu'
import { ItemDrawer } from '../workspace/ItemDrawer'
import { useViewRows } from '../workspace/use-view-rows'
import { activeParts, dayStartIso, localDay } from '../workspace/view-filter'
import { ViewsMenu } from '../workspace/ViewsMenu'

/** Facet counts are asked for once typing pauses this long, not per keystroke. */
const FACETS_DEBOUNCE_MS = 150

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
  toolbar: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  search: { width: '260px' },
  name: { width: '180px' },
  date: { width: '150px' },
  // the label and its two dates wrap as one
  range: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3 }
})

/** What the engine's export and facet channels take: react-table's sort entries as view sort entries. */
const toViewSort = (sorting: SortingState): InventorySortEntry[] =>
  sorting.map((s) => ({ id: s.id as InventoryColumnId, desc: s.desc }))

/**
 * The inventory workspace of the chosen tenant: every last-observed object in a virtualised grid, with
 * facets (counts from the engine), text filters, a last-seen range, multi-column sort, a column chooser
 * and saved views (both kept by the engine), export of exactly what is shown, and a details drawer.
 */
export function InventoryScreen({ ws, ui }: { ws: Workspace; ui: Ui }) {
  const styles = useStyles()
  const tenant = ws.tenants.find((t) => t.id === ui.tenantId)
  const onError = useCallback((err: unknown) => ws.setError(toShownError(err)), [ws.setError])
  const items = useInventory(ws.atlas, tenant?.id ?? '', ws.runsVersion, onError)

  const [filter, setFilter] = useState<InventoryFilter>({})
  const [sorting, setSorting] = useState<SortingState>([])
  const [columns, setColumnsState] = useState<InventoryColumnId[]>(DEFAULT_COLUMNS)
  const [views, setViews] = useState<SavedView[]>([])
  const [currentView, setCurrentView] = useState<string | null>(null)
  const [facets, setFacets] = useState<FacetCounts | null>(null)
  const [opened, setOpened] = useState<InventoryItemView | null>(null)
  // the drawer unmounts on close; the focus goes back to what opened it (the grid, by Enter), once it is gone
  const openedFrom = useRef<HTMLElement | null>(null)
  const openItem = useCallback((item: InventoryItemView) => {
    openedFrom.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    setOpened(item)
  }, [])
  useEffect(() => {
    if (opened) return
    const from = openedFrom.current
    openedFrom.current = null
    if (from?.isConnected) from.focus()
  }, [opened])

  // the column choice and the saved views are the engine's (settings store), read once per visit
  useEffect(() => {
    let current = true
    Promise.all([unwrap(ws.atlas.getInventoryColumns()), unwrap(ws.atlas.listViews())])
      .then(([chosen, saved]) => {
        if (!current) return
        if (chosen) setColumnsState(chosen)
        setViews(saved ?? [])
      })
      .catch((err: unknown) => current && onError(err))
    return () => {
      current = false
    }
  }, [ws.atlas, onError])

  const tenantId = tenant?.id
  useEffect(() => {
    if (!tenantId) return
    let current = true
    const timer = setTimeout(() => {
      unwrap(ws.atlas.inventoryFacets({ tenantId, filter }))
        .then((counts) => current && setFacets(counts))
        .catch((err: unknown) => current && onError(err))
    }, FACETS_DEBOUNCE_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [ws.atlas, tenantId, filter, ws.runsVersion, onError])

  const change = useCallback((part: Partial<InventoryFilter>) => setFilter((f) => ({ ...f, ...part })), [])
  const setColumns = useCallback(
    (next: InventoryColumnId[]) => {
      setColumnsState(next)
      // a sort on a column that is no longer shown would order rows by something the user cannot see
      setSorting((s) => s.filter((e) => next.includes(e.id as InventoryColumnId)))
      unwrap(ws.atlas.setInventoryColumns({ columns: next })).catch(onError)
    },
    [ws.atlas, onError]
  )
  const applyView = useCallback(
    (view: SavedView) => {
      setFilter(view.filter)
      setSorting(view.sort.map((s) => ({ id: s.id, desc: s.desc })))
      setColumns(view.columns)
      setCurrentView(view.name)
    },
    [setColumns]
  )
  const saveView = async (name: string) => {
    try {
      setViews(await unwrap(ws.atlas.saveView({ name, filter, columns, sort: toViewSort(sorting) })))
      setCurrentView(name)
      return true
    } catch (err) {
      onError(err)
      return false
    }
  }
  const deleteView = (name: string) => {
    unwrap(ws.atlas.deleteView({ name }))
      .then((list) => {
        setViews(list)
        setCurrentView(null)
      })
      .catch(onError)
  }

  const loaded = items ?? EMPTY
  const shown = useViewRows(loaded, sorting, filter, ws.typeLabel)
  const exportRequest = useMemo(
    () =>
      tenantId
        ? { view: 'inventory' as const, tenant: tenantId, filter, sort: toViewSort(sorting), columns }
        : null,
    [tenantId, filter, sorting, columns]
  )

  if (!tenant || !exportRequest) return null
  const last = ws.lastRun[tenant.id] ?? null
  const notCollected = last
    ? Object.values(last.typeOutcomes).filter((o) => o.status === 'failed' || o.status === 'skipped').length
    : 0
  const narrowing = activeParts(filter)
  return (
    <>
      <PageHeader title={`Inventory · ${tenant.displayName}`} caption={<Freshness run={last} />}>
        <ViewsMenu
          views={views}
          current={currentView}
          onApply={applyView}
          onSave={saveView}
          onDelete={deleteView}
        />
        <ColumnsMenu columns={columns} onChange={setColumns} />
        <ExportButton
          atlas={ws.atlas}
          request={exportRequest}
          label="Export view as CSV"
          onError={ws.setError}
        />
        {/* the documented full export (every column, provenance, built-in objects included) */}
        <ExportButton
          atlas={ws.atlas}
          request={{ view: 'inventory', tenant: tenant.id }}
          label="Export CSV"
          onError={ws.setError}
        />
      </PageHeader>
      {notCollected > 0 ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            The latest run did not collect {notCollected} {notCollected === 1 ? 'type' : 'types'}: their
            objects show as last observed before it.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {items === null ? (
        <Spinner label="Loading inventory…" />
      ) : (
        <div className={styles.root}>
          <div className={styles.toolbar} role="search" aria-label="Inventory filters">
            <SearchBox
              className={styles.search}
              placeholder="Search name, id or type"
              aria-label="Filter inventory"
              value={filter.search ?? ''}
              onChange={(_, d) => change({ search: d.value })}
            />
            <Input
              className={styles.name}
              size="small"
              placeholder="Name contains"
              aria-label="Name contains"
              value={filter.name ?? ''}
              onChange={(_, d) => change({ name: d.value })}
            />
            <FacetMenu
              label="Type"
              counts={facets?.policyType ?? null}
              chosen={filter.policyTypes ?? []}
              valueLabel={ws.typeLabel}
              onChange={(v) => change({ policyTypes: v })}
            />
            <FacetMenu
              label="Category"
              counts={facets?.category ?? null}
              chosen={filter.categories ?? []}
              valueLabel={ws.categoryLabel}
              onChange={(v) => change({ categories: v })}
            />
            <FacetMenu
              label="Platform"
              counts={facets?.platform ?? null}
              chosen={filter.platforms ?? []}
              valueLabel={platformLabel}
              onChange={(v) => change({ platforms: v })}
            />
            <div className={styles.range} role="group" aria-label="Last seen range">
              <Text className={styles.muted} size={200}>
                Last seen
              </Text>
              <Input
                className={styles.date}
                size="small"
                type="date"
                aria-label="Last seen from"
                value={localDay(filter.lastSeenFrom)}
                onChange={(_, d) => change({ lastSeenFrom: dayStartIso(d.value) })}
              />
              <Input
                className={styles.date}
                size="small"
                type="date"
                aria-label="Last seen to"
                // the range's end is the start of the day after the one shown (exclusive)
                value={localDay(filter.lastSeenTo, 1)}
                onChange={(_, d) => change({ lastSeenTo: dayStartIso(d.value, 1) })}
              />
            </div>
            <Switch
              label="Show built-in"
              checked={filter.showBuiltIn === true}
              onChange={(_, d) => change({ showBuiltIn: d.checked })}
            />
            {narrowing > 0 ? (
              <Button
                size="small"
                appearance="subtle"
                icon={<DismissRegular />}
                onClick={() => setFilter({ showBuiltIn: filter.showBuiltIn })}
              >
                Clear filters
              </Button>
            ) : null}
            <Text className={styles.muted} data-testid="inventory-count" aria-live="polite">
              {shown.length === loaded.length
                ? plural(loaded.length, 'item')
                : `${formatCount(shown.length)} of ${formatCount(loaded.length)} items`}
            </Text>
          </div>
          <InventoryTable
            items={loaded}
            shown={shown}
            columns={columns}
            sorting={sorting}
            onSortingChange={setSorting}
            typeLabel={ws.typeLabel}
            categoryLabel={ws.categoryLabel}
            onOpen={openItem}
          />
        </div>
      )}
      {opened ? (
        <ItemDrawer
          item={opened}
          typeLabel={ws.typeLabel}
          categoryLabel={ws.categoryLabel}
          onClose={() => setOpened(null)}
        />
      ) : null}
    </>
  )
}

const EMPTY: InventoryItemView[] = []
