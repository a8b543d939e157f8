/**
 * When does an inventory object count as "changed"? When its stored properties differ, compared as data:
 * key order never counts, and neither do the keys Graph moves on its own (a save without an edit, a
 * service-side re-stamp) or that only count edits. Graph timestamps are not a reliable change signal
 * (some types never move lastModifiedDateTime), so the comparison is on content, and the timestamps are
 * left out of it.
 */
export const VOLATILE_META_KEYS: readonly string[] = ['lastModifiedDateTime', 'modifiedDateTime', 'version']

const VOLATILE: ReadonlySet<string> = new Set(VOLATILE_META_KEYS)

/** JSON with sorted keys at every level and the top-level volatile keys left out. */
export function stableMetaJson(metaJson: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(metaJson)
  } catch {
    // not JSON (never written by the engine): compare the text itself
    return metaJson
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return sorted(parsed)
  const record = parsed as Record<string, unknown>
  const kept: Record<string, unknown> = {}
  for (const key of Object.keys(record)) if (!VOLATILE.has(key)) kept[key] = record[key]
  return sorted(kept)
}

function sorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sorted).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sorted(record[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export interface ComparableItem {
  displayName: string
  category: string
  platform: string
  metaJson: string
}

/** True when `next` stores different properties than `previous` (see VOLATILE_META_KEYS). */
export function propertiesChanged(previous: ComparableItem, next: ComparableItem): boolean {
  if (
    previous.displayName !== next.displayName ||
    previous.category !== next.category ||
    previous.platform !== next.platform
  ) {
    return true
  }
  if (previous.metaJson === next.metaJson) return false
  return stableMetaJson(previous.metaJson) !== stableMetaJson(next.metaJson)
}

/**
 * The policy types whose objects can be Microsoft's built-ins (built-in Intune roles, the Default scope tag):
 * only their registry rows keep Graph's flags (isBuiltIn, isBuiltInRoleDefinition) in meta. The store's
 * query filter (db/repositories/inventory-repo.ts NOT_BUILT_IN) and the item view use this one rule.
 */
export const TYPES_WITH_BUILT_INS = ['roleDefinition', 'roleScopeTag'] as const

export function isBuiltInItem(policyType: string, meta: Record<string, unknown>): boolean {
  return (
    (TYPES_WITH_BUILT_INS as readonly string[]).includes(policyType) &&
    (meta.isBuiltIn === true || meta.isBuiltInRoleDefinition === true)
  )
}
