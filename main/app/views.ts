/**
 * The engine's views as the API returns them (AtlasApi, main/app/atlas-api.ts): tenants, registry, inventory,
 * the tenants overview and a run's ledger. Defined here, next to the engine that builds them, and re-exported
 * unchanged by preload/page-types.ts, the one module the page imports: the dependency runs page -> engine
 * only, so the folders form layers (npm run lint:layers forbids cycles).
 */
import type { CloudName } from '../auth/clouds'
import type { ErrorCode } from '../../domain/error-codes'
import type { Category, Platform } from '../../domain/policy-type'

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
