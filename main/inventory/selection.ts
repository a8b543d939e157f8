import { createHash } from 'node:crypto'
import type { z } from 'zod'
import { AtlasError } from '../../domain/error-codes'
import { CATEGORIES, type Category } from '../../domain/policy-type'
import {
  SELECTION_KEY_MAX,
  SELECTION_LIST_MAX,
  selectionInputSchema,
  type NormalizedSelection
} from '../../domain/selection'
import { getPolicyType, POLICY_TYPES, typesInCategory } from '../graph/registry'

/**
 * JSON with object keys sorted at every level, so equal values always give equal bytes (hashes and the
 * "did anything change" comparison of upserts depend on it). Keys are written explicitly because JS
 * enumerates integer-like keys first, whatever order they were inserted in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    const parts = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
    return `{${parts.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Bad values are echoed back to the user; keep them short and quoted. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const [field, index] = issue.path
  if (field === undefined) return 'selection must be an object'
  const name = String(field)
  const value = (input as Record<string, unknown>)[name]
  if (index !== undefined) {
    const element = (value as unknown[])[Number(index)]
    // a string in a list is of the right type: only its length can be wrong
    if (typeof element === 'string')
      return `${name}[${String(index)}] must be 1 to ${SELECTION_KEY_MAX} characters, got ${element.length}`
    return `${name}[${String(index)}] must be a string, got ${describeValue(element)}`
  }
  // a list of the right type that is too long (a boolean given as a list is a type error, below)
  if (issue.code === 'too_big' && Array.isArray(value))
    return `${name} may list at most ${SELECTION_LIST_MAX} entries, got ${value.length}`
  const got = describeValue(value)
  if (name === 'include_foundations' || name === 'include_dependencies')
    return `${name} must be a boolean, got ${got}`
  return `${name} must be an array of strings, got ${got}`
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `the string ${quote(value)}`
  return `${typeof value} ${String(value).slice(0, 80)}`
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort()
}

/**
 * Validate a selection at the boundary and bring it to its one canonical form. Unknown types or categories
 * are refused (never silently hashed) so a typo cannot create a second, empty inventory scope.
 */
export function normalizeSelection(input: unknown): NormalizedSelection {
  // the shape strips keys that are not scope: they must not change the hash
  const parsed = selectionInputSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const message = issue ? describeIssue(issue, input) : 'invalid selection'
    throw new AtlasError('INVALID_INPUT', message)
  }
  const policyTypes = sortedUnique(parsed.data.policy_types ?? [])
  const categories = sortedUnique(parsed.data.categories ?? [])
  for (const key of policyTypes) {
    if (!getPolicyType(key)) throw new AtlasError('INVALID_INPUT', `unknown policy type ${quote(key)}`)
  }
  for (const category of categories) {
    if (!(CATEGORIES as readonly string[]).includes(category))
      throw new AtlasError('INVALID_INPUT', `unknown category ${quote(category)}`)
  }
  if (policyTypes.length === 0 && categories.length === 0)
    throw new AtlasError('INVALID_INPUT', 'select at least one policy type or category')
  return {
    categories,
    include_dependencies: parsed.data.include_dependencies ?? false,
    include_foundations: parsed.data.include_foundations ?? false,
    policy_types: policyTypes
  }
}

/** sha256 (lowercase hex) of the canonical JSON of a normalized selection; it names the scope of a run. */
export function selectionHash(sel: NormalizedSelection): string {
  // Rebuilt from the four scope keys so stray properties on the object can never leak into the hash.
  const payload: NormalizedSelection = {
    categories: sortedUnique(sel.categories),
    include_dependencies: sel.include_dependencies === true,
    include_foundations: sel.include_foundations === true,
    policy_types: sortedUnique(sel.policy_types)
  }
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex')
}

/** Every type key a run of this selection enumerates, sorted. */
export function effectivePolicyTypes(sel: NormalizedSelection): string[] {
  const keys = new Set<string>(sel.policy_types)
  for (const category of sel.categories) {
    for (const def of typesInCategory(category as Category)) keys.add(def.key)
  }
  if (sel.include_foundations) {
    for (const def of POLICY_TYPES) if (def.foundation) keys.add(def.key)
  }
  if (sel.include_dependencies) {
    // transitive closure: a policy set pulls in apps, and so on
    const queue = [...keys]
    for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
      for (const dep of getPolicyType(key)?.dependsOn ?? []) {
        if (!keys.has(dep)) {
          keys.add(dep)
          queue.push(dep)
        }
      }
    }
  }
  return [...keys].sort()
}

/**
 * The types a run of this selection enumerates for a tenant: the selection's types less the ones the tenant
 * excludes. Excluded types are out of selection (the ledger says so), never failures, and the selection
 * hash stays the selection's own, so excluding a type does not reset the missing history of the selection.
 */
export function typesToSync(sel: NormalizedSelection, excluded: readonly string[]): string[] {
  const skip = new Set(excluded)
  return effectivePolicyTypes(sel).filter((key) => !skip.has(key))
}
