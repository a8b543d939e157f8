/**
 * The types the page sees, in one module both sides import: the engine's views (main/ builds them, the
 * renderer shows them), what the IPC contract adds around them (errors as data, composed outcomes,
 * coalesced progress) and the pushed events. Types only, no runtime code, so the renderer and the
 * sandboxed preload can import it freely. The run, sync-event and missing-judgement types are defined in
 * domain/; the views and the connection test's report next to the engine code that builds them (main/tenants,
 * main/inventory, main/app); all are re-exported here, so the page imports one module. Those that cross
 * the sync worker's thread boundary are inferred from zod schemas: only their types come through here.
 */
import type { ErrorCode } from '../domain/error-codes'
import type { SyncEvent } from '../domain/sync-event'

export type { ErrorCode } from '../domain/error-codes'
export type { Category, Platform } from '../domain/policy-type'
export type { RunStatus, RunSummary, RunTrigger, TypeOutcome, TypeOutcomeStatus } from '../domain/run'
export type { NormalizedSelection, SelectionInput } from '../domain/selection'
export type { SyncEvent } from '../domain/sync-event'
export type { MissingItem, MissingJudgement, MissingReason } from '../domain/missing'
export type { ConnectionReport, TypeAccess, TypeProbe } from '../main/tenants/preflight'
export type {
  FacetCounts,
  FacetKey,
  InventoryColumnId,
  InventoryFilter,
  InventorySortEntry,
  SavedView
} from '../domain/inventory-query'

// ---------- the engine's views ----------

export type { AppStatus } from '../main/app/atlas-api'
export type { CategoryInfo, PolicyTypeInfo } from '../main/graph/catalog'
export type { ErrorCodeInfo } from '../domain/error-labels'
export type { InventoryItemView } from '../main/inventory/item-view'
export type { CloudInfo, CloudName } from '../main/auth/clouds'
export type { TenantView } from '../main/tenants/tenant-view'
export type {
  LiveState,
  LastRunSummary,
  MissingSummary,
  TenantOverview
} from '../main/tenants/tenant-overview'
export type { LedgerState, LedgerEntry, RunLedger } from '../main/inventory/run-ledger-view'

// ---------- insight: audit pack, changes since a visit, cross-tenant view ----------

export type {
  AuditPackManifest,
  ChangedItem,
  ChangesBaseline,
  ChangesReport,
  CrossTenantMatrix,
  CrossTenantObject,
  CrossTenantRow,
  LastVisitSummary,
  PackFileEntry
} from '../main/app/atlas-api'

/** An audit pack the user asked for: where it went and what it holds, or the folder dialog was closed. */
export type PackOutcome =
  | { canceled: false; dir: string; files: Array<{ name: string; rows: number; sha256: string }> }
  | { canceled: true }

// ---------- pushed sync progress (sync:progress) ----------

export type PageStored = Extract<SyncEvent, { kind: 'page_stored' }>
export type CoalescedPageStored = PageStored & {
  merged?: { pages: number; byType: Record<string, { pages: number; items: number }> }
}
export type ForwardedSyncEvent = Exclude<SyncEvent, PageStored> | CoalescedPageStored

// ---------- the IPC envelope and composed outcomes ----------

export interface IpcError {
  code: ErrorCode
  message: string
  /** what to do about it, for the code (domain/error-hints.ts, the CLI's table too); absent when the message says it all */
  hint?: string
}

/** Errors cross IPC as data: a rejected invoke would keep only an Error's message, secrets included. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError }

/** What an export wrote. */
export interface ExportWritten {
  rows: number
  bytes: number
  path: string
}

/** The user may close the save dialog: that is not an error, just nothing written. */
export type ExportOutcome = ({ canceled: false } & ExportWritten) | { canceled: true }

/** "Explore demo": the demo tenant (created on first use) and the sync started for it, if any. */
export interface DemoOutcome {
  tenantId: string
  requestId: string | null
}
