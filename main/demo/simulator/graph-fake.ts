/**
 * A Microsoft Graph (Intune beta) look-alike over real HTTP on 127.0.0.1, for tests and the demo tenant.
 * It reproduces what clients trip over in the real service (shared/docs/graph-intune-reference.md §2, §3, §5):
 * per-collection page sizes, absolute opaque nextLinks (the double-encoded cosmosdb form on
 * configurationPolicies), empty pages, Intune's stringified error messages, Retry-After in every shape, and a
 * per-tenant request budget enforced like Intune's. It also notes every request that arrives before a
 * Retry-After it handed out has expired, so soak tests can assert "we never hammered a throttled tenant".
 *
 * Plain Node (node:http, node:crypto): the product's demo imports it at runtime, so no test-framework imports.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { systemClock } from '../../util/clock'
import type { Clock } from '../../util/clock'
import { COLLECTIONS, ODATA_PREFIX, Rng, findCollection } from './graph-catalog'
import type { CollectionDef, FakeItem, FakeTenantData } from './graph-catalog'
import { hostileItems } from './tenant-generator'
import { listenOnLoopback } from './loopback-server'

export type RetryAfterForm = 'int' | 'decimal' | 'httpDate' | 'none'

export type Fault =
  | { kind: 'status429'; retryAfter?: RetryAfterForm; seconds?: number }
  | { kind: 'status503'; retryAfter?: RetryAfterForm; seconds?: number }
  | { kind: 'status504' }
  | { kind: 'status500' }
  /** with scopes: Intune's "must have one of the following scopes"; without: the licence-gated form */
  | { kind: 'forbidden'; scopes?: string[] }
  | { kind: 'notApplicable' }
  | { kind: 'malformedJson' }
  | { kind: 'noValueArray' }
  | { kind: 'connectionReset' }
  | { kind: 'latency'; ms: number }
  | { kind: 'emptyPage' }
  | { kind: 'hostileItems' }
  | { kind: 'unauthorized' }
  /** this status with this body, as given (an error that echoes a credential, a gateway's HTML page) */
  | { kind: 'status'; status: number; body: string; headers?: Record<string, string> }
  /** the real answer's headers (its full Content-Length) and its first `bytes` bytes, then the connection drops */
  | { kind: 'truncate'; bytes?: number }
  /** never answered: the request hangs until the client gives up (abort, timeout) or the fake closes */
  | { kind: 'hang' }
  /** held until `until` settles, then answered as usual (a gate the test opens) */
  | { kind: 'hold'; until: Promise<unknown> }

export interface FaultRule {
  /** string: the collection path ('/deviceManagement/configurationPolicies') or the full request path; RegExp: tested on the full path */
  path?: string | RegExp
  /** only for this tenant key */
  tenant?: string
  /** how many times it fires (default 1; Infinity = always) */
  times?: number
  /** let this many matching requests through first */
  afterRequests?: number
  /** fire with this probability (seeded, so runs repeat) */
  probability?: number
  fault: Fault
}

export interface RecordedRequest {
  requestId: string
  method: string
  path: string
  query: Record<string, string>
  /** request headers, lower-case names, without Authorization */
  headers: Record<string, string>
  hasAuth: boolean
  /** the bearer token presented (fake tokens only ever reach this server), null when none */
  tokenSeen: string | null
  tenant: string
  /** 0 = the connection was reset */
  status: number
  /** clock time when the request arrived */
  at: number
  fault?: Fault['kind'] | 'budget'
  retryAfter?: string
}

/** A Retry-After this server handed out: the tenant must stay quiet until `until` (clock ms). */
export interface ThrottleWait {
  tenant: string
  at: number
  until: number
  status: number
  path: string
}

/** A request that arrived while a previously returned Retry-After was still running. */
export interface BudgetViolation {
  tenant: string
  at: number
  until: number
  path: string
  requestId: string
}

