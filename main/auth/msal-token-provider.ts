import { createHash } from 'node:crypto'
import type { ConfidentialClientApplication, Configuration, INetworkModule } from '@azure/msal-node'
import { AtlasError } from '../../domain/error-codes'
import { isoTime, systemClock, type Clock } from '../util/clock'
import { silentLogger, type Logger } from '../util/logger'
import { redactText, registerSecret } from '../util/redact'
import { toAuthError } from './auth-errors'
import { parseCertificateBundle, toMsalClientCertificate } from './certificate'
import { cloudEndpoints, validateAzureTenantId, type CloudEndpoints } from './clouds'
import type { SecretStore } from './secret-store'
import type { TenantAuthConfig, TokenProvider } from './token-provider'

export interface MsalTokenProviderOptions {
  secrets: SecretStore
  /** defaults to MSAL's fetch-based client; tests pass the identity fake */
  networkClient?: INetworkModule
  /** certificate validity checks; MSAL itself reads the system clock for token expiry */
  clock?: Clock
  logger?: Logger
}

export interface MsalTokenProvider extends TokenProvider {
  /** diagnostics: clients currently held, and how many were ever built */
  stats(): { clients: number; built: number }
}

/**
 * Hosts for which MSAL 7.2.1 carries built-in endpoint metadata (msal-common AuthorityMetadata.ts), so it
 * needs no discovery call. Every other authority host (China's login.chinacloudapi.cn, custom clouds, test
 * fakes) gets its metadata from us: no discovery round trips, and no request ever leaves for a host other
 * than the configured one (discovery would otherwise go to login.microsoftonline.com).
 */
const MSAL_BUILTIN_METADATA_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us'])

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface BuiltClient {
  cca: ConfidentialClientApplication
  scope: string
  /** certificate expiry: past it the client is dropped instead of sending an assertion Entra will refuse */
  notAfter?: number
  /** the credential in use, passed to the error mapper as an extra redaction guard */
  secret: string
}

interface ClientEntry {
  fingerprint: string
  client: Promise<BuiltClient>
}

/**
 * Graph tokens per tenant via MSAL's client-credentials flow. One ConfidentialClientApplication per tenant,
 * kept for the life of the process: its in-memory cache is the only token cache (tokens are cheap to
 * re-acquire, so they are never persisted). The credential is read from the SecretStore only when a client
 * is (re)built: on first use, when the tenant's auth config changes, after forget(), and after a failed token
 * request so that a secret fixed in the vault is picked up on the next attempt.
 */
