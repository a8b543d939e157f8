/**
 * Seeded tenant data for the Graph fake, the tests and the product's demo tenant.
 * Same seed + size + profile → byte-identical JSON; no wall clock, no Math.random, no crypto.
 * Per-item work is a handful of PRNG draws and one object spread, so 200k objects take well under a second.
 */
import { COLLECTIONS, ODATA_PREFIX, Rng, findCollection, graphTimestamp, guid } from './graph-catalog'
import type { CollectionDef, FakeItem, FakeTenantData, ItemContext, KindDef } from './graph-catalog'

export type { FakeItem, FakeTenantData } from './graph-catalog'

export type TenantProfile = 'realistic' | 'uniform'

export interface GenerateTenantOptions {
  seed: number
  /** total number of objects across all collections (10..200_000 in practice) */
  size: number
  profile?: TenantProfile
}

export const MAX_TENANT_SIZE = 1_000_000

/** Every sub-kind of every collection once: below this size a tenant cannot hold them all. */
export const FULL_COVERAGE_SIZE = COLLECTIONS.reduce((n, c) => n + c.kinds.length, 0)

/** FNV-1a over the text, mixed with the seed: an independent stream per collection. */
function streamSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/**
 * How many objects each collection gets. Realistic: proportional to catalog weights, capped where real
 * tenants stay small (scope tags, branding), every sub-kind at least once when the size allows.
 * Uniform: equal shares. The counts always sum to exactly `size`.
 */
export function allocateCounts(size: number, profile: TenantProfile = 'realistic'): Map<string, number> {
  const full = size >= FULL_COVERAGE_SIZE
  const min = (c: CollectionDef): number => (full ? c.kinds.length : 0)
  const weight = (c: CollectionDef): number => (profile === 'uniform' ? 1 : c.weight)
  const cap = (c: CollectionDef): number =>
    profile === 'realistic' && c.cap !== undefined ? Math.max(c.cap, min(c)) : Infinity

  // Shares by weight; a collection whose share falls under its minimum (or over its cap) is pinned there
  // and the rest is shared again among the others, until every share fits.
  const fixed = new Map<CollectionDef, number>()
  let open = [...COLLECTIONS]
  while (open.length > 0) {
    const pool = size - sumOf(fixed.values())
    const totalWeight = open.reduce((n, c) => n + weight(c), 0)
    const share = (c: CollectionDef): number => (pool * weight(c)) / totalWeight
    const low = open.filter((c) => share(c) < min(c))
    const pinned = low.length > 0 ? low : open.filter((c) => share(c) > cap(c))
    if (pinned.length === 0) {
      const shares = open.map((c) => ({ c, raw: share(c) }))
      for (const s of shares) fixed.set(s.c, Math.floor(s.raw))
      // largest remainder: hand out what flooring lost, biggest fractions first (ties keep catalog order)
      let left = pool - shares.reduce((n, s) => n + Math.floor(s.raw), 0)
      const byFraction = [...shares].sort((a, b) => b.raw - Math.floor(b.raw) - (a.raw - Math.floor(a.raw)))
      for (let i = 0; left > 0; i = (i + 1) % byFraction.length, left--) {
        const s = byFraction[i] as (typeof byFraction)[number]
        fixed.set(s.c, (fixed.get(s.c) ?? 0) + 1)
      }
      break
    }
    for (const c of pinned) fixed.set(c, low.length > 0 ? min(c) : cap(c))
    open = open.filter((c) => !pinned.includes(c))
  }
  // everything pinned (only possible with caps on every collection): the rest goes to the biggest one
  const rest = size - sumOf(fixed.values())
  if (rest !== 0) {
    const biggest = [...COLLECTIONS].sort((a, b) => weight(b) - weight(a))[0] as CollectionDef
    fixed.set(biggest, (fixed.get(biggest) ?? 0) + rest)
  }
  return new Map(COLLECTIONS.map((c) => [c.path, fixed.get(c) ?? 0]))
}

function sumOf(values: Iterable<number>): number {
  let n = 0
  for (const v of values) n += v
  return n
}

function kindPicker(c: CollectionDef, profile: TenantProfile): (rng: Rng) => KindDef {
  const kinds = c.kinds
  if (profile === 'uniform') return (rng) => rng.pick(kinds)
  const total = kinds.reduce((n, k) => n + k.weight, 0)
  return (rng) => {
    let r = rng.next() * total
    for (const k of kinds) {
      r -= k.weight
      if (r < 0) return k
    }
    return kinds[kinds.length - 1] as KindDef
  }
}

