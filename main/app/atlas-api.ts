import type {
  AppStatus,
  CategoryInfo,
  CloudInfo,
  ErrorCodeInfo,
  InventoryItemView,
  PolicyTypeInfo
} from './views'
import type { RunSummary, RunTrigger } from '../../domain/run'
import type { MissingJudgement } from '../inventory/missing-service'
import type { ConnectionReport } from '../tenants/preflight'
import type { TenantOverview } from '../tenants/tenant-overview'
import type { RunLedger } from '../inventory/run-ledger-view'
import type { TenantApi } from '../tenants/tenant-service'
import type { SyncEventListener } from '../inventory/sync-events'
import type { FacetCounts, InventoryColumnId, InventoryFilter, SavedView } from '../../domain/inventory-query'
import type { InsightApi } from '../insight/insight-api'
import type { ExportInput } from '../export/export-service'

/**
 * The one API of the product. The desktop app (over IPC), the CLI and the browser test bridge all call
 * exactly this, so its shapes are a public surface: add fields, never rename or remove them.
 * Every value returned is plain JSON data and never contains a secret or a token.
 */
export interface AtlasApi extends TenantApi, InsightApi {
  /** version, data folder and whether credentials are protected at rest (else a warning for the user) */
  appStatus(): AppStatus
  listPolicyTypes(): PolicyTypeInfo[]
  listCategories(): CategoryInfo[]
  /** every stable error code with its short label and the app's hint: the page shows a bare code with these */
  listErrorCodes(): ErrorCodeInfo[]
  /** the national clouds' sign-in and Graph hosts, which the tenant form pre-fills */
  listClouds(): CloudInfo[]

  // the tenant list (list, get, add, update, remove, exclusions): TenantApi, main/tenants/tenant-service.ts
  /**
   * The tenants screen: per tenant its last finished run, the missing count and confidence for that run's
   * selection, and its live state (idle / queued / syncing / throttled). One tenant with `tenantId`.
   */
  tenantOverview(input?: { tenantId?: string }): TenantOverview[]
  /** token + one $top=1 probe per collection: what a sync of this tenant would be able to read */
  testConnection(input: { tenantId: string; policyTypes?: string[] }): Promise<ConnectionReport>

  /** Starts a sync and returns at once; follow it with events or `waitForSync`. */
  startSync(input: { tenantId: string; selection: unknown; trigger?: RunTrigger }): { requestId: string }
  waitForSync(requestId: string): Promise<RunSummary>
  cancelSync(requestIdOrRunId: string | number): boolean
  activeSyncs(): Array<{ requestId: string; tenantId: string; runId?: number }>
  onSyncEvent(listener: SyncEventListener): () => void

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

  exportCsv(input: ExportInput): Promise<{ rows: number; bytes: number; path: string }>

  // insight (audit pack, changes since a visit, cross-tenant view): InsightApi, main/insight/insight-api.ts

  close(): Promise<void>
}

export type { ConnectionReport, TypeProbe, TypeAccess } from '../tenants/preflight'
export type {
  AppStatus,
  CategoryInfo,
  CloudInfo,
  ErrorCodeInfo,
  InventoryItemView,
  PolicyTypeInfo
} from './views'
export type { CloudName } from '../auth/clouds'
export type { AddTenantInput } from '../tenants/tenant-input'
export type { TenantView } from '../tenants/tenant-view'
export type { UpdateTenantInput } from '../tenants/tenant-update'
export type { ExportInput } from '../export/export-service'
export type {
  FacetCounts,
  FacetKey,
  InventoryColumnId,
  InventoryFilter,
  InventorySortEntry,
  SavedView
} from '../../domain/inventory-query'
export type { LedgerEntry, LedgerState, RunLedger } from '../inventory/run-ledger-view'
export type { LastRunSummary, LiveState, MissingSummary, TenantOverview } from '../tenants/tenant-overview'

export type { ChangesBaseline, ChangedItem, ChangesReport } from '../inventory/changes'
export type { CrossTenantMatrix, CrossTenantObject, CrossTenantRow } from '../inventory/cross-tenant'
export type { AuditPackManifest, AuditPackResult, PackFileEntry, PackRunUsed } from '../export/audit-pack'
export type { LastVisitSummary } from '../insight/insight-api'