export function createMsalTokenProvider(opts: MsalTokenProviderOptions): MsalTokenProvider {
  const clock = opts.clock ?? systemClock
  const log = opts.logger ?? silentLogger
  const clients = new Map<string, ClientEntry>()
  const inflight = new Map<string, Promise<string>>()
  let built = 0

  function drop(tenantKey: string, entry?: ClientEntry): void {
    if (!entry || clients.get(tenantKey) === entry) clients.delete(tenantKey)
  }

  function clientFor(cfg: TenantAuthConfig, endpoints: CloudEndpoints, azureTenantId: string): ClientEntry {
    const fingerprint = fingerprintOf(cfg, endpoints, azureTenantId)
    const existing = clients.get(cfg.tenantKey)
    if (existing && existing.fingerprint === fingerprint) return existing
    const entry: ClientEntry = {
      fingerprint,
      client: buildClient(cfg, endpoints, azureTenantId)
    }
    clients.set(cfg.tenantKey, entry)
    // A failed build must not stick: the next call retries (e.g. after the secret was added to the vault).
    entry.client.catch(() => drop(cfg.tenantKey, entry))
    return entry
  }

  async function buildClient(
    cfg: TenantAuthConfig,
    endpoints: CloudEndpoints,
    azureTenantId: string
  ): Promise<BuiltClient> {
    const stored = await opts.secrets.get(cfg.credential.secretRef)
    if (stored === undefined || stored === '') {
      throw new AtlasError(
        'AUTH_NO_CREDENTIAL',
        `No ${cfg.credential.kind === 'secret' ? 'client secret' : 'certificate'} is stored for tenant ${cfg.tenantKey} ` +
          `(reference ${cfg.credential.secretRef} in the ${opts.secrets.kind} store). Enter the credential again.`,
        { secretRef: cfg.credential.secretRef, store: opts.secrets.kind }
      )
    }
    registerSecret(stored)

    const auth: Configuration['auth'] = {
      clientId: cfg.clientId,
      authority: `${endpoints.authorityHost}/${azureTenantId}`,
      ...authorityMetadata(endpoints.authorityHost, azureTenantId)
    }
    let notAfter: number | undefined
    if (cfg.credential.kind === 'secret') {
      auth.clientSecret = stored
    } else {
      const cert = parseCertificateBundle(stored, { clock })
      // The PKCS#8 export can differ textually from what was stored (PKCS#1, encrypted): register it too.
      registerSecret(cert.privateKey)
      auth.clientCertificate = toMsalClientCertificate(cert)
      notAfter = cert.notAfter
    }

    // MSAL is loaded with the first client, not with the engine: commands that only read the store (and
    // the app's first window) do not pay for evaluating it and Node's HTTP stack at start.
    const { ConfidentialClientApplication, LogLevel } = await import('@azure/msal-node')
    const cca = new ConfidentialClientApplication({
      auth,
      system: {
        ...(opts.networkClient ? { networkClient: opts.networkClient } : {}),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii) return
            const entry = { tenantKey: cfg.tenantKey, msal: redactText(message, [stored]) }
            if (level === LogLevel.Error) log.error(entry, 'msal')
            else if (level === LogLevel.Warning) log.warn(entry, 'msal')
            else log.debug(entry, 'msal')
          }
        }
      }
    })
    built++
    log.debug(
      {
        tenantKey: cfg.tenantKey,
        cloud: cfg.cloud,
        credential: cfg.credential.kind,
        authority: auth.authority
      },
      'auth client built'
    )
    return { cca, scope: endpoints.graphScope, notAfter, secret: stored }
  }

  async function acquire(
    cfg: TenantAuthConfig,
    forceRefresh: boolean,
    correlationId: string | undefined
  ): Promise<string> {
    const azureTenantId = validateAzureTenantId(cfg.azureTenantId)
    if (!cfg.clientId || !GUID.test(cfg.clientId)) {
      throw new AtlasError(
        'INVALID_INPUT',
        'The Application (client) ID must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).'
      )
    }
    const endpoints = cloudEndpoints(cfg.cloud, cfg.custom)
    const entry = clientFor(cfg, endpoints, azureTenantId)
    const client = await entry.client

    if (client.notAfter !== undefined && clock.now() >= client.notAfter) {
      drop(cfg.tenantKey, entry)
      throw new AtlasError(
        'AUTH_CERTIFICATE_INVALID',
        `The certificate for tenant ${cfg.tenantKey} expired on ${isoTime(client.notAfter)}: upload a new one to the app registration.`
      )
    }

    try {
      const result = await client.cca.acquireTokenByClientCredential({
        scopes: [client.scope],
        skipCache: forceRefresh,
        ...(correlationId ? { correlationId } : {})
      })
      if (!result?.accessToken) {
        throw new AtlasError('AUTH_FAILED', `Sign-in for tenant ${cfg.tenantKey} returned no access token.`)
      }
      log.debug(
        {
          tenantKey: cfg.tenantKey,
          fromCache: result.fromCache,
          expiresOn: result.expiresOn?.toISOString(),
          correlationId: result.correlationId
        },
        'token acquired'
      )
      return result.accessToken
    } catch (err) {
      const mapped = toAuthError(err, {
        azureTenantId,
        clientId: cfg.clientId,
        cloud: cfg.cloud,
        custom: cfg.custom,
        credentialKind: cfg.credential.kind,
        secrets: [client.secret]
      })
      // Rebuild on the next call, even after transient failures: the vault is re-read (a fixed secret is
      // picked up) and MSAL's hidden throttle state (60 s after any 429/5xx) is dropped, so the caller's
      // own retry policy decides when to try again.
      drop(cfg.tenantKey, entry)
      log.warn({ tenantKey: cfg.tenantKey, code: mapped.code, ...mapped.details }, 'token request failed')
      throw mapped
    }
  }

  return {
    getToken(cfg, options = {}) {
      const forceRefresh = options.forceRefresh === true
      // Concurrent callers for the same tenant and config share one request (e.g. every worker hitting a
      // 401 at once); the first caller's correlation id is the one sent.
      const key = JSON.stringify([
        cfg.tenantKey,
        forceRefresh,
        cfg.azureTenantId,
        cfg.clientId,
        cfg.cloud,
        cfg.custom,
        cfg.credential
      ])
      const pending = inflight.get(key)
      if (pending) return pending
      const p = acquire(cfg, forceRefresh, options.correlationId).finally(() => inflight.delete(key))
      inflight.set(key, p)
      return p
    },
    forget(tenantKey) {
      clients.delete(tenantKey)
    },
    stats() {
      return { clients: clients.size, built }
    }
  }
}

/**
 * Everything that, when changed, needs a new MSAL client. The secret itself is not part of it (it is not
 * read on every call); a new value under the same ref is picked up via forget() or after an auth failure.
 */
function fingerprintOf(cfg: TenantAuthConfig, endpoints: CloudEndpoints, azureTenantId: string): string {
  const parts = [
    azureTenantId,
    cfg.clientId.toLowerCase(),
    endpoints.authorityHost,
    endpoints.graphScope,
    cfg.credential.kind,
    cfg.credential.secretRef
  ]
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex')
}

function authorityMetadata(
  authorityHost: string,
  tenant: string
): Pick<Configuration['auth'], 'knownAuthorities' | 'authorityMetadata' | 'cloudDiscoveryMetadata'> {
  const host = new URL(authorityHost).host // includes a non-default port, which knownAuthorities needs
  if (MSAL_BUILTIN_METADATA_HOSTS.has(host)) return {}
  const base = `${authorityHost}/${tenant}`
  return {
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      issuer: `${base}/v2.0`
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }]
    })
  }
}