export interface GraphFakeOptions {
  data: FakeTenantData | ((tenantKey: string) => FakeTenantData)
  clock?: Clock
  /** delay before every response (through clock.sleep, so a fake clock makes it free) */
  latencyMs?: number
  /** Intune's "1000 requests per 20 s per app per tenant"; false disables it */
  budget?: { maxRequests: number; windowMs: number } | false
  tls?: { key: string; cert: string }
  /** reject a bearer token (→ 401). Default: any non-empty token is accepted */
  validateToken?: (token: string) => boolean
  /** after every N data pages, serve one empty page (with a nextLink) */
  emptyPageEvery?: number
  /** seed for probabilistic fault rules */
  seed?: number
  /** cap on `requests` (oldest dropped) so a long-running demo does not grow without bound */
  maxRecordedRequests?: number
  /**
   * Serialise each page's items once and send the same bytes again when the page is asked for again (the
   * benchmarks: every tenant there reads the same data, and real Graph serialises on Microsoft's machines,
   * not on the client's). Only when the served items are never changed in place.
   */
  cachePages?: boolean
}

export type GraphHandler = (req: IncomingMessage, res: ServerResponse) => void

export interface GraphFake {
  /** 'http://127.0.0.1:PORT' (https with tls) */
  baseUrl: string
  /** baseUrl + '/beta' */
  graphBaseUrl: string
  requests: RecordedRequest[]
  waits: ThrottleWait[]
  violations: BudgetViolation[]
  script(rule: FaultRule): void
  clearFaults(): void
  /** fault rules that can still fire */
  pendingFaults(): number
  setData(data: FakeTenantData | ((tenantKey: string) => FakeTenantData)): void
  /** calls `listener` as each request arrives, before it is answered (tests act while one is in flight) */
  onRequest(listener: (request: RecordedRequest) => void): () => void
  handler: GraphHandler
  close(): Promise<void>
}

/** The fake without its own server: mounted by another HTTP server (the demo's loopback route). */
export type GraphFakeCore = Omit<GraphFake, 'baseUrl' | 'graphBaseUrl' | 'close'>

export const DEFAULT_BUDGET = { maxRequests: 1000, windowMs: 20_000 }

const CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
const AGS_DIAGNOSTIC = JSON.stringify({
  ServerInfo: {
    DataCenter: 'West Europe',
    Slice: 'E',
    Ring: '5',
    ScaleUnit: '003',
    RoleInstance: 'AM2PEPF0000A1B2'
  }
})
const TIPS =
  "This request only returns a subset of the resource's properties. Your app will need to use $select to return " +
  'non-default properties. To find out what other properties are available for this resource see ' +
  'https://learn.microsoft.com/graph/api/resources/deviceManagementConfigurationPolicy'
const VERSIONS = new Set(['beta', 'v1.0'])
// collections whose nextLink carries the Cosmos DB composite token, double URL-encoded (reference §2)
const COSMOS_PATHS = new Set(['/devicemanagement/configurationpolicies'])
const DEFAULT_COLLECTION: Omit<CollectionDef, 'path'> = {
  entityType: 'entity',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 0,
  kinds: [],
  base: () => ({})
}

interface Cursor {
  /** collection path, lower case */
  p: string
  /** tenant key */
  t: string
  /** offset of the next item */
  o: number
  /** page number of the page this cursor asks for */
  n: number
}

/** Error bodies as Graph and Intune send them (reference §3d, §5.5). */
class Envelopes {
  constructor(private readonly clock: Clock) {}

  inner(requestId: string, clientRequestId: string): Record<string, string> {
    return {
      date: new Date(this.clock.now()).toISOString().slice(0, 19),
      'request-id': requestId,
      'client-request-id': clientRequestId
    }
  }

  error(code: string, message: string, requestId: string, clientRequestId: string): string {
    return JSON.stringify({ error: { code, message, innerError: this.inner(requestId, clientRequestId) } })
  }

  throttled(requestId: string, clientRequestId: string): string {
    const date = new Date(this.clock.now()).toISOString().slice(0, 19)
    return JSON.stringify({
      error: {
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        innerError: {
          code: '429',
          date,
          message: 'Please retry after',
          'request-id': requestId,
          status: '429',
          'client-request-id': clientRequestId
        }
      }
    })
  }

  /** Intune puts a JSON document serialized as a string in error.message, with CRLF line breaks. */
  intune(code: string, message: string, requestId: string, clientRequestId: string): string {
    const inner = JSON.stringify(
      {
        _version: 3,
        Message: message,
        CustomApiErrorPhrase: '',
        RetryAfter: null,
        ErrorSourceService: '',
        HttpHeaders: '{}'
      },
      null,
      2
    ).replace(/\n/g, '\r\n')
    return this.error(code, inner, requestId, clientRequestId)
  }
}

