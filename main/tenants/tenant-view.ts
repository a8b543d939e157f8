import type { TenantRow } from '../../db/repositories/tenants-repo'
import type { CloudName } from '../auth/clouds'
import { CredentialStore, type AuthMethod, type CredentialSource } from '../auth/credential-store'
import { parseExcludedTypes } from './excluded-types'

/** A tenant as the API returns it: its row without the credential reference (only where it lives). */
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

export function toTenantView(row: TenantRow): TenantView {
  return {
    id: row.id,
    displayName: row.displayName,
    azureTenantId: row.azureTenantId,
    cloud: row.cloud as CloudName,
    authorityHost: row.authorityHost,
    graphEndpoint: row.graphEndpoint,
    clientId: row.clientId,
    authMethod: row.authMethod as AuthMethod,
    credentialSource: CredentialStore.sourceOf(row.secretRef, row.isDemo),
    certificateThumbprint: row.certificateThumbprint,
    isDemo: row.isDemo,
    excludedTypes: parseExcludedTypes(row.excludedTypes),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt
  }
}
