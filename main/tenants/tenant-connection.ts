import type { TenantRow } from '../../db/repositories/tenants-repo'
import { cloudEndpoints, type CloudName } from '../auth/clouds'
import type { TenantAuthConfig } from '../auth/token-provider'

/** How the engine reaches one tenant (refs only, no secrets). */
export interface TenantConnection {
  auth: TenantAuthConfig
  /** e.g. https://graph.microsoft.com/beta */
  graphBaseUrl: string
}

/** How the engine reaches one tenant: the auth config (refs only, no secrets) and the Graph base URL. */
export function connectionFor(tenant: TenantRow): TenantConnection {
  const cloud = tenant.cloud as CloudName
  const custom =
    cloud === 'custom'
      ? { authorityHost: tenant.authorityHost ?? '', graphEndpoint: tenant.graphEndpoint ?? '' }
      : undefined
  const endpoints = cloudEndpoints(cloud, custom)
  const auth: TenantAuthConfig = {
    tenantKey: tenant.id,
    azureTenantId: tenant.azureTenantId,
    clientId: tenant.clientId,
    cloud,
    ...(custom
      ? { custom: { authorityHost: endpoints.authorityHost, graphEndpoint: endpoints.graphEndpoint } }
      : {}),
    credential:
      tenant.authMethod === 'certificate'
        ? { kind: 'certificate', secretRef: tenant.secretRef ?? '' }
        : { kind: 'secret', secretRef: tenant.secretRef ?? '' }
  }
  // Intune inventory lives on beta (graph-intune-reference.md §0): many types exist only there
  return { auth, graphBaseUrl: `${endpoints.graphEndpoint.replace(/\/+$/, '')}/beta` }
}
