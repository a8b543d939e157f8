import {
  X509Certificate,
  constants,
  createHash,
  randomBytes,
  randomUUID,
  verify,
  type KeyObject
} from 'node:crypto'
import { createServer, request, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node'
import { systemClock, type Clock } from '../../util/clock'

/**
 * A stand-in for Microsoft Entra ID's v2.0 endpoints, precise enough that unmodified MSAL runs against it:
 * instance discovery, OIDC metadata and the token endpoint for the client-credentials grant with a client
 * secret or a client assertion (certificate). Errors use the real shapes and AADSTS numbers
 * (graph-intune-reference.md §4).
 *
 * Two transports over one core (`handle`): `IdentityFake` itself is an MSAL INetworkModule (in memory, for
 * unit tests), and `startIdentityFake` serves the same core over https on 127.0.0.1.
 */

export interface FakeAppRegistration {
  /** tenant GUID or domain the app is registered/consented in (matched case-insensitively) */
  tenant: string
  clientId: string
  secret?: string
  /** PEM of the app's certificate (a bundle is fine: only CERTIFICATE blocks are read) */
  certificatePem?: string
  secretExpired?: boolean
  consentMissing?: boolean
  /** application permissions put in the token's `roles` claim */
  roles?: string[]
  expiresIn?: number
}

export interface IdentityFakeOptions {
  /** the fake's idea of "now" for issued tokens and assertion exp/nbf checks; MSAL itself uses the system clock */
  clock?: Clock
  /**
   * Planted verbatim at the start of every token's signature segment (base64url alphabet only), so a test
   * can search logs, errors and files for it: the token stays JWT-shaped and the canary stays greppable.
   */
  tokenCanary?: string
  /** default `expires_in` (seconds) of issued tokens */
  expiresIn?: number
  /** tolerance Entra applies to assertion nbf/exp */
  clockSkewSeconds?: number
}

export interface FakeCall {
  method: 'GET' | 'POST'
  url: string
  /** parsed form of a POST body (test-only data: it contains the secret/assertion sent) */
  form?: Record<string, string>
}

export interface FakeHttpResponse {
  status: number
  headers: Record<string, string>
  body: unknown
}

interface RegisteredCert {
  thumbprintSha256: string
  thumbprintSha1: string
  publicKey: KeyObject
}

interface AppState {
  reg: FakeAppRegistration
  certs: RegisteredCert[]
  tokenRequests: number
  issued: number
}

export const FAKE_DEFAULT_ROLES = [
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementApps.Read.All',
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementRBAC.Read.All'
]

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

export class IdentityFake implements INetworkModule {
  readonly calls: FakeCall[] = []
  private readonly apps = new Map<string, AppState>()
  private readonly tenants = new Set<string>()
  private readonly issuedTokens = new Map<string, Record<string, unknown>>()
  private readonly failures: Array<'network' | 'unavailable'> = []
  private readonly clock: Clock

  constructor(private readonly opts: IdentityFakeOptions = {}) {
    this.clock = opts.clock ?? systemClock
    if (opts.tokenCanary !== undefined && !/^[A-Za-z0-9_-]+$/.test(opts.tokenCanary)) {
      throw new Error('tokenCanary must use the base64url alphabet so tokens stay JWT-shaped')
    }
  }

  registerTenant(tenant: string): void {
    this.tenants.add(tenant.toLowerCase())
  }

  registerApp(reg: FakeAppRegistration): void {
    this.registerTenant(reg.tenant)
    const certs = [...(reg.certificatePem ?? '').matchAll(CERT_BLOCK)].map(([pem]) => {
      const x = new X509Certificate(pem)
      return {
        thumbprintSha256: createHash('sha256').update(x.raw).digest('base64url'),
        thumbprintSha1: createHash('sha1').update(x.raw).digest('base64url'),
        publicKey: x.publicKey
      }
    })
    if (reg.certificatePem && certs.length === 0) throw new Error('certificatePem has no CERTIFICATE block')
    this.apps.set(appKey(reg.tenant, reg.clientId), { reg, certs, tokenRequests: 0, issued: 0 })
  }

  /** Token POSTs received for an app (successful or not). Without a tenant: summed over tenants. */
  tokenRequests(clientId: string, tenant?: string): number {
    let n = 0
    for (const s of this.apps.values()) {
      if (
        s.reg.clientId === clientId &&
        (tenant === undefined || s.reg.tenant.toLowerCase() === tenant.toLowerCase())
      ) {
        n += s.tokenRequests
      }
    }
    return n
  }

  /** URLs (without query) of every token POST, in order: which authority MSAL really talked to. */
  tokenEndpointsCalled(): string[] {
    return this.calls.filter((c) => c.method === 'POST').map((c) => c.url.split('?')[0] ?? c.url)
  }

  /** Makes the next request(s) fail: 'network' throws like a refused connection, 'unavailable' answers 503. */
  failNext(kind: 'network' | 'unavailable', times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(kind)
  }

  /** Claims of a token this fake issued (for a Graph fake to authorise requests), else undefined. */
  claimsOf(token: string): Record<string, unknown> | undefined {
    return this.issuedTokens.get(token)
  }

  async sendGetRequestAsync<T>(url: string, _options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.asNetworkResponse<T>(this.handle('GET', url))
  }

  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.asNetworkResponse<T>(this.handle('POST', url, options?.body ?? ''))
  }

  private asNetworkResponse<T>(r: FakeHttpResponse): NetworkResponse<T> {
    return { status: r.status, headers: r.headers, body: r.body as T }
  }

  /** The transport-independent core: one HTTP exchange. Throws only for a simulated network failure. */
  handle(method: 'GET' | 'POST', url: string, body = ''): FakeHttpResponse {
    const form = method === 'POST' ? Object.fromEntries(new URLSearchParams(body)) : undefined
    this.calls.push({ method, url, ...(form ? { form } : {}) })
    const failure = this.failures.shift()
    if (failure === 'network') {
      throw Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
      })
    }
    const u = new URL(url)
    const correlationId = u.searchParams.get('client-request-id') ?? randomUUID()
    if (failure === 'unavailable') {
      return this.oauthError(
        503,
        'temporarily_unavailable',
        90033,
        'A transient error has occurred. Please try again.',
        correlationId
      )
    }

    if (method === 'GET') {
      if (u.pathname.endsWith('/discovery/instance')) {
        const authz = new URL(u.searchParams.get('authorization_endpoint') ?? url)
        return json(200, {
          tenant_discovery_endpoint: `https://${authz.host}/{tenantid}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: authz.host, preferred_cache: authz.host, aliases: [authz.host] }]
        })
      }
      const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(u.pathname)
      if (oidc?.[1]) {
        if (!this.tenants.has(decodeURIComponent(oidc[1]).toLowerCase())) {
          return this.oauthError(400, 'invalid_tenant', 90002, tenantNotFound(oidc[1]), correlationId)
        }
        const base = `${u.origin}/${oidc[1]}`
        return json(200, {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          issuer: `${base}/v2.0`
        })
      }
      return json(404, { error: 'not_found' })
    }

    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(u.pathname)
    if (!token?.[1] || !form) return json(404, { error: 'not_found' })
    return this.tokenEndpoint(decodeURIComponent(token[1]), `${u.origin}${u.pathname}`, form, correlationId)
  }

  private tokenEndpoint(
    tenant: string,
    endpoint: string,
    form: Record<string, string>,
    correlationId: string
  ): FakeHttpResponse {
    const clientId = form.client_id ?? ''
    const state = this.apps.get(appKey(tenant, clientId))
    if (state) state.tokenRequests++

    if (form.grant_type !== 'client_credentials') {
      return this.oauthError(
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
        correlationId
      )
    }
    if (!this.tenants.has(tenant.toLowerCase())) {
      return this.oauthError(400, 'invalid_tenant', 90002, tenantNotFound(tenant), correlationId)
    }
    if (!state) {
      return this.oauthError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
        correlationId
      )
    }
    const scope = form.scope ?? ''
    if (!/^\S+\/\.default$/.test(scope)) {
      return this.oauthError(
        400,
        'invalid_scope',
        70011,
        `The provided value for the input parameter 'scope' isn't valid.`,
        correlationId
      )
    }

    const credentialError = form.client_assertion
      ? this.checkAssertion(state, form, endpoint, correlationId)
      : form.client_secret !== undefined
        ? this.checkSecret(state, form.client_secret, correlationId)
        : this.oauthError(
            400,
            'invalid_request',
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            correlationId
          )
    if (credentialError) return credentialError

    if (state.reg.consentMissing) {
      return this.oauthError(
        400,
        'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${clientId}' named 'Tenant Atlas'. Send an interactive authorization request for this user and resource.`,
        correlationId,
        'consent_required'
      )
    }
    return json(200, this.issue(state, scope))
  }

  private checkSecret(state: AppState, secret: string, correlationId: string): FakeHttpResponse | undefined {
    const id = state.reg.clientId
    if (state.reg.secret === undefined || secret !== state.reg.secret) {
      return this.oauthError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${id}'.`,
        correlationId
      )
    }
    if (state.reg.secretExpired) {
      return this.oauthError(
        401,
        'invalid_client',
        7000222,
        `The provided client secret keys for app '${id}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
        correlationId
      )
    }
    return undefined
  }

  private checkAssertion(
    state: AppState,
    form: Record<string, string>,
    endpoint: string,
    correlationId: string
  ): FakeHttpResponse | undefined {
    const bad = (description: string): FakeHttpResponse =>
      this.oauthError(401, 'invalid_client', 700027, description, correlationId)
    if (form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return this.oauthError(
        400,
        'invalid_request',
        7000218,
        "The request body must contain the following parameter: 'client_assertion_type'.",
        correlationId
      )
    }
    const parts = (form.client_assertion ?? '').split('.')
    const [h, p, s] = parts
    if (parts.length !== 3 || !h || !p || !s) return bad('Client assertion is not a valid JWT.')
    let header: Record<string, unknown>
    let claims: Record<string, unknown>
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>
    } catch {
      return bad('Client assertion is not a valid JWT.')
    }
    if (header.alg !== 'PS256' && header.alg !== 'RS256') {
      return bad(`Client assertion uses an unsupported signing algorithm '${String(header.alg)}'.`)
    }
    const x5tS256 = header['x5t#S256']
    const x5t = header.x5t
    const cert = state.certs.find((c) =>
      typeof x5tS256 === 'string'
        ? c.thumbprintSha256 === x5tS256
        : typeof x5t === 'string' && c.thumbprintSha1 === x5t
    )
    if (!cert) {
      return bad(
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(x5tS256 ?? x5t)}']`
      )
    }
    const signed = Buffer.from(`${h}.${p}`)
    const signature = Buffer.from(s, 'base64url')
    const ok =
      header.alg === 'PS256'
        ? verify(
            'sha256',
            signed,
            {
              key: cert.publicKey,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST
            },
            signature
          )
        : verify('sha256', signed, { key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)
    if (!ok) return bad('Client assertion failed signature validation.')
    if (claims.aud !== endpoint)
      return bad(`Client assertion audience '${String(claims.aud)}' does not match the token endpoint.`)
    if (claims.iss !== state.reg.clientId || claims.sub !== state.reg.clientId) {
      return this.oauthError(
        401,
        'invalid_client',
        700021,
        "Client assertion application identifier doesn't match 'client_id' parameter.",
        correlationId
      )
    }
    const now = Math.floor(this.clock.now() / 1000)
    const skew = this.opts.clockSkewSeconds ?? 300
    const nbf = typeof claims.nbf === 'number' ? claims.nbf : now
    const exp = typeof claims.exp === 'number' ? claims.exp : 0
    if (nbf - skew > now || exp + skew < now) {
      return this.oauthError(
        400,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}.`,
        correlationId
      )
    }
    return undefined
  }

  private issue(state: AppState, scope: string): Record<string, unknown> {
    state.issued++
    const now = Math.floor(this.clock.now() / 1000)
    const expiresIn = state.reg.expiresIn ?? this.opts.expiresIn ?? 3599
    const claims: Record<string, unknown> = {
      aud: scope.replace(/\/\.default$/, ''),
      iss: `https://sts.windows.net/${state.reg.tenant}/`,
      iat: now,
      nbf: now,
      exp: now + expiresIn,
      appid: state.reg.clientId,
      idtyp: 'app',
      roles: state.reg.roles ?? FAKE_DEFAULT_ROLES,
      tid: state.reg.tenant,
      uti: randomBytes(12).toString('base64url'),
      ver: '1.0'
    }
    const header = { typ: 'JWT', alg: 'RS256', kid: 'identity-fake' }
    const token = [
      Buffer.from(JSON.stringify(header)).toString('base64url'),
      Buffer.from(JSON.stringify(claims)).toString('base64url'),
      `${this.opts.tokenCanary ?? ''}${randomBytes(32).toString('base64url')}`
    ].join('.')
    this.issuedTokens.set(token, claims)
    return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token }
  }

  private oauthError(
    status: number,
    error: string,
    code: number,
    description: string,
    correlationId: string,
    suberror?: string
  ): FakeHttpResponse {
    const traceId = randomUUID()
    const timestamp = new Date(this.clock.now())
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z')
    return json(status, {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      ...(suberror ? { suberror } : {})
    })
  }
}

