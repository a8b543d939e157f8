/**
 * The engine's views as the API returns them (AtlasApi, main/app/atlas-api.ts): tenants, registry, inventory,
 * the tenants overview and a run's ledger. Defined here, next to the engine that builds them, and re-exported
 * unchanged by preload/page-types.ts, the one module the page imports: the dependency runs page -> engine
 * only, so the folders form layers (npm run lint:layers forbids cycles).
 */
import type { AuthMethod, CredentialSource } from '../auth/credential-store'
import type { ErrorCode } from '../../domain/error-codes'
import type { Category, Platform } from '../../domain/policy-type'
import type { RunStatus, RunTrigger } from '../../domain/run'

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

/** A national cloud's fixed sign-in and Graph hosts; a `custom` cloud's are typed in by the user. */
export interface CloudInfo {
  name: Exclude<CloudName, 'custom'>
  authorityHost: string
  graphEndpoint: string
}

/** A stable error code with its few words for badges and the app's hint (null: the message says it all). */
export interface ErrorCodeInfo {
  code: ErrorCode
  label: string
  hint: string | null
}

export interface TenantView {
  id: string
  displayName: string
  azureTenantId: string
  cloud: CloudName
  authorityHost: string | null
  graphEndpoint: string | null
  clientId: string
  authMethod: AuthMethod
  credentialSource: CredentialSource
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
