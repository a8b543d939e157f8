import type { InventoryRepo } from '../../db/repositories/inventory-repo'
import { toRunSummary, type RunsRepo } from '../../db/repositories/runs-repo'
import type { TenantRow } from '../../db/repositories/tenants-repo'
import { AtlasError } from '../../domain/error-codes'
import type { FacetCounts, InventoryColumnId, InventoryFilter, SavedView } from '../../domain/inventory-query'
import type { MissingJudgement } from '../../domain/missing'
import type { RunSummary } from '../../domain/run'
import type { InventoryWorkspace } from './inventory-workspace'
import { toItemView, type InventoryItemView } from './item-view'
import type { MissingService } from './missing-service'
import { runLedger, type RunLedger } from './run-ledger-view'

/** The AtlasApi methods that read the store: runs, inventory, missing, the workspace (atlas-api.ts extends this). */
export interface InventoryApi {
  listRuns(input: { tenantId: string; limit?: number }): RunSummary[]
  getRun(runId: number): RunSummary
  /** the run with its per-type ledger: every registry type, collected (count), not collected (why) or not selected */
  getRunLedger(runId: number): RunLedger

  listInventory(input: {
    tenantId: string
    policyTypes?: string[]
    search?: string
    limit?: number
    offset?: number
    /** leave out Microsoft's built-in objects (built-in roles, the Default scope tag), as the portal's default views do */
    hideBuiltIn?: boolean
  }): { total: number; items: InventoryItemView[] }
  getMissing(input: { tenantId: string; selection: unknown; policyTypes?: string[] }): MissingJudgement

  // ---------- the inventory workspace (facets, saved views, column choice) ----------
  /** per facet (type, category, platform), the objects of each value under every other active filter */
  inventoryFacets(input: { tenantId: string; filter: InventoryFilter }): FacetCounts
  /** the saved views, by name */
  listViews(): SavedView[]
  /** saves or replaces (by name) a named filter + columns + sort; returns the list */
  saveView(input: Omit<SavedView, 'savedAt'>): SavedView[]
  deleteView(input: { name: string }): SavedView[]
  /** the inventory grid's column choice; null until the user chose */
  getInventoryColumns(): InventoryColumnId[] | null
  setInventoryColumns(input: { columns: InventoryColumnId[] }): InventoryColumnId[]
}

/** Default page size of listInventory. */
const INVENTORY_PAGE = 500
/** Default number of runs listRuns returns, newest first. */
const RUNS_PAGE = 100

export function createInventoryApi(deps: {
  runs: RunsRepo
  inventory: InventoryRepo
  missing: MissingService
  workspace: InventoryWorkspace
  resolveTenant: (idOrName: string) => TenantRow
}): InventoryApi {
  const { runs, inventory, missing, workspace, resolveTenant } = deps

  const getRun = (runId: number): RunSummary => {
    const row = runs.get(runId)
    if (!row) throw new AtlasError('NOT_FOUND', `No run ${runId}.`)
    return toRunSummary(row)
  }

  return {
    listRuns: ({ tenantId, limit }) =>
      runs.listForTenant(resolveTenant(tenantId).id, limit ?? RUNS_PAGE).map(toRunSummary),
    getRun,
    getRunLedger: (runId) => runLedger(getRun(runId)),

    listInventory(input) {
      const args = {
        tenantId: resolveTenant(input.tenantId).id,
        policyTypes: input.policyTypes,
        search: input.search,
        hideBuiltIn: input.hideBuiltIn
      }
      return {
        total: inventory.count(args),
        items: inventory
          .list({ ...args, limit: input.limit ?? INVENTORY_PAGE, offset: input.offset ?? 0 })
          .map(toItemView)
      }
    },

    getMissing: (input) =>
      missing.judge(resolveTenant(input.tenantId).id, input.selection, { policyTypes: input.policyTypes }),

    inventoryFacets: (input) => workspace.facets(resolveTenant(input.tenantId).id, input.filter),
    listViews: () => workspace.listViews(),
    saveView: (input) => workspace.saveView(input),
    deleteView: (input) => workspace.deleteView(input.name),
    getInventoryColumns: () => workspace.getColumns(),
    setInventoryColumns: (input) => workspace.setColumns(input.columns)
  }
}