function generateCollection(
  c: CollectionDef,
  count: number,
  seed: number,
  profile: TenantProfile,
  tags: readonly string[]
): FakeItem[] {
  const rng = new Rng(streamSeed(seed, c.path))
  const pick = kindPicker(c, profile)
  const customTags = tags.filter((t) => t !== '0')
  const seen = new Map<KindDef, number>()
  const odataTypes = new Map(c.kinds.map((k) => [k, ODATA_PREFIX + k.key]))
  const items: FakeItem[] = new Array<FakeItem>(count)
  for (let i = 0; i < count; i++) {
    // the first items cycle through every kind so each sub-kind exists whenever the count allows
    const kind = i < c.kinds.length ? (c.kinds[i] as KindDef) : pick(rng)
    const nth = seen.get(kind) ?? 0
    seen.set(kind, nth + 1)
    const ctx: ItemContext = { rng, nth, scopeTagIds: tags, customScopeTagIds: customTags }
    const base = c.base(ctx, kind)
    const sub = kind.build?.(ctx, base)
    items[i] = c.polymorphic
      ? { '@odata.type': odataTypes.get(kind), ...base, ...sub }
      : sub
        ? Object.assign(base, sub)
        : base
  }
  if (!c.ordered) {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1))
      const tmp = items[i] as FakeItem
      items[i] = items[j] as FakeItem
      items[j] = tmp
    }
  }
  return items
}

export function generateTenant(opts: GenerateTenantOptions): FakeTenantData {
  const profile = opts.profile ?? 'realistic'
  if (!Number.isInteger(opts.size) || opts.size < 0 || opts.size > MAX_TENANT_SIZE) {
    throw new RangeError(`size must be an integer in 0..${MAX_TENANT_SIZE}`)
  }
  const counts = allocateCounts(opts.size, profile)
  const data: FakeTenantData = {}
  // scope tags first: every other object references ids that exist ("0" = Default always exists in Intune)
  let tags: string[] = ['0']
  for (const c of COLLECTIONS) {
    const items = generateCollection(c, counts.get(c.path) ?? 0, opts.seed, profile, tags)
    if (c.path === '/deviceManagement/roleScopeTags' && items.length > 0)
      tags = items.map((t) => t.id as string)
    data[c.path] = items
  }
  return data
}

export function countItems(data: FakeTenantData): number {
  return Object.values(data).reduce((n, items) => n + items.length, 0)
}

// ---------- mutation helpers for demos and tests ----------

export interface DeleteRandomOptions {
  seed: number
  count: number
  /** restrict to these collection paths (default: all) */
  paths?: string[]
}

/** Removes `count` distinct random items (in place) and returns their ids, e.g. to simulate deletions between syncs. */
export function deleteRandomItems(data: FakeTenantData, opts: DeleteRandomOptions): string[] {
  const paths = (opts.paths ?? Object.keys(data)).filter((p) => Array.isArray(data[p]))
  const total = paths.reduce((n, p) => n + (data[p]?.length ?? 0), 0)
  const want = Math.max(0, Math.min(Math.floor(opts.count), total))
  const rng = new Rng(streamSeed(opts.seed, 'deleteRandomItems'))
  const chosen = new Set<number>()
  while (chosen.size < want) chosen.add(Math.floor(rng.next() * total))

  const removed: string[] = []
  let offset = 0
  for (const p of paths) {
    const items = data[p] as FakeItem[]
    const start = offset
    offset += items.length
    if (![...chosen].some((g) => g >= start && g < offset)) continue
    data[p] = items.filter((item, i) => {
      if (!chosen.has(start + i)) return true
      removed.push(String(item.id))
      return false
    })
  }
  return removed
}

/**
 * Renames one item in place, using the collection's name property (name / profileName / ...), and moves its
 * modified timestamp forward like the service does. Returns the item, or undefined when it does not exist.
 */
export function renameItem(
  data: FakeTenantData,
  path: string,
  id: string,
  newName: string,
  opts: { at?: number } = {}
): FakeItem | undefined {
  const item = data[path]?.find((i) => i.id === id)
  if (!item) return undefined
  item[findCollection(path)?.nameProperty ?? 'displayName'] = newName
  for (const key of ['lastModifiedDateTime', 'modifiedDateTime']) {
    if (!(key in item)) continue
    const previous = typeof item[key] === 'string' ? Date.parse(item[key]) : NaN
    const at = opts.at ?? (Number.isNaN(previous) ? Date.UTC(2026, 0, 1) : previous + 60_000)
    item[key] = graphTimestamp(at)
  }
  return item
}

let bigString: string | undefined
const ONE_MB = 1024 * 1024

/**
 * Items no real tenant should return, but a robust client must survive: missing id, numeric id, null name,
 * a 1 MB string, control characters, and the same id twice. Deterministic ids so tests can look for them.
 */
export function hostileItems(nameProperty = 'displayName'): FakeItem[] {
  bigString ??= 'A'.repeat(ONE_MB)
  const rng = new Rng(0xbad)
  const dup = guid(rng)
  return [
    { [nameProperty]: 'Hostile - missing id', lastModifiedDateTime: '2025-01-01T00:00:00.0000000Z' },
    { id: 424242, [nameProperty]: 'Hostile - numeric id' },
    { id: guid(rng), [nameProperty]: null, description: 'Hostile - null name' },
    { id: guid(rng), [nameProperty]: 'Hostile - 1 MB description', description: bigString },
    {
      id: guid(rng),
      [nameProperty]: 'Hostile\u0000 - \u0007control\u001b[31m chars\u001b[0m\r\n\t\u202eevil\u2028',
      description: '\u0000'
    },
    { id: dup, [nameProperty]: 'Hostile - duplicate id (first)' },
    { id: dup, [nameProperty]: 'Hostile - duplicate id (second)' }
  ]
}
