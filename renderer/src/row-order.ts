/**
 * Sorting and filtering for the inventory preview on keys computed once per data load.
 *
 * Why not react-table's sorted/filtered row models: they do per-row work on every click and keystroke
 * (a comparison sort of Row objects, a filter callback per row), which made 100k rows ~3× slower than 1k.
 * Here every string column is reduced once to dense integer ranks, so a sort click is a counting sort
 * (O(n), no string compares) and a filter keystroke is one `includes` per precomputed lowercase key.
 * The results are index arrays into the loaded rows; the table renders only the visible slice of them.
 *
 * The order is the one the table had with react-table: values compare by UTF-16 code units (`<` on
 * strings), the first sort entry decides, later entries break its ties, and rows still tied keep their
 * load order in both directions (react-table falls back to `row.index` whatever the direction).
 */

/** One column as dense ranks: equal values share a rank; ranks follow the values' code-unit order. */
export interface ColumnRanks {
  /** rank of row i, 0 <= rank < distinct */
  readonly ranks: Int32Array
  /** the number of distinct values */
  readonly distinct: number
}

/** One entry of a sort, as react-table's SortingState holds it. */
export interface SortEntry {
  readonly id: string
  readonly desc: boolean
}

/** Code-unit order, the order `<` gives (the same as Array.prototype.sort without a comparator). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Dense ranks of `value(row)` over `rows`. O(n) plus a sort of the distinct values only. */
export function denseRanks<T>(rows: readonly T[], value: (row: T) => string): ColumnRanks {
  const n = rows.length
  // Deduplicate first: type, platform and category hold a handful of values, so only those get sorted.
  const idOf = new Map<string, number>()
  const distinct: string[] = []
  const ids = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const v = value(rows[i] as T)
    let id = idOf.get(v)
    if (id === undefined) {
      id = distinct.length
      idOf.set(v, id)
      distinct.push(v)
    }
    ids[i] = id
  }
  const byValue = Int32Array.from(distinct, (_v, id) => id)
  byValue.sort((a, b) => compareText(distinct[a] as string, distinct[b] as string))
  const rankOfId = new Int32Array(distinct.length)
  for (let rank = 0; rank < byValue.length; rank++) rankOfId[byValue[rank] as number] = rank
  // the id array becomes the rank array in place: one allocation of n ints per column
  for (let i = 0; i < n; i++) ids[i] = rankOfId[ids[i] as number] as number
  return { ranks: ids, distinct: distinct.length }
}

/** 0, 1, …, n - 1: the load order. */
export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  return order
}

/**
 * `order` stably re-sorted by one column: a counting sort over its ranks (O(n + distinct)). Descending
 * reverses the buckets, not the rows, so rows with equal values keep their relative order either way.
 */
export function countingSort(order: Int32Array, column: ColumnRanks, desc: boolean): Int32Array {
  const { ranks, distinct } = column
  const last = distinct - 1
  // starts[b] = where bucket b begins in the output (a count per bucket, then a running sum)
  const starts = new Int32Array(distinct + 1)
  for (let i = 0; i < order.length; i++) {
    const rank = ranks[order[i] as number] as number
    const next = (desc ? last - rank : rank) + 1
    starts[next] = (starts[next] as number) + 1
  }
  for (let b = 1; b <= distinct; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number)
  const out = new Int32Array(order.length)
  for (let i = 0; i < order.length; i++) {
    const row = order[i] as number
    const rank = ranks[row] as number
    const bucket = desc ? last - rank : rank
    const at = starts[bucket] as number
    out[at] = row
    starts[bucket] = at + 1
  }
  return out
}

/**
 * Rows (indices) of `order` whose search key contains `term`, in the order given. `term` must already
 * be lowercased like the keys. One pass, no allocation per row.
 */
export function filterOrder(order: Int32Array, searchKeys: readonly string[], term: string): Int32Array {
  const out = new Int32Array(order.length)
  let matched = 0
  for (let i = 0; i < order.length; i++) {
    const row = order[i] as number
    if ((searchKeys[row] as string).includes(term)) out[matched++] = row
  }
  // a copy of the matches only, so a narrow filter does not keep an n-sized buffer alive
  return out.slice(0, matched)
}

/** Rows (indices) of `order` that pass `keep`, in the order given. One pass, as filterOrder. */
export function selectOrder(order: Int32Array, keep: (row: number) => boolean): Int32Array {
  const out = new Int32Array(order.length)
  let matched = 0
  for (let i = 0; i < order.length; i++) {
    const row = order[i] as number
    if (keep(row)) out[matched++] = row
  }
  return out.slice(0, matched)
}

/**
 * The loaded rows with their sort and search keys. Keys are built on first use and kept for the life of
 * this object (one data load); `warmUpTasks` lets the caller build them ahead, in idle time.
 */
export class RowIndex<T, C extends string> {
  private readonly ranksByColumn = new Map<string, ColumnRanks>()
  private searchKeys: string[] | null = null
  private identity: Int32Array | null = null

  /**
   * @param rows the loaded rows; not copied, and must not change while this index is in use
   * @param sortValues the string each sortable column sorts by
   * @param searchText the text the filter looks in (lowercased here once)
   */
  constructor(
    readonly rows: readonly T[],
    private readonly sortValues: Readonly<Record<C, (row: T) => string>>,
    private readonly searchText: (row: T) => string
  ) {}

  /** The rows in `sorting` order (load order when empty). Unknown column ids are ignored. */
  order(sorting: readonly SortEntry[]): Int32Array {
    this.identity ??= identityOrder(this.rows.length)
    let order = this.identity
    // Least significant key first: every pass is stable, so the last pass (the first entry) decides and
    // the earlier passes survive as tie-breakers, down to the load order of the identity.
    for (let k = sorting.length - 1; k >= 0; k--) {
      const entry = sorting[k] as SortEntry
      const column = this.ranks(entry.id)
      if (column) order = countingSort(order, column, entry.desc)
    }
    return order
  }

  /** The rows of `order` whose search text contains `term`, case-insensitively; all of them for ''. */
  filter(order: Int32Array, term: string): Int32Array {
    if (term === '') return order
    return filterOrder(order, this.getSearchKeys(), term.toLowerCase())
  }

  /** One task per key not built yet (search keys first: typing is the likelier first action). */
  warmUpTasks(): (() => void)[] {
    const tasks: (() => void)[] = []
    if (!this.searchKeys) tasks.push(() => this.getSearchKeys())
    for (const id of Object.keys(this.sortValues)) {
      if (!this.ranksByColumn.has(id)) tasks.push(() => this.ranks(id))
    }
    return tasks
  }

  private ranks(id: string): ColumnRanks | undefined {
    if (!Object.hasOwn(this.sortValues, id)) return undefined
    let column = this.ranksByColumn.get(id)
    if (!column) {
      column = denseRanks(this.rows, this.sortValues[id as C])
      this.ranksByColumn.set(id, column)
    }
    return column
  }

  private getSearchKeys(): readonly string[] {
    this.searchKeys ??= this.rows.map((row) => this.searchText(row).toLowerCase())
    return this.searchKeys
  }
}
