import { z } from 'zod'
import { Id } from '../../domain/wire-fields'
import { CLOUD_NAMES } from './clouds'

/**
 * How one client tenant authenticates: an app registration in the customer's directory, using the
 * client-credentials grant. The credential itself never lives here, only a reference into a SecretStore,
 * so this object can be persisted, logged and sent over IPC (the worker sends it when it asks for a token).
 */
export const tenantAuthConfigSchema = z.object({
  /** local tenant id (the key of our tenants table) */
  tenantKey: Id,
  /** the customer's directory id (GUID) or verified domain; never common/organizations */
  azureTenantId: z.string(),
  clientId: z.string(),
  cloud: z.enum(CLOUD_NAMES),
  custom: z.object({ authorityHost: z.string(), graphEndpoint: z.string() }).optional(),
  credential: z.object({
    /** 'certificate': secretRef points to a PEM bundle, private key + certificate (chain) */
    kind: z.enum(['secret', 'certificate']),
    secretRef: z.string()
  })
})
export type TenantAuthConfig = z.infer<typeof tenantAuthConfigSchema>

/** Hands out Graph access tokens. Implementations cache tokens in memory only, never on disk. */
export interface TokenProvider {
  /**
   * A valid bearer token for the tenant's Graph endpoint. Rejects with an AtlasError whose code is one of
   * the AUTH_* codes and whose message is already redacted.
   */
  getToken(cfg: TenantAuthConfig, opts?: { forceRefresh?: boolean; correlationId?: string }): Promise<string>
  /** Drops the cached client and tokens for a tenant (credential edited, tenant removed). */
  forget(tenantKey: string): void
}
