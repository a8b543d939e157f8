import type { CloudName } from './clouds'

/**
 * How one client tenant authenticates: an app registration in the customer's directory, using the
 * client-credentials grant. The credential itself never lives here, only a reference into a SecretStore,
 * so this object can be persisted, logged and sent over IPC.
 */
export interface TenantAuthConfig {
  /** local tenant id (the key of our tenants table) */
  tenantKey: string
  /** the customer's directory id (GUID) or verified domain; never common/organizations */
  azureTenantId: string
  clientId: string
  cloud: CloudName
  custom?: { authorityHost: string; graphEndpoint: string }
  credential:
    | { kind: 'secret'; secretRef: string }
    /** secretRef points to a PEM bundle: private key + certificate (chain) */
    | { kind: 'certificate'; secretRef: string }
}

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