function intuneTail(requestId: string, requestPath: string): string {
  // Intune's own URL has no Graph version segment
  const path = requestPath.replace(/^\/(beta|v1\.0)(?=\/)/i, '')
  return (
    ` - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${requestId}` +
    ` - Url: https://fef.amsua0202.manage.microsoft.com/DeviceConfiguration_2311/StatelessDeviceConfigurationFEService${path}?api-version=5023-10-14`
  )
}

/** `x-fake-tenant` header, else the `tid` claim of a JWT bearer token, else 'default'. */
function tenantKeyOf(req: IncomingMessage, token: string | null): string {
  const header = req.headers['x-fake-tenant']
  if (typeof header === 'string' && header.length > 0) return header
  if (token) {
    const parts = token.split('.')
    if (parts.length === 3) {
      try {
        const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as {
          tid?: unknown
        }
        if (typeof claims.tid === 'string' && claims.tid.length > 0) return claims.tid
      } catch {
        // not a JWT: fall through
      }
    }
  }
  return 'default'
}

function bearerOf(req: IncomingMessage): string | null {
  const value = req.headers.authorization
  if (typeof value !== 'string') return null
  const m = /^Bearer\s+(\S.*)$/i.exec(value.trim())
  return m ? (m[1] as string).trim() : null
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

interface PageRequest {
  version: string
  key: string
  def: CollectionDef
  items: FakeItem[]
  cursor: Cursor
  pageSize: number
  /** raw query parts to carry into the nextLink (without $skiptoken) */
  keptQuery: string[]
}

type Route =
  | { kind: 'page'; page: PageRequest }
  | { kind: 'item'; version: string; key: string; def: CollectionDef; item: FakeItem | undefined; id: string }
  | { kind: 'error'; status: number; code: string; message: string; intune?: boolean }

export async function startGraphFake(opts: GraphFakeOptions): Promise<GraphFake> {
  const core = createGraphFake(opts)
  const server: Server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, core.handler)
    : createServer(core.handler)
  const { baseUrl, close } = await listenOnLoopback(server, opts.tls ? 'https' : 'http')
  return { ...core, baseUrl, graphBaseUrl: `${baseUrl}/beta`, close }
}

/** The fake's state and handler without a server of its own (startGraphFake gives it one). */

