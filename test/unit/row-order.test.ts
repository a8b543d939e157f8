import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  countingSort,
  denseRanks,
  filterOrder,
  identityOrder,
  RowIndex,
  type SortEntry
} from '../../renderer/src/row-order'

interface Row {
  name: string
  type: string
  seen: string
}

const SORT_VALUES = {
  name: (r: Row) => r.name,
  type: (r: Row) => r.type,
  seen: (r: Row) => r.seen
}
const searchText = (r: Row) => `${r.name}\n${r.type}`
type Column = keyof typeof SORT_VALUES

/**
 * The order react-table's sorted row model gave the table before (createSortedRowModel + the byField
 * sortFn): entries in turn compare the raw strings with `<`, desc flips an entry's result, and rows
 * still tied fall back to their load index ascending, whatever the directions.
 */
function referenceOrder(rows: readonly Row[], sorting: readonly SortEntry[]): number[] {
  return rows
    .map((_row, i) => i)
    .sort((a, b) => {
      for (const { id, desc } of sorting) {
        if (!(id in SORT_VALUES)) continue
        const x = SORT_VALUES[id as Column](rows[a] as Row)
        const y = SORT_VALUES[id as Column](rows[b] as Row)
        const cmp = x === y ? 0 : x > y ? 1 : -1
        if (cmp !== 0) return desc ? -cmp : cmp
      }
      return a - b
    })
}

// small alphabets so that ties, shared prefixes and case differences are common
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', ' ', 'é', '1'), maxLength: 4 })
const row = fc.record({
  name: text,
  type: fc.constantFrom('mobileApp', 'deviceConfig', 'Script'),
  seen: text
})
const sortEntry = fc.record({ id: fc.constantFrom('name', 'type', 'seen', 'unknown'), desc: fc.boolean() })
// react-table never holds two entries for one column
const sorting = fc.uniqueArray(sortEntry, { maxLength: 3, selector: (e) => e.id })

describe('denseRanks', () => {
  it('gives equal values one rank and ranks values in code-unit order, as < compares strings', () => {
    const values = ['b', 'a', 'B', '', 'aa', 'b', 'é', 'z', 'a']
    const { ranks, distinct } = denseRanks(values, (v) => v)
    // '' < 'B' < 'a' < 'aa' < 'b' < 'z' < 'é' (uppercase before lowercase, accents after z)
    expect([...ranks]).toEqual([4, 2, 1, 0, 3, 4, 6, 5, 2])
    expect(distinct).toBe(7)
  })

  it('handles no rows', () => {
    const { ranks, distinct } = denseRanks([], (v: string) => v)
    expect(ranks.length).toBe(0)
    expect(distinct).toBe(0)
  })
})

describe('countingSort', () => {
  const column = denseRanks(['x', 'y', 'x', 'z', 'y'], (v) => v)

  it('sorts ascending and keeps tied rows in the order they came in', () => {
    expect([...countingSort(identityOrder(5), column, false)]).toEqual([0, 2, 1, 4, 3])
    expect([...countingSort(Int32Array.of(4, 3, 2, 1, 0), column, false)]).toEqual([2, 0, 4, 1, 3])
  })

  it('sorts descending by reversing the values, not the tied rows', () => {
    expect([...countingSort(identityOrder(5), column, true)]).toEqual([3, 1, 4, 0, 2])
  })

  it('sorts a subset of the rows', () => {
    expect([...countingSort(Int32Array.of(3, 0, 1), column, false)]).toEqual([0, 1, 3])
  })
})

describe('filterOrder', () => {
  it('keeps the matching rows in the order given', () => {
    const keys = ['wifi corp', 'vpn', 'corp wifi', 'edge']
    expect([...filterOrder(Int32Array.of(3, 2, 1, 0), keys, 'wifi')]).toEqual([2, 0])
    expect([...filterOrder(Int32Array.of(3, 2, 1, 0), keys, 'nothing')]).toEqual([])
  })
})

describe('RowIndex', () => {
  it('sorts in the order react-table gave, for any sort state (multi-column, desc, ties)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), sorting, (rows, state) => {
        const index = new RowIndex(rows, SORT_VALUES, searchText)
        expect([...index.order(state)]).toEqual(referenceOrder(rows, state))
      })
    )
  })

  it('filters by name or type, case-insensitively, within the sorted order', () => {
    const term = fc.string({ unit: fc.constantFrom('a', 'B', 'p', 'P', ' ', 'é', 'É'), maxLength: 3 })
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), sorting, term, (rows, state, t) => {
        const index = new RowIndex(rows, SORT_VALUES, searchText)
        const needle = t.toLowerCase()
        const expected = referenceOrder(rows, state).filter((i) => {
          const r = rows[i] as Row
          return t === '' || r.name.toLowerCase().includes(needle) || r.type.toLowerCase().includes(needle)
        })
        expect([...index.filter(index.order(state), t)]).toEqual(expected)
      })
    )
  })

  it('matches the filter against the type too, and counts every row for an empty filter', () => {
    const rows: Row[] = [
      { name: 'Kiosk WiFi', type: 'deviceConfig', seen: '2' },
      { name: 'Edge', type: 'mobileApp', seen: '1' },
      { name: 'Baseline', type: 'deviceConfig', seen: '3' }
    ]
    const index = new RowIndex(rows, SORT_VALUES, searchText)
    const all = index.order([])
    expect([...index.filter(all, 'WIFI')]).toEqual([0])
    expect([...index.filter(all, 'DeviceConf')]).toEqual([0, 2])
    expect(index.filter(all, '')).toBe(all)
    expect([...index.filter(index.order([{ id: 'seen', desc: true }]), 'config')]).toEqual([2, 0])
  })

  it('builds each key once per load, ahead of use through the warm-up tasks', () => {
    const rows: Row[] = [
      { name: 'b', type: 't', seen: '1' },
      { name: 'a', type: 't', seen: '2' }
    ]
    const reads = { name: 0, type: 0, seen: 0, search: 0 }
    const index = new RowIndex(
      rows,
      {
        name: (r: Row) => (reads.name++, r.name),
        type: (r: Row) => (reads.type++, r.type),
        seen: (r: Row) => (reads.seen++, r.seen)
      },
      (r: Row) => (reads.search++, searchText(r))
    )
    // a key used before the warm-up is built then, and is no longer a warm-up task
    expect([...index.order([{ id: 'name', desc: false }])]).toEqual([1, 0])
    const tasks = index.warmUpTasks()
    expect(tasks).toHaveLength(3) // search keys, type, seen
    for (const task of tasks) task()
    expect(reads).toEqual({ name: 2, type: 2, seen: 2, search: 2 })
    expect(index.warmUpTasks()).toEqual([])

    // later sorts and filters read no row again
    index.filter(
      index.order([
        { id: 'seen', desc: true },
        { id: 'name', desc: false }
      ]),
      'A'
    )
    index.order([{ id: 'type', desc: true }])
    expect(reads).toEqual({ name: 2, type: 2, seen: 2, search: 2 })
  })
})
