import type { CloudInfo } from '../auth/clouds'
import type { ErrorCodeInfo } from '../../domain/error-labels'
import type { ExportInput } from '../export/export-service'
import type { CategoryInfo, PolicyTypeInfo } from '../graph/catalog'
import type { InsightApi } from '../insight/insight-api'
import type { InventoryApi } from '../inventory/inventory-api'
import type { SyncApi } from '../inventory/sync-api'
import type { TenantOverview } from '../tenants/tenant-overview'
import type { TenantApi } from '../tenants/tenant-service'

/**
 * The one API of the product. The desktop app (over IPC), the CLI and the browser test bridge all call
 * exactly this, so its shapes are a public surface: add fields, never rename or remove them.
 * Every value returned is plain JSON data and never contains a secret or a token.
 *
 * The methods of each subject are declared with the service that implements them:
 * - the tenant list (list, get, add, update, remove, exclusions): TenantApi, main/tenants/tenant-service.ts
 * - the connection test and syncs (start, wait, cancel, active, events): SyncApi, main/inventory/sync-api.ts
 * - runs, ledger, inventory, missing, the inventory workspace: InventoryApi, main/inventory/inventory-api.ts
 * - audit pack, changes since a visit, cross-tenant view: InsightApi, main/insight/insight-api.ts
 */
export interface AtlasApi extends TenantApi, SyncApi, InventoryApi, InsightApi {
  /** version, data folder and whether credentials are protected at rest (else a warning for the user) */
  appStatus(): AppStatus
  listPolicyTypes(): PolicyTypeInfo[]
  listCategories(): CategoryInfo[]
  /** every stable error code with its short label and the app's hint: the page shows a bare code with these */
  listErrorCodes(): ErrorCodeInfo[]
  /** the national clouds' sign-in and Graph hosts, which the tenant form pre-fills */
  listClouds(): CloudInfo[]

  /**
   * The tenants screen: per tenant its last finished run, the missing count and confidence for that run's
   * selection, and its live state (idle / queued / syncing / throttled). One tenant with `tenantId`.
   */
  tenantOverview(input?: { tenantId?: string }): TenantOverview[]

  exportCsv(input: ExportInput): Promise<{ rows: number; bytes: number; path: string }>

  close(): Promise<void>
}

export interface AppStatus {
  version: string
  dataDir: string
  credentialStorage: { kind: string; persistent: boolean; warning: string | null }
}

export type { CloudInfo, CloudName } from '../auth/clouds'
export type { ErrorCodeInfo } from '../../domain/error-labels'
export type { CategoryInfo, PolicyTypeInfo } from '../graph/catalog'
export type { ConnectionReport, TypeProbe, TypeAccess } from '../tenants/preflight'
export type { AddTenantInput } from '../tenants/tenant-input'
export type { TenantView } from '../tenants/tenant-view'
export type { UpdateTenantInput } from '../tenants/tenant-update'
export type { LastRunSummary, LiveState, MissingSummary, TenantOverview } from '../tenants/tenant-overview'
export type { InventoryItemView } from '../inventory/item-view'
export type { LedgerEntry, LedgerState, RunLedger } from '../inventory/run-ledger-view'
export type {
  FacetCounts,
  FacetKey,
  InventoryColumnId,
  InventoryFilter,
  InventorySortEntry,
  SavedView
} from '../../domain/inventory-query'
export type { ExportInput } from '../export/export-service'
export type { ChangesBaseline, ChangedItem, ChangesReport } from '../inventory/changes'
export type { CrossTenantMatrix, CrossTenantObject, CrossTenantRow } from '../inventory/cross-tenant'
export type { AuditPackManifest, AuditPackResult, PackFileEntry, PackRunUsed } from '../export/audit-pack'
export type { LastVisitSummary } from '../insight/insight-api'
