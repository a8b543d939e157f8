import type { PolicyTypeDef } from '../../domain/policy-type'
import { POLICY_TYPES } from '../../main/graph/registry'
import { findCollection } from '../../main/demo/simulator/graph-catalog'

/**
 * Graph collections the engine reads for a set of types, with the types each one feeds. Used by the crash
 * and soak suites to reason per collection: a collection's page chain is what a kill or a fault interrupts.
 */
export function collectionsOf(typeKeys: readonly string[]): Map<string, PolicyTypeDef[]> {
  const out = new Map<string, PolicyTypeDef[]>()
  for (const def of POLICY_TYPES) {
    if (!typeKeys.includes(def.key)) continue
    out.set(def.path, [...(out.get(def.path) ?? []), def])
  }
  return out
}

/**
 * Types that own their whole collection: the only registry type on that path, with no match or exclude
 * rule. For those the oracle needs no routing knowledge: the type's items are exactly the collection's
 * items, served in the fake's data order, `pageSize` per page.
 */
export function wholeCollectionType(def: PolicyTypeDef): boolean {
  const siblings = POLICY_TYPES.filter((t) => t.path === def.path)
  return siblings.length === 1 && def.match === undefined && def.exclude === undefined
}

/** Items per page the fake serves for a collection when the client sends no $top (the engine sends none). */
export function fakePageSize(path: string): number {
  const def = findCollection(path)
  if (!def) throw new Error(`the Graph fake has no collection ${path}`)
  return Math.min(def.pageSize, def.maxPageSize)
}
