import type { Category, Platform, PlatformRule, PolicyTypeDef } from '../../domain/policy-type'
import { NEVER_STORED_KEYS, odataTypeName } from '../graph/registry'
import { canonicalJson } from './selection'

/**
 * Turns one raw Graph list item into the row the inventory stores. Graph (or anything pretending to be it)
 * can send any JSON, so nothing here may throw: bad items are reported as a reason, oversized values are cut
 * and counted, and only whitelisted, non-secret metadata survives.
 */

export const ITEM_LIMITS = {
  idChars: 256,
  nameChars: 1024,
  stringChars: 2048,
  arrayEntries: 100,
  /** a top-level meta value is depth 1; containers deeper than this minus one are dropped */
  depth: 4,
  metaBytes: 16 * 1024
} as const

export interface NormalizedItem {
  externalId: string
  displayName: string
  category: Category
  platform: Platform
  /** canonical JSON (sorted keys): identical input gives identical bytes */
  metaJson: string
  /** top-level keys of the raw item not kept (id and the name property are not counted) */
  droppedKeys: number
  /** values shortened or removed below the top level: long strings, long arrays, deep nesting, nested secrets */
  truncatedValues: number
}

export type NormalizeItemResult =
  { ok: true; item: NormalizedItem } | { ok: false; reason: 'not_object' | 'missing_id' | 'bad_id' }

const NEVER_STORED: ReadonlySet<string> = new Set(NEVER_STORED_KEYS)

function isNeverStored(key: string): boolean {
  return NEVER_STORED.has(key.toLowerCase())
}

// Ids with control characters are refused (an id is a key, never shown as prose); names keep theirs.
// eslint-disable-next-line no-control-regex
const HAS_CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/
// NUL is the one character a name cannot keep: C APIs (SQLite's text functions, many CSV readers) end the
// string there. It becomes U+FFFD, visibly, and counts as an altered value.
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g

/** Cut to at most `max` UTF-16 units without leaving half of a surrogate pair at the end. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text
  const last = text.charCodeAt(max - 1)
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max
  return text.slice(0, end)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Own properties only: a hostile key list must not make us read Object.prototype members. */
function own(item: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(item, key) ? item[key] : undefined
}

const DROP = Symbol('drop')

interface Counters {
  truncated: number
  /** a kept object key is an array index, which JSON.stringify writes first whatever the insertion order */
  indexKey: boolean
}

const INDEX_KEY = /^(?:0|[1-9]\d*)$/

/**
 * Copy a meta value within the limits. Objects are rebuilt without a prototype so a "__proto__" key from the
 * wire stays plain data, and with their keys in sorted order, so that JSON.stringify writes canonical JSON
 * (unless an index key turned up). Recursion stops at the depth cap, so cyclic or absurdly deep input cannot
 * overflow.
 */
function clean(value: unknown, depth: number, c: Counters): unknown {
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string') {
    const capped = cut(value, ITEM_LIMITS.stringChars)
    if (capped !== value) c.truncated++
    return capped
  }
  if (typeof value !== 'object') {
    // undefined, bigint, function, symbol: not JSON, cannot be stored faithfully
    c.truncated++
    return DROP
  }
  if (depth >= ITEM_LIMITS.depth) {
    c.truncated++
    return DROP
  }
  if (Array.isArray(value)) {
    if (value.length > ITEM_LIMITS.arrayEntries) c.truncated++
    const out: unknown[] = []
    for (const entry of value.slice(0, ITEM_LIMITS.arrayEntries)) {
      const cleaned = clean(entry, depth + 1, c)
      if (cleaned !== DROP) out.push(cleaned)
    }
    return out
  }
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record).sort()) {
    if (isNeverStored(key)) {
      c.truncated++
      continue
    }
    const cleaned = clean(record[key], depth + 1, c)
    if (cleaned === DROP) continue
    out[key] = cleaned
    if (INDEX_KEY.test(key)) c.indexKey = true
  }
  return out
}

/**
 * Keep whole entries, dropping the largest first, until the JSON object fits the byte budget. `sorted`: the
 * entries and every object in them hold their keys in sorted order and none is an index key, so the
 * engine's JSON.stringify already writes canonical JSON, at a fraction of canonicalJson's cost per item.
 */
function fitToBudget(entries: Map<string, unknown>, sorted: boolean): { json: string; dropped: number } {
  // nearly every item fits: one serialisation then, instead of sizing each entry and serialising again
  const whole = sorted
    ? JSON.stringify(Object.fromEntries(entries))
    : canonicalJson(Object.fromEntries(entries))
  if (
    whole.length <= ITEM_LIMITS.metaBytes / 3 ||
    Buffer.byteLength(whole, 'utf8') <= ITEM_LIMITS.metaBytes
  ) {
    return { json: whole, dropped: 0 }
  }
  const sized = [...entries].map(([key, value]) => ({
    key,
    bytes:
      Buffer.byteLength(JSON.stringify(key), 'utf8') + 1 + Buffer.byteLength(canonicalJson(value), 'utf8')
  }))
  // "{}" plus one comma between entries
  let total = 2 + sized.reduce((sum, e) => sum + e.bytes, 0) + Math.max(0, sized.length - 1)
  sized.sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1))
  let dropped = 0
  for (const entry of sized) {
    if (total <= ITEM_LIMITS.metaBytes) break
    entries.delete(entry.key)
    total -= entry.bytes + (entries.size > 0 ? 1 : 0)
    dropped++
  }
  return { json: canonicalJson(Object.fromEntries(entries)), dropped }
}

