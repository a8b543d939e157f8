import type { CategoryInfo, RunSummary, Selection } from './atlas-client'

/**
 * What to sync, as the picker holds it (a set of policy type keys) and as the engine takes it (whole
 * categories plus single types). Remembered per tenant in the page's storage; without one, the tenant's
 * last run's selection is the default.
 */
export function toSelection(picked: ReadonlySet<string>, categories: CategoryInfo[]): Selection {
  const whole = categories.filter(
    (c) => c.policyTypes.length > 0 && c.policyTypes.every((t) => picked.has(t))
  )
  const covered = new Set(whole.flatMap((c) => c.policyTypes))
  const singles = [...picked].filter((t) => !covered.has(t))
  return {
    ...(whole.length ? { categories: whole.map((c) => c.key) } : {}),
    ...(singles.length ? { policy_types: singles } : {})
  }
}

export function typesOf(selection: Selection, categories: CategoryInfo[]): Set<string> {
  const out = new Set(selection.policy_types ?? [])
  for (const key of selection.categories ?? []) {
    for (const t of categories.find((c) => c.key === key)?.policyTypes ?? []) out.add(t)
  }
  return out
}

const key = (tenantId: string) => `atlas.selection.${tenantId}`

export function rememberSelection(tenantId: string, picked: ReadonlySet<string>): void {
  localStorage.setItem(key(tenantId), JSON.stringify([...picked]))
}

export function rememberedSelection(
  tenantId: string,
  lastRun: RunSummary | null,
  categories: CategoryInfo[]
): Set<string> | null {
  const raw = localStorage.getItem(key(tenantId))
  if (raw) {
    try {
      const list: unknown = JSON.parse(raw)
      if (Array.isArray(list)) return new Set(list.filter((x): x is string => typeof x === 'string'))
    } catch {
      // a damaged entry is ignored: the last run's selection follows
    }
  }
  return lastRun ? typesOf(lastRun.selection, categories) : null
}

/** Types the last run did not collect: the "Failed last time" preset. */
export function failedLastTime(lastRun: RunSummary | null): Set<string> {
  if (!lastRun) return new Set()
  return new Set(
    Object.entries(lastRun.typeOutcomes)
      .filter(([, o]) => o.status === 'failed' || o.status === 'skipped')
      .map(([t]) => t)
  )
}
