import { z } from 'zod'

/** What one sync covers. Only keys that change the scope belong here (they are hashed). */
export interface SelectionInput {
  policy_types?: string[]
  categories?: string[]
  include_foundations?: boolean
  include_dependencies?: boolean
}

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