function platformToken(token: string): Platform | undefined {
  const t = token.trim().toLowerCase()
  if (t === '' || t === 'none') return undefined
  if (t === 'windows' || t === 'windows10' || t === 'windows10x') return 'windows'
  if (t === 'ios') return 'ios'
  if (t === 'macos') return 'macos'
  if (t.startsWith('android') || t === 'aosp') return 'android'
  if (t === 'linux') return 'linux'
  return 'unknown'
}

function fromSet(platforms: Set<Platform>, none: Platform): Platform {
  if (platforms.size === 0) return none
  if (platforms.size > 1) return 'multi'
  return [...platforms][0] ?? none
}

function platformsProp(value: unknown): Platform {
  const tokens = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : []
  const found = new Set<Platform>()
  for (const token of tokens) {
    const p = typeof token === 'string' ? platformToken(token) : 'unknown'
    if (p) found.add(p)
  }
  return fromSet(found, 'unknown')
}

/** Conditional Access: no platform condition, or "all", means the policy applies to any platform. */
function caConditions(item: Record<string, unknown>): Platform {
  const conditions = own(item, 'conditions')
  const platforms = isRecord(conditions) ? own(conditions, 'platforms') : undefined
  const include = isRecord(platforms) ? own(platforms, 'includePlatforms') : undefined
  if (!Array.isArray(include) || include.length === 0) return 'any'
  if (include.some((p) => typeof p === 'string' && p.trim().toLowerCase() === 'all')) return 'any'
  const found = new Set<Platform>()
  for (const entry of include) {
    const t = typeof entry === 'string' ? entry.trim().toLowerCase() : ''
    found.add(t === 'windowsphone' ? 'windows' : (platformToken(t) ?? 'unknown'))
  }
  return fromSet(found, 'any')
}

function longestPrefix(name: string | undefined, prefixes: Record<string, Platform>): Platform | undefined {
  if (name === undefined) return undefined
  let best: { length: number; platform: Platform } | undefined
  for (const [prefix, platform] of Object.entries(prefixes)) {
    const p = prefix.toLowerCase()
    if (name.startsWith(p) && (!best || p.length > best.length)) best = { length: p.length, platform }
  }
  return best?.platform
}

function enumProp(value: unknown, values: Record<string, Platform>): Platform | undefined {
  if (typeof value !== 'string') return undefined
  if (Object.hasOwn(values, value)) return values[value]
  const lower = value.toLowerCase()
  return Object.entries(values).find(([k]) => k.toLowerCase() === lower)?.[1]
}

export function resolvePlatform(rule: PlatformRule, item: Record<string, unknown>): Platform {
  switch (rule.kind) {
    case 'fixed':
      return rule.platform
    case 'odataType':
      return longestPrefix(odataTypeName(item), rule.prefixes) ?? rule.fallback
    case 'platformsProp':
      return platformsProp(own(item, rule.property))
    case 'enumProp':
      return enumProp(own(item, rule.property), rule.values) ?? rule.fallback
    case 'caConditions':
      return caConditions(item)
  }
}

/**
 * The name as Graph returned it: line breaks, tabs and leading blanks included (docs/csv-format.md promises
 * that). Deleting controls here glued words together ("Line one\nLine two" became "Line oneLine two") and
 * hid a leading TAB from the CSV's formula rule. Each surface makes the text safe for itself instead: the
 * CSV quotes and neutralises, the renderer shows breaks as visible symbols, the CLI escapes controls.
 */
function displayName(def: PolicyTypeDef, item: Record<string, unknown>, c: Counters): string {
  const candidates = [def.nameProperty, 'displayName', 'name']
  const raw = candidates.map((key) => own(item, key)).find((v): v is string => typeof v === 'string') ?? ''
  const storable = raw.replace(NUL, '\ufffd')
  if (storable !== raw) c.truncated++
  const capped = cut(storable, ITEM_LIMITS.nameChars)
  if (capped !== storable) c.truncated++
  return capped
}

export function normalizeItem(def: PolicyTypeDef, raw: unknown): NormalizeItemResult {
  if (!isRecord(raw)) return { ok: false, reason: 'not_object' }
  const id = own(raw, 'id')
  if (id === undefined || id === null) return { ok: false, reason: 'missing_id' }
  // Graph ids are strings; a number would silently collide with its string form after storage.
  if (
    typeof id !== 'string' ||
    id.trim() === '' ||
    id.length > ITEM_LIMITS.idChars ||
    HAS_CONTROL_CHAR.test(id)
  ) {
    return { ok: false, reason: 'bad_id' }
  }

  const c: Counters = { truncated: 0, indexKey: false }
  const name = displayName(def, raw, c)
  const allowed = new Set(def.metaKeys)
  const kept = new Map<string, unknown>()
  let droppedKeys = 0
  for (const key of Object.keys(raw).sort()) {
    if (key === 'id' || key === def.nameProperty) continue
    if (!allowed.has(key) || isNeverStored(key)) {
      droppedKeys++
      continue
    }
    const value = clean(raw[key], 1, c)
    if (value === DROP) droppedKeys++
    else {
      kept.set(key, value)
      if (INDEX_KEY.test(key)) c.indexKey = true
    }
  }
  const { json, dropped } = fitToBudget(kept, !c.indexKey)

  return {
    ok: true,
    item: {
      externalId: id,
      displayName: name,
      category: def.category,
      platform: resolvePlatform(def.platform, raw),
      metaJson: json,
      droppedKeys: droppedKeys + dropped,
      truncatedValues: c.truncated
    }
  }
}
