import type { StoredItemInput } from '../../db/repositories/inventory-repo'
import type { PolicyTypeDef } from '../../domain/policy-type'
import { emptyTypeOutcome, type TypeOutcome } from '../../domain/run'
import { routeItem } from '../graph/registry'
import { normalizeItem } from './normalize-item'

/**
 * One collection being read: its types (those of the run's selection that this path feeds), their siblings on
 * the same path, and the ids seen so far.
 */
export interface CollectionState {
  /** the selected types this collection feeds */
  types: readonly PolicyTypeDef[]
  /** every registry type of the same path: routing must see them all (client-side splits) */
  siblings: readonly PolicyTypeDef[]
  /** external ids already committed in this run, per type (only committed pages add to it) */
  seen: ReadonlyMap<string, ReadonlySet<string>>
}

/** What one Graph page becomes: the rows to write, and what to add to each type's outcome. */
export interface ProcessedPage {
  items: StoredItemInput[]
  /** per type of the collection: this page's counts (pages: 1, observed, skipped, duplicates…) */
  delta: Record<string, TypeOutcome>
  /** external ids this page adds per type; join them to `seen` once the page is committed */
  newIds: Map<string, Set<string>>
}

/**
 * Route, normalise and dedupe one page (pure: no I/O, no clock). An item of another type (client-side
 * split) is left out; one that fails normalising counts as skipped; an id already stored by this run or
 * earlier on the page counts as a duplicate (Graph paging that repeats rows) and is not written twice.
 */
export function processPage(state: CollectionState, rawItems: readonly unknown[]): ProcessedPage {
  const delta: Record<string, TypeOutcome> = {}
  for (const t of state.types) delta[t.key] = { ...emptyTypeOutcome(), pages: 1 }
  const items: StoredItemInput[] = []
  const newIds = new Map<string, Set<string>>(state.types.map((t) => [t.key, new Set<string>()]))
  for (const raw of rawItems) {
    // a non-object cannot be routed: it goes to the collection's first type, whose normaliser rejects it
    const def = isRecord(raw) ? routeItem(state.siblings, raw) : state.types[0]
    if (!def) continue // the registry leaves it out (an exclude rule, or no type of the path owns it)
    const outcome = delta[def.key]
    const pageIds = newIds.get(def.key)
    if (!outcome || !pageIds) continue // a sibling type this run did not select
    const normalized = normalizeItem(def, raw)
    if (!normalized.ok) {
      outcome.skippedItems++
      continue
    }
    const { item } = normalized
    if (state.seen.get(def.key)?.has(item.externalId) || pageIds.has(item.externalId)) {
      outcome.duplicateItems++
      continue
    }
    pageIds.add(item.externalId)
    outcome.observed++
    outcome.droppedKeys += item.droppedKeys
    outcome.truncatedValues += item.truncatedValues
    items.push({
      policyType: def.key,
      externalId: item.externalId,
      displayName: item.displayName,
      category: item.category,
      platform: item.platform,
      metaJson: item.metaJson
    })
  }
  return { items, delta, newIds }
}

/** The outcome after one more page: counts added, status and error fields kept from `base`. */
export function addOutcome(base: TypeOutcome, page: TypeOutcome): TypeOutcome {
  return {
    ...base,
    pages: base.pages + page.pages,
    observed: base.observed + page.observed,
    skippedItems: base.skippedItems + page.skippedItems,
    duplicateItems: base.duplicateItems + page.duplicateItems,
    droppedKeys: base.droppedKeys + page.droppedKeys,
    truncatedValues: base.truncatedValues + page.truncatedValues
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
