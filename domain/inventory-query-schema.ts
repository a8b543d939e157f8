import { z } from 'zod'
import { FACET_KEYS, INVENTORY_COLUMN_IDS, VIEW_LIMITS } from './inventory-query'
import type { InventoryFilter, InventorySortEntry, SavedView } from './inventory-query'

/**
 * Shapes of an inventory view, bounded: the IPC contract checks what the page sends with them and the
 * engine checks what it reads back from the settings store (a value written by an older version, or by
 * hand, must not reach the page unchecked).
 */
const FacetValues = z.array(z.string().min(1).max(100)).max(100)
const TextFilter = z.string().max(VIEW_LIMITS.textFilterLength)
const Instant = z.iso.datetime()

export const inventoryFilterSchema = z
  .object({
    policyTypes: FacetValues.optional(),
    categories: FacetValues.optional(),
    platforms: FacetValues.optional(),
    name: TextFilter.optional(),
    search: TextFilter.optional(),
    lastSeenFrom: Instant.optional(),
    lastSeenTo: Instant.optional(),
    showBuiltIn: z.boolean().optional()
  })
  .strict() satisfies z.ZodType<InventoryFilter>

export const inventoryColumnIdSchema = z.enum(INVENTORY_COLUMN_IDS)

/** At least one column, each once. */
export const inventoryColumnsSchema = z
  .array(inventoryColumnIdSchema)
  .min(1)
  .max(INVENTORY_COLUMN_IDS.length)
  .refine((ids) => new Set(ids).size === ids.length, 'each column at most once')

export const inventorySortSchema = z
  .array(z.object({ id: inventoryColumnIdSchema, desc: z.boolean() }).strict())
  .max(VIEW_LIMITS.sortEntries)
  .refine(
    (entries) => new Set(entries.map((e) => e.id)).size === entries.length,
    'each column at most once'
  ) satisfies z.ZodType<InventorySortEntry[]>

export const viewNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(VIEW_LIMITS.nameLength)
  // no control characters: the name is shown in menus and written to files
  .regex(/^[^\p{Cc}]+$/u, 'no control characters')

/** What the page sends to save a view (savedAt is the engine's). */
export const saveViewSchema = z
  .object({
    name: viewNameSchema,
    filter: inventoryFilterSchema,
    columns: inventoryColumnsSchema,
    sort: inventorySortSchema
  })
  .strict()

export const savedViewSchema = saveViewSchema.extend({ savedAt: Instant }) satisfies z.ZodType<SavedView>

export const facetKeySchema = z.enum(FACET_KEYS)
