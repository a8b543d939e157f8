/**
 * The types the page sees, in one module both sides import: the engine's views (main/ builds them, the
 * renderer shows them), what the IPC contract adds around them (errors as data, composed outcomes,
 * coalesced progress) and the pushed events. Types only, no runtime code, so the renderer and the
 * sandboxed preload can import it freely. The run, sync-event, missing-judgement and connection-test types
 * are defined next to the engine code that produces them and re-exported here, so the page still imports
 * one module; the engine keeps the definitions it builds its logic on.
 */
import type { ErrorCode } from '../domain/error-codes'
import type { Category, Platform } from '../domain/policy-type'
import type { RunStatus, RunSummary, RunTrigger } from '../domain/run'
import type { SyncEvent } from '../main/inventory/sync-events'

export type { ErrorCode } from '../domain/error-codes'
export type { Category, Platform } from '../domain/policy-type'
export type { RunStatus, RunSummary, RunTrigger, TypeOutcome, TypeOutcomeStatus } from '../domain/run'
export type { NormalizedSelection, SelectionInput } from '../domain/selection'
export type { SyncEvent } from '../main/inventory/sync-events'
export type { MissingItem, MissingJudgement, MissingReason } from '../main/inventory/missing-service'
export type { ConnectionReport, TypeAccess, TypeProbe } from '../main/tenants/preflight'

// ---------- tenants, registry, inventory (AtlasApi's views) ----------

export interface AppStatus {
  version: string
  dataDir: string
  credentialStorage: { kind: string; persistent: boolean; warning: string | null }
}

export interface PolicyTypeInfo {
  key: string
  label: string
  category: Category
  path: string
  permissions: string[]
  foundation: boolean
  licenseGated: boolean
}

export interface CategoryInfo {
  key: Category
  label: string
  policyTypes: string[]
}

export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china' | 'custom'

export interface TenantView {
  id: string
  displayName: string
  azureTenantId: string
  cloud: CloudName
  authorityHost: string | null
  graphEndpoint: string | null
  clientId: string
  authMethod: 'client_secret' | 'certificate'
  /** where the credential lives; the secret itself is never returned */
  credentialSource: 'vault' | 'env' | 'file' | 'demo' | 'none'
  certificateThumbprint: string | null
  isDemo: boolean
  /** policy types this tenant never syncs (setExcludedTypes): out of selection in its runs, not failures */
  excludedTypes: string[]
  createdAt: string
  updatedAt: string
}

export interface InventoryItemView {
  id: number
  tenantId: string
  policyType: string
  category: string
  platform: Platform | string
  externalId: string
  displayName: string
  meta: Record<string, unknown>
  /** a Microsoft built-in object (built-in Intune role, the Default scope tag): kept, marked, hidden by default views */
  builtIn: boolean
  firstSeenAt: string
  firstSeenRunId: number | null
  lastSeenAt: string
  lastSeenRunId: number | null
  updatedAt: string
}

// ---------- tenants overview (tenants:overview, tenants:overview-changed) ----------

export type LiveState =
  | { state: 'idle' }
  | { state: 'queued'; requestId: string; position: number }
  | { state: 'syncing'; requestId: string; runId: number }
  | {
      state: 'throttled'
      requestId: string
      runId: number
      /** HTTP status Graph answered with (429, 503) */
      status: number
      /** when the tenant may be asked again (ISO) */
      retryAt: string
      /** the run's types behind the throttled collection */
      policyTypes: string[]
    }

export interface LastRunSummary {
  runId: number
  status: RunStatus
  trigger: RunTrigger
  startedAt: string
  finishedAt: string | null
  itemsObserved: number
  typesComplete: number
  typesNotCollected: number
  errorCodes: ErrorCode[]
}

export interface MissingSummary {
  /** judged for the selection of the last run, by that run */
  runId: number | null
  count: number
  absent: number
  notCollected: number
  lowConfidence: boolean
  /** "low: the latest run was partial, 2 types not collected" */
  reason: string
}

export interface TenantOverview {
  tenant: TenantView
  lastRun: LastRunSummary | null
  missing: MissingSummary | null
  live: LiveState
}

// ---------- run detail (runs:ledger) ----------

export type LedgerState = 'complete' | 'not_collected' | 'pending' | 'running' | 'not_selected'

export interface LedgerEntry {
  policyType: string
  label: string
  category: string
  state: LedgerState
  observed: number
  pages: number
  errorCode?: ErrorCode
  errorMessage?: string
  hint?: string
  /** Graph's request-id of the failing call (quote it to Microsoft support) */
  requestId?: string
  missingScopes?: string[]
  /** objects Graph sent that could not be used, or that appeared twice while paging */
  skippedItems: number
  duplicateItems: number
}

export interface RunLedger {
  run: RunSummary
  entries: LedgerEntry[]
  counts: Record<LedgerState, number>
}

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
  /** what to do about it, for the code (main/domain/error-hints.ts, the CLI's table too); absent when the message says it all */
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
