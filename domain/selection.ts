import { z } from 'zod'

/** Bounds of a selection's lists: the registry has a few dozen types and fewer categories. */
export const SELECTION_LIST_MAX = 100
export const SELECTION_KEY_MAX = 100

const scopeKeys = z.array(z.string().min(1).max(SELECTION_KEY_MAX)).max(SELECTION_LIST_MAX).optional()

/**
 * What one sync covers, as a caller gives it (the page, the CLI, the API). Only keys that change the scope
 * belong here (they are hashed). It strips other keys, so a stray key never changes the hash; where a
 * selection crosses from the page (preload/contract.ts) it is used `.strict()`, refusing them instead.
 * Whether a type or category exists is the engine's check (normalizeSelection), not the shape's.
 */
export const selectionInputSchema = z.object({
  policy_types: scopeKeys,
  categories: scopeKeys,
  include_foundations: z.boolean().optional(),
  include_dependencies: z.boolean().optional()
})
export type SelectionInput = z.infer<typeof selectionInputSchema>

/**
 * A selection in its one canonical form (normalizeSelection in main/inventory/selection.ts makes it). Strict:
 * a key that is not scope is refused where a selection crosses to the worker, never silently dropped.
 */
export const normalizedSelectionSchema = z.strictObject({
  categories: z.array(z.string()),
  include_dependencies: z.boolean(),
  include_foundations: z.boolean(),
  policy_types: z.array(z.string())
})
export type NormalizedSelection = z.infer<typeof normalizedSelectionSchema>
