import type { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import type { SettingsRepo } from '../../db/repositories/settings-repo'
import { AtlasError } from '../../domain/error-codes'
import {
  VIEW_LIMITS,
  type FacetCounts,
  type InventoryColumnId,
  type InventoryFilter,
  type SavedView
} from '../../domain/inventory-query'
import { inventoryColumnsSchema, savedViewSchema, saveViewSchema } from '../../domain/inventory-query-schema'
import { POLICY_TYPES } from '../graph/registry'
import type { Clock } from '../util/clock'

/** Settings keys of the inventory workspace. */
export const WORKSPACE_KEYS = { views: 'inventory.views', columns: 'inventory.columns' } as const

/**
 * The type keys whose registry label contains the search term (the page searches labels too, and labels
 * are not in the database). Case-folded like every text match of a view.
 */
export function typesWithLabelMatching(search: string | undefined): string[] {
  const term = search?.trim().toLowerCase() ?? ''
  if (term === '') return []
  return POLICY_TYPES.filter((t) => t.label.toLowerCase().includes(term)).map((t) => t.key)
}

/**
 * The inventory workspace's engine side: facet counts for the page's filters, the user's saved views
 * and column choice (kept in the settings store, checked on the way in and on the way out).
 */
export class InventoryWorkspace {
  constructor(
    private readonly deps: { query: InventoryQueryRepo; settings: SettingsRepo; clock: Pick<Clock, 'now'> }
  ) {}

  facets(tenantId: string, filter: InventoryFilter): FacetCounts {
    return this.deps.query.facets(tenantId, filter, typesWithLabelMatching(filter.search))
  }

  /**
   * Saved views, by name. A stored entry that no longer fits the view shape (written by hand, or by a
   * version with other columns) is left out rather than failing the whole list.
   */
  listViews(): SavedView[] {
    const stored = this.deps.settings.get(WORKSPACE_KEYS.views)
    if (!Array.isArray(stored)) return []
    const views: SavedView[] = []
    for (const entry of stored) {
      const parsed = savedViewSchema.safeParse(entry)
      if (parsed.success) views.push(parsed.data)
    }
    return views.sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Saves (or replaces, by name) a view; returns the list. */
  saveView(input: unknown): SavedView[] {
    const parsed = saveViewSchema.safeParse(input)
    if (!parsed.success) throw invalid('view', parsed.error.issues[0]?.message)
    const view: SavedView = { ...parsed.data, savedAt: new Date(this.deps.clock.now()).toISOString() }
    const others = this.listViews().filter((v) => v.name !== view.name)
    if (others.length >= VIEW_LIMITS.views) {
      throw new AtlasError(
        'INVALID_INPUT',
        `At most ${VIEW_LIMITS.views} saved views are kept; delete one first.`
      )
    }
    this.store([...others, view])
    return this.listViews()
  }

  /** Deletes a view by name (nothing happens for an unknown name); returns the list. */
  deleteView(name: string): SavedView[] {
    const views = this.listViews()
    const kept = views.filter((v) => v.name !== name)
    if (kept.length !== views.length) this.store(kept)
    return kept
  }

  /** The column choice, or null when the user never chose (the page shows its defaults). */
  getColumns(): InventoryColumnId[] | null {
    const parsed = inventoryColumnsSchema.safeParse(this.deps.settings.get(WORKSPACE_KEYS.columns))
    return parsed.success ? parsed.data : null
  }

  setColumns(columns: unknown): InventoryColumnId[] {
    const parsed = inventoryColumnsSchema.safeParse(columns)
    if (!parsed.success) throw invalid('columns', parsed.error.issues[0]?.message)
    this.deps.settings.set(WORKSPACE_KEYS.columns, parsed.data, this.nowIso())
    return parsed.data
  }

  private store(views: SavedView[]): void {
    this.deps.settings.set(WORKSPACE_KEYS.views, views, this.nowIso())
  }

  private nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString()
  }
}

function invalid(field: string, detail: string | undefined): AtlasError {
  return new AtlasError(
    'INVALID_INPUT',
    `Invalid ${field}: ${detail ?? 'does not match the expected shape'}.`
  )
}