export interface RunningIdentityFake {
  fake: IdentityFake
  /** https://127.0.0.1:PORT: use as a custom cloud's authority host */
  origin: string
  /** 127.0.0.1:PORT: what MSAL's knownAuthorities needs */
  host: string
  close(): Promise<void>
}

/**
 * Serves an IdentityFake over https on 127.0.0.1 (random port) with the given server key/certificate.
 * Clients must trust the certificate: `httpsNetworkClient({ ca })` below, or NODE_EXTRA_CA_CERTS at
 * process start for MSAL's default fetch client.
 */
export async function startIdentityFake(
  opts: { tls: { key: string; cert: string } } & IdentityFakeOptions
): Promise<RunningIdentityFake> {
  const fake = new IdentityFake(opts)
  let origin = ''
  const server: Server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let r: FakeHttpResponse
      try {
        r = fake.handle(
          req.method === 'POST' ? 'POST' : 'GET',
          `${origin}${req.url ?? '/'}`,
          Buffer.concat(chunks).toString('utf8')
        )
      } catch {
        // a simulated network failure: drop the connection like an unreachable host would
        req.socket.destroy()
        return
      }
      res.writeHead(r.status, { ...r.headers })
      res.end(JSON.stringify(r.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  origin = `https://127.0.0.1:${port}`
  return {
    fake,
    origin,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}

/** An MSAL network module over node:https that trusts exactly `ca` (tests only: a self-signed fake). */
export function httpsNetworkClient(opts: { ca: string }): INetworkModule {
  const send = <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method, ca: opts.ca, headers: options?.headers ?? {} }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const headers: Record<string, string> = {}
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v
          try {
            resolve({
              status: res.statusCode ?? 0,
              headers,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T
            })
          } catch (err) {
            reject(err)
          }
        })
      })
      req.on('error', reject)
      if (method === 'POST') req.end(options?.body ?? '')
      else req.end()
    })
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options)
  }
}

function json(status: number, body: unknown): FakeHttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body }
}

function appKey(tenant: string, clientId: string): string {
  return `${tenant.toLowerCase()}|${clientId.toLowerCase()}`
}

function tenantNotFound(tenant: string): string {
  return `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}
