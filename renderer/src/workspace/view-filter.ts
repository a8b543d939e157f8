import type { InventoryFilter, InventoryItemView } from '../../../preload/contract'

/**
 * The inventory view filter applied to the rows the page holds. It must mean exactly what the engine's
 * SQL means (db/repositories/inventory-query-repo.ts), because the facet counts and the on-screen export
 * come from the engine: facets OR within, AND across; text is a case-insensitive substring (toLowerCase
 * on both sides) of the trimmed term; last seen from inclusive, to exclusive; built-in objects only when
 * asked for.
 */
export type RowTest = (item: InventoryItemView, row: number) => boolean

/** Lowercased text keys per loaded row, built once per load and on first use. */
export class TextKeys {
  private names: string[] | null = null
  private everything: string[] | null = null
  constructor(
    private readonly items: readonly InventoryItemView[],
    private readonly typeLabel: (key: string) => string
  ) {}

  name(row: number): string {
    this.names ??= this.items.map((i) => i.displayName.toLowerCase())
    return this.names[row] as string
  }

  /** name, object id, type key and type label; a term never holds a line break, so none spans two */
  search(row: number): string {
    this.everything ??= this.items.map((i) =>
      `${i.displayName}\n${i.externalId}\n${i.policyType}\n${this.typeLabel(i.policyType)}`.toLowerCase()
    )
    return this.everything[row] as string
  }
}

function term(text: string | undefined): string | null {
  const t = text?.trim().toLowerCase() ?? ''
  return t === '' ? null : t
}

function oneOf(values: string[] | undefined): Set<string> | null {
  return values && values.length > 0 ? new Set(values) : null
}

/** The test a row must pass to be shown, or null when the filter keeps every row. */
export function rowTest(filter: InventoryFilter, keys: TextKeys): RowTest | null {
  const types = oneOf(filter.policyTypes)
  const categories = oneOf(filter.categories)
  const platforms = oneOf(filter.platforms)
  const name = term(filter.name)
  const search = term(filter.search)
  const from = filter.lastSeenFrom ?? null
  const to = filter.lastSeenTo ?? null
  const hideBuiltIn = !filter.showBuiltIn
  const tests: RowTest[] = []
  if (hideBuiltIn) tests.push((i) => !i.builtIn)
  if (types) tests.push((i) => types.has(i.policyType))
  if (categories) tests.push((i) => categories.has(i.category))
  if (platforms) tests.push((i) => platforms.has(i.platform))
  if (from !== null) tests.push((i) => i.lastSeenAt >= from)
  if (to !== null) tests.push((i) => i.lastSeenAt < to)
  if (name !== null) tests.push((_i, row) => keys.name(row).includes(name))
  if (search !== null) tests.push((_i, row) => keys.search(row).includes(search))
  if (tests.length === 0) return null
  return (item, row) => tests.every((t) => t(item, row))
}

/** The instant a local calendar day (yyyy-mm-dd, as a date input gives it) starts, as ISO UTC. */
export function dayStartIso(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return undefined
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

/** The local calendar day (yyyy-mm-dd) an instant falls on, for a date input. */
export function localDay(iso: string | undefined, minusDays = 0): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  date.setDate(date.getDate() - minusDays)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** How many parts of the filter narrow the rows (the built-in toggle is a default, not counted). */
export function activeParts(filter: InventoryFilter): number {
  return (
    [filter.policyTypes, filter.categories, filter.platforms].filter((v) => v && v.length > 0).length +
    [filter.name, filter.search].filter((v) => term(v) !== null).length +
    (filter.lastSeenFrom || filter.lastSeenTo ? 1 : 0)
  )
}
