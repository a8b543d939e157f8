import { useEffect, useMemo } from 'react'
import type { SortingState } from '@tanstack/react-table'
import type { InventoryColumnId, InventoryFilter, InventoryItemView } from '../../../preload/contract'
import { RowIndex, selectOrder } from '../row-order'
import { SORT_VALUES } from './columns'
import { rowTest, TextKeys } from './view-filter'

/**
 * The loaded rows in the view's order and filter, as indices into `items`. Filtering runs on the page's
 * copy of the rows (one pass per change over keys built once per load: measured in the bench's preview
 * section), while facet counts and exports ask the engine, which applies the same filter in SQL.
 * The filter runs on the sorted order, so it never needs its own sort.
 */
export function useViewRows(
  items: readonly InventoryItemView[],
  sorting: SortingState,
  filter: InventoryFilter,
  typeLabel: (key: string) => string
): Int32Array {
  // text matching is TextKeys' (view-filter.ts), so the index needs no search text of its own
  const index = useMemo(
    () => new RowIndex<InventoryItemView, InventoryColumnId>(items, SORT_VALUES, () => ''),
    [items]
  )
  const keys = useMemo(() => new TextKeys(items, typeLabel), [items, typeLabel])
  const sorted = useMemo(() => index.order(sorting), [index, sorting])
  const test = useMemo(() => rowTest(filter, keys), [filter, keys])
  const shown = useMemo(
    () => (test ? selectOrder(sorted, (row) => test(items[row] as InventoryItemView, row)) : sorted),
    [sorted, test, items]
  )
  useIdleWarmUp(index, keys)
  return shown
}

/**
 * How long a warm-up task may wait for an idle period. Idle periods follow drawn frames, and a page that
 * draws nothing may get none for a long time (headless Chromium gets none at all), so the keys are built
 * shortly after a load either way; each key is its own task, so input is handled in between.
 */
const WARM_UP_TIMEOUT_MS = 100

/**
 * Builds the sort and search keys after a load, one per idle callback, so the first sort click or
 * keystroke usually finds them ready (a string sort of 100k names is 100-200 ms in Chromium). A key
 * still missing when the user acts is built then, once.
 */
function useIdleWarmUp(index: RowIndex<InventoryItemView, InventoryColumnId>, keys: TextKeys) {
  useEffect(() => {
    const tasks = [() => keys.search(0), () => keys.name(0), ...index.warmUpTasks()]
    if (index.rows.length === 0) return
    let handle = 0
    const runNext = () => {
      tasks.shift()?.()
      if (tasks.length > 0) handle = requestIdleCallback(runNext, { timeout: WARM_UP_TIMEOUT_MS })
    }
    handle = requestIdleCallback(runNext, { timeout: WARM_UP_TIMEOUT_MS })
    return () => cancelIdleCallback(handle)
  }, [index, keys])
}