export function createGraphFake(opts: GraphFakeOptions): GraphFakeCore {
  const clock = opts.clock ?? systemClock
  const budget = opts.budget === false ? null : (opts.budget ?? DEFAULT_BUDGET)
  const envelopes = new Envelopes(clock)
  const faultRng = new Rng(opts.seed ?? 0x5eed)
  const maxRecorded = opts.maxRecordedRequests ?? 100_000
  // tokens are encrypted with a per-server key: opaque to clients, unforgeable, and useless on another server
  const tokenKey = randomBytes(32)

  let dataSource = opts.data
  const tenantData = new Map<string, FakeTenantData>()
  const windows = new Map<string, number[]>()
  /**
   * Retry-Afters handed out per tenant. A request for the same collection while one is running is a
   * violation: it can only be the retry of the throttled page (page chains are sequential). Requests of
   * other collections may legitimately have been in flight when the 429 left, which the server cannot tell
   * apart from a client ignoring the tenant-wide pause; tests check that rule on the client side.
   */
  const activeWaits = new Map<string, Array<{ at: number; until: number; path: string }>>()
  interface ActiveRule {
    rule: FaultRule
    seen: number
    fired: number
  }
  let rules: ActiveRule[] = []

  const requests: RecordedRequest[] = []
  const arrivals = new Set<(request: RecordedRequest) => void>()
  const waits: ThrottleWait[] = []
  const violations: BudgetViolation[] = []

  const dataFor = (tenant: string): FakeTenantData => {
    if (typeof dataSource !== 'function') return dataSource
    let data = tenantData.get(tenant)
    if (!data) {
      data = dataSource(tenant)
      tenantData.set(tenant, data)
    }
    return data
  }

  // ---------- skiptokens ----------

  const sealCursor = (c: Cursor): string => {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', tokenKey, iv)
    const body = Buffer.concat([cipher.update(JSON.stringify(c), 'utf8'), cipher.final()])
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
  }

  const openCursor = (token: string): Cursor | null => {
    try {
      const raw = Buffer.from(token, 'base64url')
      if (raw.length < 29) return null
      const decipher = createDecipheriv('aes-256-gcm', tokenKey, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(raw.length - 16))
      const text = Buffer.concat([
        decipher.update(raw.subarray(12, raw.length - 16)),
        decipher.final()
      ]).toString('utf8')
      const c = JSON.parse(text) as Cursor
      return Number.isInteger(c.o) && Number.isInteger(c.n) && c.o >= 0 ? c : null
    } catch {
      return null
    }
  }

  /** the value as it appears in the URL (already encoded) */
  const skiptokenParam = (pathLower: string, c: Cursor): string => {
    const sealed = sealCursor(c)
    if (!COSMOS_PATHS.has(pathLower)) return sealed
    const composite = Buffer.from(
      JSON.stringify({ token: `-RID:~${sealed}`, range: { min: '', max: 'FF' } })
    ).toString('base64')
    return encodeURIComponent(encodeURIComponent(`[cosmosdb][{"compositeToken":"${composite}"}]`))
  }

  /** `value` is what URLSearchParams gives (decoded once) */
  const readSkiptoken = (value: string): Cursor | null => {
    if (value.startsWith('%5Bcosmosdb%5D') || value.startsWith('[cosmosdb]')) {
      const once = value.startsWith('[') ? value : safeDecode(value)
      const m = once ? /^\[cosmosdb\]\[\{"compositeToken":"([^"]+)"\}\]$/.exec(once) : null
      if (!m) return null
      try {
        const composite = JSON.parse(Buffer.from(m[1] as string, 'base64').toString('utf8')) as {
          token?: unknown
        }
        return typeof composite.token === 'string' && composite.token.startsWith('-RID:~')
          ? openCursor(composite.token.slice(6))
          : null
      } catch {
        return null
      }
    }
    return openCursor(value)
  }

  // ---------- routing ----------

  const resolve = (url: URL, rawQuery: string, tenant: string): Route => {
    const rawSegments = url.pathname.split('/').filter((s) => s.length > 0)
    const segments: string[] = []
    for (const s of rawSegments) {
      const d = safeDecode(s)
      if (d === null)
        return {
          kind: 'error',
          status: 400,
          code: 'BadRequest',
          message: `Resource not found for the segment '${s}'.`
        }
      segments.push(d)
    }
    const version = segments[0] ?? ''
    if (!VERSIONS.has(version))
      return { kind: 'error', status: 400, code: 'BadRequest', message: `Invalid version: ${version}` }
    const data = dataFor(tenant)
    const known = new Map<string, string>()
    for (const c of COLLECTIONS) known.set(c.path.toLowerCase(), c.path)
    for (const k of Object.keys(data)) known.set(k.toLowerCase(), k)

    const rest = segments.slice(1)
    const asPath = (n: number): string => '/' + rest.slice(0, n).join('/')
    const lookup = (n: number): { key: string; def: CollectionDef } | null => {
      const key = known.get(asPath(n).toLowerCase())
      if (!key) return null
      return { key, def: findCollection(key) ?? { ...DEFAULT_COLLECTION, path: key } }
    }
    const collection = lookup(rest.length)
    const parent = rest.length > 1 ? lookup(rest.length - 1) : null
    const target = collection ?? parent
    if (!target) {
      // name the first segment that leads nowhere, like the service does
      let bad = rest[rest.length - 1] ?? version
      for (let n = 1; n <= rest.length; n++) {
        const prefix = asPath(n).toLowerCase()
        if (![...known.keys()].some((k) => k === prefix || k.startsWith(prefix + '/'))) {
          bad = rest[n - 1] as string
          break
        }
      }
      return {
        kind: 'error',
        status: 400,
        code: 'BadRequest',
        message: `Resource not found for the segment '${bad}'.`
      }
    }
    if (version === 'v1.0' && !target.def.v1) {
      const segment = target.key.split('/').pop() ?? target.key
      return {
        kind: 'error',
        status: 400,
        code: 'BadRequest',
        message: `Resource not found for the segment '${segment}'.`
      }
    }
    const items = data[target.key] ?? []

    if (!collection && parent) {
      const id = rest[rest.length - 1] as string
      const item = items.find((i) => String(i.id).toLowerCase() === id.toLowerCase())
      return { kind: 'item', version, key: parent.key, def: parent.def, item, id }
    }

    const rejected = target.def.rejectsQueryOptions ?? []
    for (const option of rejected) {
      if (url.searchParams.has(option)) {
        const name = option.slice(1, 2).toUpperCase() + option.slice(2)
        return {
          kind: 'error',
          status: 400,
          code: 'BadRequest',
          message: `The query specified in the URI is not valid. Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`
        }
      }
    }

    let pageSize = target.def.pageSize
    const top = url.searchParams.get('$top')
    if (top !== null) {
      if (!/^\d{1,15}$/.test(top) || Number(top) < 1) {
        return {
          kind: 'error',
          status: 400,
          code: 'BadRequest',
          message: `Invalid $top value '${top.slice(0, 40)}'.`
        }
      }
      pageSize = Number(top)
    }
    pageSize = Math.min(pageSize, target.def.maxPageSize)

    const pathLower = target.key.toLowerCase()
    let cursor: Cursor = { p: pathLower, t: tenant, o: 0, n: 0 }
    const token = url.searchParams.get('$skiptoken')
    if (token !== null) {
      const opened = readSkiptoken(token)
      if (!opened || opened.p !== pathLower || opened.t !== tenant) {
        return {
          kind: 'error',
          status: 400,
          code: 'BadRequest',
          message: 'The $skiptoken value is not valid for this request.'
        }
      }
      cursor = opened
    }
    const keptQuery = rawQuery
      .split('&')
      .filter(
        (part) =>
          part.length > 0 && (safeDecode(part.split('=')[0] as string) ?? '').toLowerCase() !== '$skiptoken'
      )
    return {
      kind: 'page',
      page: { version, key: target.key, def: target.def, items, cursor, pageSize, keptQuery }
    }
  }

  // ---------- responses ----------

  const headersFor = (
    requestId: string,
    clientRequestId: string,
    extra: Record<string, string> = {}
  ): Record<string, string> => ({
    'Content-Type': CONTENT_TYPE,
    'Cache-Control': 'no-cache',
    'request-id': requestId,
    'client-request-id': clientRequestId,
    'x-ms-ags-diagnostic': AGS_DIAGNOSTIC,
    'OData-Version': '4.0',
    Date: new Date(clock.now()).toUTCString(),
    ...extra
  })

  const originOf = (req: IncomingMessage): string => {
    // behind a routing transport (demo, tests) links use the public origin the client asked for,
    // as real Graph hands out links on graph.microsoft.com
    const fwdHost = req.headers['x-forwarded-host']
    const fwdProto = req.headers['x-forwarded-proto']
    if (typeof fwdHost === 'string' && /^[A-Za-z0-9.:[\]-]+$/.test(fwdHost)) {
      return `${fwdProto === 'http' ? 'http' : 'https'}://${fwdHost}`
    }
    const secure = (req.socket as Partial<TLSSocket>).encrypted === true
    return `${secure ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}`
  }

  const contextUrl = (origin: string, version: string, key: string): string =>
    `${origin}/${version}/$metadata#${key.slice(1)}`

  const shapeItems = (
    items: FakeItem[],
    page: { version: string; def: CollectionDef },
    fullMetadata: boolean
  ): FakeItem[] => {
    const stripTags = page.version === 'v1.0'
    const addType = fullMetadata && !page.def.polymorphic
    if (!stripTags && !addType) return items
    return items.map((item) => {
      const shaped: FakeItem = addType
        ? { '@odata.type': ODATA_PREFIX + page.def.entityType, ...item }
        : { ...item }
      // v1.0 lacks the beta-only scope tag property (reference §0)
      if (stripTags) delete shaped.roleScopeTagIds
      return shaped
    })
  }

  // per items array (so setData starts afresh): "version|offset|size|metadata" -> the value array's JSON
  const pageCache = new WeakMap<FakeItem[], Map<string, string>>()
  const valueJson = (page: PageRequest, fullMetadata: boolean): string => {
    const slice = (): FakeItem[] => page.items.slice(page.cursor.o, page.cursor.o + page.pageSize)
    if (!opts.cachePages) return JSON.stringify(shapeItems(slice(), page, fullMetadata))
    let byPage = pageCache.get(page.items)
    if (!byPage) pageCache.set(page.items, (byPage = new Map()))
    const key = `${page.version}|${page.cursor.o}|${page.pageSize}|${fullMetadata ? 1 : 0}`
    let json = byPage.get(key)
    if (json === undefined) byPage.set(key, (json = JSON.stringify(shapeItems(slice(), page, fullMetadata))))
    return json
  }

  const pageBody = (
    origin: string,
    page: PageRequest,
    value: FakeItem[] | string | undefined,
    next: Cursor | null,
    firstPage: boolean,
    fullMetadata: boolean
  ): string => {
    const body: Record<string, unknown> = { '@odata.context': contextUrl(origin, page.version, page.key) }
    const cosmos = COSMOS_PATHS.has(page.key.toLowerCase())
    // configurationPolicies: @odata.count on the first page only, equal to the page size, never the total
    if (cosmos && firstPage && value) {
      body['@odata.count'] =
        typeof value === 'string'
          ? Math.max(0, Math.min(page.pageSize, page.items.length - page.cursor.o))
          : value.length
    }
    if (next) {
      const query = [...page.keptQuery, `$skiptoken=${skiptokenParam(page.key.toLowerCase(), next)}`].join(
        '&'
      )
      body['@odata.nextLink'] = `${origin}/${page.version}${page.key}?${query}`
    }
    if (cosmos && firstPage) body['@microsoft.graph.tips'] = TIPS
    if (typeof value !== 'string') {
      if (value) body.value = shapeItems(value, page, fullMetadata)
      return JSON.stringify(body)
    }
    // the same bytes JSON.stringify gives with `value` as the last key
    const head = JSON.stringify(body)
    return `${head.slice(0, -1)},"value":${value}}`
  }

  // ---------- the handler ----------

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = clock.now()
    const requestId = randomUUID()
    const crid = req.headers['client-request-id']
    const clientRequestId =
      typeof crid === 'string' && crid.length > 0 && crid.length <= 200 ? crid : requestId
    const rawUrl = req.url ?? '/'
    const qIndex = rawUrl.indexOf('?')
    const rawQuery = qIndex >= 0 ? rawUrl.slice(qIndex + 1) : ''
    let url: URL
    try {
      url = new URL(rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`, 'http://graph.invalid')
    } catch {
      url = new URL('http://graph.invalid/')
    }
    const token = bearerOf(req)
    const tenant = tenantKeyOf(req, token)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'authorization' || value === undefined) continue
      headers[name] = Array.isArray(value) ? value.join(', ') : value
    }
    const record: RecordedRequest = {
      requestId,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      hasAuth: typeof req.headers.authorization === 'string',
      tokenSeen: token,
      tenant,
      status: 0,
      at
    }
    requests.push(record)
    if (requests.length > maxRecorded) requests.splice(0, Math.ceil(maxRecorded / 10))
    req.resume()
    for (const listener of arrivals) listener(record)

    const breached = (activeWaits.get(tenant) ?? []).find((w) => at < w.until && w.path === url.pathname)
    if (breached) violations.push({ tenant, at, until: breached.until, path: url.pathname, requestId })

    /** the scripted fault this request drew (decided after the auth and budget checks) */
    let fault: Fault | undefined
    const send = (status: number, body: string, extra: Record<string, string> = {}): void => {
      record.status = status
      if (extra['Retry-After'] !== undefined) record.retryAfter = extra['Retry-After']
      if (res.destroyed || res.writableEnded) return
      const out = Buffer.from(body, 'utf8')
      res.writeHead(status, {
        ...headersFor(requestId, clientRequestId, extra),
        'Content-Length': String(out.length)
      })
      if (fault?.kind !== 'truncate') return void res.end(out)
      // the promised length never arrives: the client sees the body end early
      const cut = Math.min(out.length - 1, Math.max(0, fault.bytes ?? out.length >> 1))
      res.write(out.subarray(0, cut), () => req.socket.destroy())
    }
    const sendError = (
      status: number,
      code: string,
      message: string,
      extra: Record<string, string> = {}
    ): void => send(status, envelopes.error(code, message, requestId, clientRequestId), extra)
    /** Retry-After in the requested form; records the promise so early returns count as violations */
    const retryAfterHeader = (
      form: RetryAfterForm,
      seconds: number,
      status: number
    ): Record<string, string> => {
      if (form === 'none') return {}
      let value: string
      let untilMs: number
      if (form === 'httpDate') {
        untilMs = Math.ceil((at + seconds * 1000) / 1000) * 1000
        value = new Date(untilMs).toUTCString()
      } else if (form === 'decimal') {
        value = seconds.toFixed(3)
        untilMs = at + Number(value) * 1000
      } else {
        const whole = Math.max(0, Math.ceil(seconds))
        value = String(whole)
        untilMs = at + whole * 1000
      }
      waits.push({ tenant, at, until: untilMs, status, path: url.pathname })
      const list = (activeWaits.get(tenant) ?? []).filter((w) => w.until > at)
      list.push({ at, until: untilMs, path: url.pathname })
      activeWaits.set(tenant, list)
      return { 'Retry-After': value }
    }

    if (opts.latencyMs && opts.latencyMs > 0) await clock.sleep(opts.latencyMs)

    if (!token) {
      return sendError(401, 'InvalidAuthenticationToken', 'Access token is empty.', {
        'WWW-Authenticate': 'Bearer realm=""'
      })
    }
    if (opts.validateToken && !opts.validateToken(token)) {
      return sendError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.', {
        'WWW-Authenticate': 'Bearer realm=""'
      })
    }
    if (record.method !== 'GET') {
      return sendError(
        405,
        'BadRequest',
        `The HTTP method '${record.method.slice(0, 20)}' is not allowed for this resource.`,
        { Allow: 'GET' }
      )
    }

    if (budget) {
      // sliding window of accepted request starts; throttled requests are not counted, so waiting the
      // returned Retry-After is always enough to get through again
      const window = windows.get(tenant) ?? []
      windows.set(tenant, window)
      while (window.length > 0 && (window[0] as number) <= at - budget.windowMs) window.shift()
      if (window.length >= budget.maxRequests) {
        const seconds = Math.max(1, Math.ceil(((window[0] as number) + budget.windowMs - at) / 1000))
        record.fault = 'budget'
        return send(
          429,
          envelopes.throttled(requestId, clientRequestId),
          retryAfterHeader('int', seconds, 429)
        )
      }
      window.push(at)
    }

    const accept = req.headers.accept ?? ''
    const fullMetadata = /odata\.metadata=full/i.test(accept)
    const route = resolve(url, rawQuery, tenant)
    const collectionPath = route.kind === 'page' ? route.page.key : route.kind === 'item' ? route.key : null

    // ---------- scripted faults ----------
    const pageOnly = new Set<Fault['kind']>(['emptyPage', 'hostileItems', 'noValueArray', 'malformedJson'])
    for (const active of rules) {
      const { rule } = active
      if (rule.tenant !== undefined && rule.tenant !== tenant) continue
      if (pageOnly.has(rule.fault.kind) && route.kind !== 'page') continue
      if (rule.path !== undefined) {
        const matches =
          typeof rule.path === 'string'
            ? rule.path.toLowerCase() === url.pathname.toLowerCase() ||
              rule.path.toLowerCase() === collectionPath?.toLowerCase()
            : rule.path.test(url.pathname)
        if (!matches) continue
      }
      if (active.fired >= (rule.times ?? 1)) continue
      active.seen++
      if (active.seen <= (rule.afterRequests ?? 0)) continue
      if (rule.probability !== undefined && faultRng.next() >= rule.probability) continue
      active.fired++
      fault = rule.fault
      break
    }
    if (fault) record.fault = fault.kind

    if (fault) {
      switch (fault.kind) {
        case 'status429':
          return send(
            429,
            envelopes.throttled(requestId, clientRequestId),
            retryAfterHeader(
              fault.retryAfter ?? 'int',
              fault.seconds ?? (fault.retryAfter === 'decimal' ? 2.128 : 2),
              429
            )
          )
        case 'status503':
          return send(
            503,
            envelopes.error('serviceNotAvailable', 'Service Unavailable', requestId, clientRequestId),
            retryAfterHeader(
              fault.retryAfter ?? 'none',
              fault.seconds ?? (fault.retryAfter === 'decimal' ? 1.5 : 3),
              503
            )
          )
        case 'status504':
          return sendError(504, 'gatewayTimeout', 'The request timed out.')
        case 'status500':
          return send(
            500,
            envelopes.intune(
              'InternalServerError',
              `An internal server error has occurred${intuneTail(requestId, url.pathname)}`,
              requestId,
              clientRequestId
            )
          )
        case 'forbidden': {
          const message = fault.scopes?.length
            ? `Application is not authorized to perform this operation. Application must have one of the following scopes: ${fault.scopes.join(', ')}${intuneTail(requestId, url.pathname)}`
            : `An error has occurred${intuneTail(requestId, url.pathname)}`
          return send(403, envelopes.intune('Forbidden', message, requestId, clientRequestId))
        }
        case 'notApplicable':
          return sendError(400, 'BadRequest', 'Request not applicable to target tenant.')
        case 'unauthorized':
          return sendError(
            401,
            'InvalidAuthenticationToken',
            'Access token has expired or is not yet valid.',
            { 'WWW-Authenticate': 'Bearer realm=""' }
          )
        case 'connectionReset':
          record.status = 0
          req.socket.destroy()
          return
        case 'status':
          return send(fault.status, fault.body, fault.headers)
        case 'hang':
          // answered by nobody: the socket closes when the client aborts or the fake closes
          return
        case 'hold':
          await fault.until
          break
        case 'latency':
          await clock.sleep(Math.max(0, fault.ms))
          break
        default:
          break
      }
    }

    if (route.kind === 'error') {
      if (route.intune)
        return send(route.status, envelopes.intune(route.code, route.message, requestId, clientRequestId))
      return sendError(route.status, route.code, route.message)
    }
    const origin = originOf(req)
    if (route.kind === 'item') {
      if (!route.item) {
        return send(
          404,
          envelopes.intune(
            'ResourceNotFound',
            `Resource not found${intuneTail(requestId, url.pathname)}`,
            requestId,
            clientRequestId
          )
        )
      }
      const [shaped] = shapeItems([route.item], { version: route.version, def: route.def }, fullMetadata)
      return send(
        200,
        JSON.stringify({
          '@odata.context': `${contextUrl(origin, route.version, route.key)}/$entity`,
          ...shaped
        })
      )
    }

    const page = route.page
    const { cursor } = page
    const stay: Cursor = { ...cursor, n: cursor.n + 1 }
    switch (fault?.kind) {
      case 'emptyPage':
        return send(200, pageBody(origin, page, [], stay, false, fullMetadata))
      case 'hostileItems':
        return send(
          200,
          pageBody(origin, page, hostileItems(page.def.nameProperty), stay, false, fullMetadata)
        )
      case 'noValueArray':
        return send(200, pageBody(origin, page, undefined, null, false, fullMetadata))
      case 'malformedJson':
        return send(
          200,
          `{"@odata.context":"${contextUrl(origin, page.version, page.key)}","value":[{"id":"0f1e2d3c-`
        )
      default:
        break
    }
    const every = opts.emptyPageEvery ?? 0
    if (every > 0 && cursor.n % (every + 1) === every && cursor.o < page.items.length) {
      return send(200, pageBody(origin, page, [], stay, false, fullMetadata))
    }
    const nextOffset = Math.min(page.items.length, cursor.o + page.pageSize)
    const next = nextOffset < page.items.length ? { ...cursor, o: nextOffset, n: cursor.n + 1 } : null
    return send(
      200,
      pageBody(origin, page, valueJson(page, fullMetadata), next, cursor.n === 0, fullMetadata)
    )
  }

  const handler: GraphHandler = (req, res) => {
    handle(req, res).catch(() => {
      // never let a bad request take the server down: answer 500 if we still can
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': CONTENT_TYPE })
        res.end(
          JSON.stringify({
            error: { code: 'InternalServerError', message: 'The fake failed to handle the request.' }
          })
        )
      } else {
        res.destroy()
      }
    })
  }

  return {
    requests,
    waits,
    violations,
    script(rule) {
      rules.push({ rule, seen: 0, fired: 0 })
    },
    clearFaults() {
      rules = []
    },
    pendingFaults() {
      return rules.filter((r) => r.fired < (r.rule.times ?? 1)).length
    },
    setData(data) {
      dataSource = data
      tenantData.clear()
    },
    onRequest(listener) {
      arrivals.add(listener)
      return () => arrivals.delete(listener)
    },
    handler
  }
}
