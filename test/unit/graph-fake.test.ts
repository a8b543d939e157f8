import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { get as httpsGet } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fake-clock'
import { startGraphFake } from '../../main/demo/simulator/graph-fake'
import type { GraphFake, GraphFakeOptions } from '../../main/demo/simulator/graph-fake'
import type { FakeItem, FakeTenantData } from '../../main/demo/simulator/graph-catalog'
import { generateTenant } from '../../main/demo/simulator/tenant-generator'

const AUTH = { Authorization: 'Bearer test-token' }
const CP = '/deviceManagement/configurationPolicies'
const DC = '/deviceManagement/deviceConfigurations'
const APPS = '/deviceAppManagement/mobileApps'
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const open: GraphFake[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()))
})

async function fake(opts: Partial<GraphFakeOptions> & Pick<GraphFakeOptions, 'data'>): Promise<GraphFake> {
  const f = await startGraphFake({ clock: new FakeClock(), ...opts })
  open.push(f)
  return f
}

function items(n: number, prefix = 'item'): FakeItem[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, displayName: `${prefix} ${i}` }))
}

type Json = Record<string, unknown> & { value?: FakeItem[] }

async function getJson(
  url: string,
  headers: Record<string, string> = AUTH
): Promise<{ status: number; body: Json; res: Response }> {
  const res = await fetch(url, { headers })
  const text = await res.text()
  return { status: res.status, body: JSON.parse(text) as Json, res }
}

/** Follows nextLinks like a client would; returns every page body. */
async function walk(url: string, headers: Record<string, string> = AUTH): Promise<Json[]> {
  const pages: Json[] = []
  let next: string | undefined = url
  while (next) {
    const { status, body } = await getJson(next, headers)
    expect(status).toBe(200)
    pages.push(body)
    next = body['@odata.nextLink'] as string | undefined
    if (pages.length > 10_000) throw new Error('paging does not terminate')
  }
  return pages
}

const idsOf = (pages: Json[]): unknown[] => pages.flatMap((p) => (p.value ?? []).map((i) => i.id))

/** error.message of an Intune error is itself a JSON document */
function intuneMessage(body: Json): string {
  const error = body.error as { message: string }
  return (JSON.parse(error.message) as { Message: string }).Message
}

describe('paging', () => {
  it.each([
    [CP, 0, 25],
    [CP, 1, 25],
    [CP, 25, 25],
    [CP, 26, 25],
    [CP, 613, 25],
    [DC, 100, 100],
    [DC, 101, 100],
    [DC, 999, 100],
    [APPS, 1000, 1000],
    [APPS, 2501, 1000]
  ])('%s with %i items: every item exactly once, %i per page', async (path, n, pageSize) => {
    const data: FakeTenantData = { [path]: items(n) }
    const f = await fake({ data })
    const pages = await walk(`${f.graphBaseUrl}${path}`)
    const ids = idsOf(pages)
    expect(ids).toEqual(items(n).map((i) => i.id))
    expect(pages.length).toBe(Math.max(1, Math.ceil(n / pageSize)))
    for (const page of pages.slice(0, -1)) expect(page.value).toHaveLength(pageSize)
    expect(pages.at(-1)?.['@odata.nextLink']).toBeUndefined()
  })

  it('honours $top up to the collection maximum', async () => {
    const f = await fake({ data: { [DC]: items(30), [APPS]: items(2500), [CP]: items(60) } })
    const small = await walk(`${f.graphBaseUrl}${DC}?$top=7`)
    expect(small.map((p) => p.value?.length)).toEqual([7, 7, 7, 7, 2])
    const huge = await walk(`${f.graphBaseUrl}${APPS}?$top=999999999`)
    expect(huge.map((p) => p.value?.length)).toEqual([1000, 1000, 500])
    const cp = await walk(`${f.graphBaseUrl}${CP}?$top=100`)
    expect(cp.map((p) => p.value?.length)).toEqual([25, 25, 10])
  })

  it('with cachePages sends the bytes an uncached fake sends, and setData serves the new items', async () => {
    const data: FakeTenantData = { [CP]: items(60), [DC]: items(250), [APPS]: items(3) }
    const plain = await fake({ data })
    const cached = await fake({ data, cachePages: true })
    // the public origin instead of each server's port; the sealed skiptoken is random per answer
    const headers = { ...AUTH, 'x-forwarded-host': 'graph.microsoft.com' }
    const rawPages = async (f: GraphFake, first: string, accept?: string): Promise<string[]> => {
      const texts: string[] = []
      let url: string | undefined = `${f.baseUrl}${first}`
      while (url) {
        const text = await (
          await fetch(url, { headers: { ...headers, ...(accept ? { Accept: accept } : {}) } })
        ).text()
        texts.push(text.replace(/\$skiptoken=[^"]+/, '$skiptoken=T'))
        const next = (JSON.parse(text) as Json)['@odata.nextLink'] as string | undefined
        url = next?.replace('https://graph.microsoft.com', f.baseUrl)
      }
      return texts
    }
    const full = 'application/json;odata.metadata=full'
    for (const [path, accept] of [
      [`/beta${CP}`, undefined],
      [`/beta${DC}?$top=40`, undefined],
      [`/v1.0${DC}`, full],
      [`/beta${APPS}`, full]
    ] as const) {
      const expected = await rawPages(plain, path, accept)
      expect(expected.length).toBeGreaterThan(0)
      // twice: the second walk is served from the cache
      expect(await rawPages(cached, path, accept), path).toEqual(expected)
      expect(await rawPages(cached, path, accept), path).toEqual(expected)
    }
    cached.setData({ [DC]: items(3, 'renamed') })
    const [page] = await rawPages(cached, `/beta${DC}`)
    expect((JSON.parse(page ?? '{}') as Json).value?.map((i) => i.id)).toEqual([
      'renamed-0',
      'renamed-1',
      'renamed-2'
    ])
  })

  it('pages a generated tenant collection by collection without loss', async () => {
    const data = generateTenant({ seed: 11, size: 3000 })
    const f = await fake({ data })
    for (const [path, expected] of Object.entries(data)) {
      const ids = idsOf(await walk(`${f.graphBaseUrl}${path}`))
      expect(ids, path).toEqual(expected.map((i) => i.id))
    }
  })

  it('puts @odata.context first and @odata.count (= page size) only on the first configurationPolicies page', async () => {
    const f = await fake({ data: { [CP]: items(60), [DC]: items(150) } })
    const cp = await walk(`${f.graphBaseUrl}${CP}`)
    expect(Object.keys(cp[0] as Json)[0]).toBe('@odata.context')
    expect(cp[0]?.['@odata.context']).toBe(
      `${f.baseUrl}/beta/$metadata#deviceManagement/configurationPolicies`
    )
    expect(cp[0]?.['@odata.count']).toBe(25)
    expect(cp[0]?.['@microsoft.graph.tips']).toEqual(expect.any(String))
    expect(cp.slice(1).map((p) => p['@odata.count'])).toEqual([undefined, undefined])
    const dc = await walk(`${f.graphBaseUrl}${DC}`)
    expect(dc.map((p) => p['@odata.count'])).toEqual([undefined, undefined])
  })

  it('emits absolute, opaque nextLinks that keep the original query', async () => {
    const f = await fake({ data: { [DC]: items(250) } })
    const { body } = await getJson(`${f.graphBaseUrl}${DC}?$select=id,displayName&$orderby=displayName`)
    const next = body['@odata.nextLink'] as string
    expect(next.startsWith(`${f.baseUrl}/beta${DC}?`)).toBe(true)
    const url = new URL(next)
    expect(url.searchParams.get('$select')).toBe('id,displayName')
    expect(url.searchParams.get('$orderby')).toBe('displayName')
    const token = url.searchParams.get('$skiptoken') ?? ''
    expect(token.length).toBeGreaterThan(20)
    // opaque: its base64 decoding does not reveal the cursor
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toMatch(/"o"|offset|100/)
  })

  it('uses the double-encoded cosmosdb skiptoken on configurationPolicies', async () => {
    const f = await fake({ data: { [CP]: items(30) } })
    const { body } = await getJson(`${f.graphBaseUrl}${CP}`)
    const next = body['@odata.nextLink'] as string
    expect(next).toMatch(
      /\$skiptoken=%255Bcosmosdb%255D%255B%257B%2522compositeToken%2522%253A%2522[A-Za-z0-9%]+%2522%257D%255D$/
    )
    const once = new URL(next).searchParams.get('$skiptoken') ?? ''
    expect(decodeURIComponent(once)).toMatch(/^\[cosmosdb\]\[\{"compositeToken":"[A-Za-z0-9+/=]+"\}\]$/)
  })

  it('rejects tampered, foreign and unknown skiptokens with a Graph error envelope', async () => {
    const f = await fake({ data: { [DC]: items(250), [APPS]: items(10) } })
    const { body } = await getJson(`${f.graphBaseUrl}${DC}`)
    const next = new URL(body['@odata.nextLink'] as string)
    const token = next.searchParams.get('$skiptoken') ?? ''
    const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11)
    for (const url of [
      `${f.graphBaseUrl}${DC}?$skiptoken=${flipped}`,
      `${f.graphBaseUrl}${APPS}?$skiptoken=${token}`,
      `${f.graphBaseUrl}${DC}?$skiptoken=not-a-token`,
      `${f.graphBaseUrl}${DC}?$skiptoken=%255Bcosmosdb%255D%255B%257B%257D%255D`
    ]) {
      const r = await getJson(url)
      expect(r.status, url).toBe(400)
      expect((r.body.error as { code: string }).code).toBe('BadRequest')
      expect((r.body.error as { innerError: Record<string, string> }).innerError['request-id']).toMatch(GUID)
    }
  })

  it('injects empty pages in the middle when asked (emptyPageEvery)', async () => {
    const f = await fake({ data: { [DC]: items(350) }, emptyPageEvery: 2 })
    const pages = await walk(`${f.graphBaseUrl}${DC}`)
    expect(pages.map((p) => p.value?.length)).toEqual([100, 100, 0, 100, 50])
    expect(pages[2]?.['@odata.nextLink']).toEqual(expect.any(String))
    expect(idsOf(pages)).toEqual(items(350).map((i) => i.id))
  })
})

describe('response headers', () => {
  it('look like Graph: odata content type, request ids, diagnostics, Date, OData-Version', async () => {
    const clock = new FakeClock(Date.parse('2026-03-04T05:06:07.000Z'))
    const f = await fake({ data: { [DC]: items(1) }, clock })
    const res = await fetch(`${f.graphBaseUrl}${DC}`, {
      headers: { ...AUTH, 'client-request-id': 'abc-123' }
    })
    expect(res.headers.get('content-type')).toMatch(/^application\/json;odata\.metadata=minimal/)
    expect(res.headers.get('request-id')).toMatch(GUID)
    expect(res.headers.get('client-request-id')).toBe('abc-123')
    expect(JSON.parse(res.headers.get('x-ms-ags-diagnostic') ?? '')).toHaveProperty('ServerInfo.DataCenter')
    expect(res.headers.get('date')).toBe('Wed, 04 Mar 2026 05:06:07 GMT')
    expect(res.headers.get('odata-version')).toBe('4.0')
    const plain = await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
    expect(plain.headers.get('client-request-id')).toBe(plain.headers.get('request-id'))
  })
})

describe('routing, auth and hostile input', () => {
  it('requires a bearer token and honours validateToken', async () => {
    const f = await fake({ data: { [DC]: items(1) }, validateToken: (t) => t === 'good' })
    const none = await getJson(`${f.graphBaseUrl}${DC}`, {})
    expect(none.status).toBe(401)
    expect(none.body.error).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token is empty.'
    })
    const bad = await getJson(`${f.graphBaseUrl}${DC}`, { Authorization: 'Bearer nope' })
    expect(bad.status).toBe(401)
    expect(bad.body.error).toMatchObject({ code: 'InvalidAuthenticationToken' })
    expect((await getJson(`${f.graphBaseUrl}${DC}`, { Authorization: 'Bearer good' })).status).toBe(200)
  })

  it('answers 405 to anything but GET, 400 with the segment name to unknown paths', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    const post = await fetch(`${f.graphBaseUrl}${DC}`, { method: 'POST', headers: AUTH, body: '{}' })
    expect(post.status).toBe(405)
    const unknown = await getJson(`${f.graphBaseUrl}/deviceManagement/notAThing`)
    expect(unknown.status).toBe(400)
    expect((unknown.body.error as { message: string }).message).toBe(
      "Resource not found for the segment 'notAThing'."
    )
    const wrongRoot = await getJson(`${f.graphBaseUrl}/nowhere/deviceConfigurations`)
    expect((wrongRoot.body.error as { message: string }).message).toBe(
      "Resource not found for the segment 'nowhere'."
    )
  })

  it('fails beta-only segments on v1.0 and drops roleScopeTagIds there', async () => {
    const f = await fake({
      data: { [CP]: items(1), [DC]: [{ id: 'a', displayName: 'x', roleScopeTagIds: ['0'] }] }
    })
    const cp = await getJson(`${f.baseUrl}/v1.0${CP}`)
    expect(cp.status).toBe(400)
    expect((cp.body.error as { message: string }).message).toBe(
      "Resource not found for the segment 'configurationPolicies'."
    )
    const v1 = await getJson(`${f.baseUrl}/v1.0${DC}`)
    expect(v1.body.value).toEqual([{ id: 'a', displayName: 'x' }])
    const beta = await getJson(`${f.baseUrl}/beta${DC}`)
    expect(beta.body.value?.[0]?.roleScopeTagIds).toEqual(['0'])
  })

  it('survives weird input with Graph error envelopes and keeps serving', async () => {
    const f = await fake({ data: { [DC]: items(3) } })
    for (const path of [
      `${DC}?$top=0`,
      `${DC}?$top=-5`,
      `${DC}?$top=abc`,
      `/%E0%A4%A`,
      `${DC}?$skiptoken=%%%`
    ]) {
      const r = await getJson(`${f.graphBaseUrl}${path}`)
      expect(r.status, path).toBe(400)
      expect(r.body.error).toHaveProperty('code', 'BadRequest')
    }
    const badVersion = await getJson(`${f.baseUrl}/v2${DC}`)
    expect(badVersion.status).toBe(400)
    expect((await getJson(`${f.graphBaseUrl}${DC}`)).body.value).toHaveLength(3)
  })

  it('rejects $filter where the real endpoint does', async () => {
    const f = await fake({ data: generateTenant({ seed: 1, size: 500 }) })
    const r = await getJson(
      `${f.graphBaseUrl}/deviceManagement/windowsFeatureUpdateProfiles?$filter=displayName eq 'x'`
    )
    expect(r.status).toBe(400)
    expect((r.body.error as { message: string }).message).toMatch(/Query option 'Filter' is not allowed/)
  })

  it('serves catalog collections missing from the data as empty lists', async () => {
    const f = await fake({ data: {} })
    const r = await getJson(`${f.graphBaseUrl}/deviceManagement/assignmentFilters`)
    expect(r.status).toBe(200)
    expect(r.body.value).toEqual([])
  })

  it('gets one item by id, and 404s with the Intune envelope when it is gone', async () => {
    const f = await fake({ data: { [DC]: items(3) } })
    const one = await getJson(`${f.graphBaseUrl}${DC}/item-1`)
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({ id: 'item-1', displayName: 'item 1' })
    expect(one.body['@odata.context']).toMatch(/deviceConfigurations\/\$entity$/)
    const gone = await getJson(`${f.graphBaseUrl}${DC}/nope`)
    expect(gone.status).toBe(404)
    expect(intuneMessage(gone.body)).toMatch(/^Resource not found - Operation ID/)
  })

  it('adds @odata.type to non-polymorphic items only under odata.metadata=full', async () => {
    const f = await fake({ data: { [CP]: [{ id: 'p', name: 'P' }] } })
    const minimal = await getJson(`${f.graphBaseUrl}${CP}`)
    expect(minimal.body.value?.[0]).not.toHaveProperty('@odata.type')
    const full = await getJson(`${f.graphBaseUrl}${CP}`, {
      ...AUTH,
      Accept: 'application/json;odata.metadata=full'
    })
    expect(full.body.value?.[0]?.['@odata.type']).toBe('#microsoft.graph.deviceManagementConfigurationPolicy')
  })

  it('records requests without the Authorization value', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    await getJson(`${f.graphBaseUrl}${DC}?$top=5`, {
      Authorization: 'Bearer secret-token',
      'client-request-id': 'c1'
    })
    await getJson(`${f.graphBaseUrl}${DC}`, {})
    const [first, second] = f.requests
    expect(first).toMatchObject({
      method: 'GET',
      path: `/beta${DC}`,
      query: { $top: '5' },
      hasAuth: true,
      tokenSeen: 'secret-token',
      status: 200
    })
    expect(first?.headers).not.toHaveProperty('authorization')
    expect(JSON.stringify(first?.headers)).not.toContain('secret-token')
    expect(first?.headers['client-request-id']).toBe('c1')
    expect(second).toMatchObject({ hasAuth: false, tokenSeen: null, status: 401 })
  })

  it('can be mounted in-process through its handler, with nextLinks pointing at the mount', async () => {
    const f = await fake({ data: { [DC]: items(150) } })
    const server = createServer(f.handler)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const pages = await walk(`${base}/beta${DC}`)
      expect(pages[0]?.['@odata.nextLink']).toMatch(new RegExp(`^${base}/beta`))
      expect(idsOf(pages)).toHaveLength(150)
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
  })
})

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('https', () => {
  // the fake can't mint certificates itself (node:crypto has no X.509 writer); openssl makes a throwaway one
  it.skipIf(!hasOpenssl())('serves over TLS and links pages with https', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graph-fake-tls-'))
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem')
        ],
        { stdio: 'ignore' }
      )
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
      const f = await fake({
        data: { [DC]: items(150) },
        tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert }
      })
      expect(f.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const body = await new Promise<string>((resolve, reject) => {
        httpsGet(`${f.graphBaseUrl}${DC}`, { ca: cert, headers: AUTH }, (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => resolve(text))
        }).on('error', reject)
      })
      const page = JSON.parse(body) as Json
      expect(page.value).toHaveLength(100)
      expect(page['@odata.nextLink']).toMatch(new RegExp(`^${f.baseUrl}/beta${DC}\\?\\$skiptoken=`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('multi-tenant data', () => {
  it('serves per-tenant data chosen by x-fake-tenant or the JWT tid claim, built once per tenant', async () => {
    const built: string[] = []
    const f = await fake({
      data: (tenant) => {
        built.push(tenant)
        return { [DC]: items(tenant === 'default' ? 1 : 2, tenant) }
      }
    })
    const a = await getJson(`${f.graphBaseUrl}${DC}`, { ...AUTH, 'x-fake-tenant': 'contoso' })
    expect(a.body.value?.map((i) => i.id)).toEqual(['contoso-0', 'contoso-1'])
    const claims = Buffer.from(JSON.stringify({ tid: 'fabrikam' })).toString('base64url')
    const b = await getJson(`${f.graphBaseUrl}${DC}`, {
      Authorization: `Bearer eyJhbGciOiJub25lIn0.${claims}.sig`
    })
    expect(b.body.value?.map((i) => i.id)).toEqual(['fabrikam-0', 'fabrikam-1'])
    await getJson(`${f.graphBaseUrl}${DC}`, { ...AUTH, 'x-fake-tenant': 'contoso' })
    const c = await getJson(`${f.graphBaseUrl}${DC}`)
    expect(c.body.value).toHaveLength(1)
    expect(built).toEqual(['contoso', 'fabrikam', 'default'])
    expect(f.requests.map((r) => r.tenant)).toEqual(['contoso', 'fabrikam', 'contoso', 'default'])
  })

  it('setData swaps the data', async () => {
    const f = await fake({ data: { [DC]: items(2) } })
    f.setData({ [DC]: items(5, 'new') })
    const r = await getJson(`${f.graphBaseUrl}${DC}`)
    expect(r.body.value?.map((i) => i.id)).toEqual(items(5, 'new').map((i) => i.id))
  })
})

describe('fault script', () => {
  const retryAfterOf = async (form: 'int' | 'decimal' | 'httpDate' | 'none', seconds?: number) => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00.250Z'), 'manual')
    const f = await fake({ data: { [DC]: items(1) }, clock })
    f.script({
      fault: { kind: 'status429', retryAfter: form, ...(seconds === undefined ? {} : { seconds }) }
    })
    const r = await getJson(`${f.graphBaseUrl}${DC}`)
    expect(r.status).toBe(429)
    expect(r.body.error).toMatchObject({
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: { code: '429', status: '429' }
    })
    return { header: r.res.headers.get('retry-after'), fake: f }
  }

  it('429 carries Retry-After as an integer, a decimal, an HTTP date, or not at all', async () => {
    expect((await retryAfterOf('int', 7)).header).toBe('7')
    expect((await retryAfterOf('decimal', 2.128)).header).toBe('2.128')
    expect((await retryAfterOf('httpDate', 10)).header).toBe('Thu, 01 Jan 2026 00:00:11 GMT')
    const none = await retryAfterOf('none')
    expect(none.header).toBeNull()
    expect(none.fake.waits).toEqual([])
  })

  it('503 with and without Retry-After, 504, and a stringified Intune 500', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    f.script({ fault: { kind: 'status503', retryAfter: 'int', seconds: 3 } })
    f.script({ fault: { kind: 'status503' } })
    f.script({ fault: { kind: 'status504' } })
    f.script({ fault: { kind: 'status500' } })
    const a = await getJson(`${f.graphBaseUrl}${DC}`)
    expect([a.status, a.res.headers.get('retry-after'), (a.body.error as { code: string }).code]).toEqual([
      503,
      '3',
      'serviceNotAvailable'
    ])
    const b = await getJson(`${f.graphBaseUrl}${DC}`)
    expect([b.status, b.res.headers.get('retry-after')]).toEqual([503, null])
    const c = await getJson(`${f.graphBaseUrl}${DC}`)
    expect(c.status).toBe(504)
    const d = await getJson(`${f.graphBaseUrl}${DC}`)
    expect(d.status).toBe(500)
    expect((d.body.error as { code: string }).code).toBe('InternalServerError')
    expect(intuneMessage(d.body)).toMatch(/^An internal server error has occurred - Operation ID/)
    expect((await getJson(`${f.graphBaseUrl}${DC}`)).status).toBe(200)
  })

  it('403 names the missing scopes, or takes the licence-gated form without them', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    f.script({
      fault: {
        kind: 'forbidden',
        scopes: ['DeviceManagementScripts.Read.All', 'DeviceManagementScripts.ReadWrite.All']
      }
    })
    f.script({ fault: { kind: 'forbidden' } })
    const scoped = await getJson(`${f.graphBaseUrl}${DC}`)
    expect(scoped.status).toBe(403)
    expect((scoped.body.error as { code: string; message: string }).message).toMatch(
      /^\{\r\n {2}"_version": 3,\r\n/
    )
    const scopedMessage = intuneMessage(scoped.body)
    expect(scopedMessage).toContain(
      'Application must have one of the following scopes: DeviceManagementScripts.Read.All, DeviceManagementScripts.ReadWrite.All'
    )
    expect(scopedMessage).toContain(`Url: https://fef.`)
    expect(scopedMessage).toContain(`${DC}?api-version=`)
    const licence = await getJson(`${f.graphBaseUrl}${DC}`)
    expect(licence.status).toBe(403)
    const licenceMessage = intuneMessage(licence.body)
    expect(licenceMessage).toMatch(
      /^An error has occurred - Operation ID \(for customer support\): [0-9a-f-]{36} - Activity ID: /
    )
    expect(licenceMessage).not.toContain('scopes')
  })

  it('400 not applicable, 401 unauthorized', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    f.script({ fault: { kind: 'notApplicable' } })
    f.script({ fault: { kind: 'unauthorized' } })
    const na = await getJson(`${f.graphBaseUrl}${DC}`)
    expect([na.status, na.body.error]).toMatchObject([
      400,
      { code: 'BadRequest', message: 'Request not applicable to target tenant.' }
    ])
    const un = await getJson(`${f.graphBaseUrl}${DC}`)
    expect([un.status, (un.body.error as { code: string }).code]).toEqual([401, 'InvalidAuthenticationToken'])
  })

  it('malformed JSON and a missing value array', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    f.script({ fault: { kind: 'malformedJson' } })
    f.script({ fault: { kind: 'noValueArray' } })
    const broken = await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
    expect(broken.status).toBe(200)
    const text = await broken.text()
    expect(() => JSON.parse(text)).toThrow()
    const noValue = await getJson(`${f.graphBaseUrl}${DC}`)
    expect(noValue.status).toBe(200)
    expect(noValue.body).toHaveProperty('@odata.context')
    expect(noValue.body).not.toHaveProperty('value')
  })

  it('resets the connection', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    f.script({ fault: { kind: 'connectionReset' } })
    await expect(fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })).rejects.toThrow()
    expect(f.requests[0]).toMatchObject({ status: 0, fault: 'connectionReset' })
    expect((await getJson(`${f.graphBaseUrl}${DC}`)).status).toBe(200)
  })

  it('answers a scripted status with the body as given', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    const body = '<html>502 Bad Gateway (echo: client_secret=abc)</html>'
    f.script({ fault: { kind: 'status', status: 502, body, headers: { 'Content-Type': 'text/html' } } })
    const res = await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
    expect(res.status).toBe(502)
    expect(res.headers.get('content-type')).toBe('text/html')
    expect(await res.text()).toBe(body)
    expect(f.requests[0]).toMatchObject({ status: 502, fault: 'status' })
  })

  it('truncates a body: the promised length never arrives, the next request is whole', async () => {
    const f = await fake({ data: { [DC]: items(50) } })
    f.script({ fault: { kind: 'truncate', bytes: 100 } })
    const res = await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
    expect(res.status).toBe(200)
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100)
    await expect(res.text()).rejects.toThrow()
    expect(f.requests[0]).toMatchObject({ status: 200, fault: 'truncate' })
    expect((await getJson(`${f.graphBaseUrl}${DC}`)).body.value).toHaveLength(50)
  })

  it('hangs a request until the client aborts it, and tells a listener it arrived', async () => {
    const f = await fake({ data: { [DC]: items(1) } })
    f.script({ fault: { kind: 'hang' } })
    const controller = new AbortController()
    const seen: string[] = []
    const stop = f.onRequest((r) => {
      seen.push(r.path)
      controller.abort()
    })
    await expect(
      fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH, signal: controller.signal })
    ).rejects.toMatchObject({ name: 'AbortError' })
    stop()
    expect(seen).toEqual([`/beta${DC}`])
    expect(f.requests[0]).toMatchObject({ status: 0, fault: 'hang' })
    expect((await getJson(`${f.graphBaseUrl}${DC}`)).status).toBe(200)
    expect(seen).toHaveLength(1)
  })

  it('holds a request until the gate opens, then answers it as usual', async () => {
    const f = await fake({ data: { [DC]: items(3) } })
    let open!: () => void
    f.script({ fault: { kind: 'hold', until: new Promise<void>((r) => (open = r)) } })
    let arrived!: () => void
    const held = new Promise<void>((r) => (arrived = r))
    f.onRequest(() => arrived())
    let answered = false
    const pending = getJson(`${f.graphBaseUrl}${DC}`).then((r) => {
      answered = true
      return r
    })
    await held
    expect(answered).toBe(false)
    open()
    const r = await pending
    expect(r.status).toBe(200)
    expect(r.body.value).toHaveLength(3)
    expect(f.requests[0]).toMatchObject({ status: 200, fault: 'hold' })
  })

  it('adds latency through the injected clock', async () => {
    const clock = new FakeClock()
    const f = await fake({ data: { [DC]: items(1) }, clock, latencyMs: 40 })
    f.script({ fault: { kind: 'latency', ms: 5000 } })
    const start = clock.now()
    expect((await getJson(`${f.graphBaseUrl}${DC}`)).status).toBe(200)
    expect(clock.sleeps).toEqual([40, 5000])
    expect(clock.now() - start).toBe(5040)
  })

  it('an empty page in the middle via a rule still leads to every item', async () => {
    const f = await fake({ data: { [CP]: items(60) } })
    f.script({ path: CP, afterRequests: 1, fault: { kind: 'emptyPage' } })
    const pages = await walk(`${f.graphBaseUrl}${CP}`)
    expect(pages.map((p) => p.value?.length)).toEqual([25, 0, 25, 10])
    expect(idsOf(pages)).toEqual(items(60).map((i) => i.id))
  })

  it('a hostile page is inserted, then paging continues', async () => {
    const f = await fake({ data: { [CP]: items(30) } })
    f.script({ path: CP, afterRequests: 1, fault: { kind: 'hostileItems' } })
    const pages = await walk(`${f.graphBaseUrl}${CP}`)
    const hostile = pages[1]?.value ?? []
    expect(hostile.some((i) => !('id' in i))).toBe(true)
    expect(hostile.some((i) => typeof i.id === 'number')).toBe(true)
    expect(hostile.some((i) => i.name === null)).toBe(true)
    expect(
      hostile.some((i) => typeof i.description === 'string' && i.description.length >= 1024 * 1024)
    ).toBe(true)
    expect(idsOf(pages).filter((id) => typeof id === 'string' && id.startsWith('item-'))).toEqual(
      items(30).map((i) => i.id)
    )
  })

  it('matches by path, waits afterRequests, fires `times` times, then stops', async () => {
    const f = await fake({ data: { [DC]: items(1), [APPS]: items(1) } })
    f.script({ path: DC, afterRequests: 1, times: 2, fault: { kind: 'status504' } })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      statuses.push((await fetch(`${f.graphBaseUrl}${APPS}`, { headers: AUTH })).status)
      statuses.push((await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })).status)
    }
    expect(statuses).toEqual([200, 200, 200, 504, 200, 504, 200, 200, 200, 200])
    expect(f.pendingFaults()).toBe(0)
  })

  it('matches RegExp paths and single tenants; clearFaults removes pending rules', async () => {
    const f = await fake({ data: { [DC]: items(1), [APPS]: items(1) } })
    f.script({ path: /mobileApps/, tenant: 't2', times: Infinity, fault: { kind: 'notApplicable' } })
    expect((await fetch(`${f.graphBaseUrl}${APPS}`, { headers: AUTH })).status).toBe(200)
    expect(
      (await fetch(`${f.graphBaseUrl}${APPS}`, { headers: { ...AUTH, 'x-fake-tenant': 't2' } })).status
    ).toBe(400)
    expect(
      (await fetch(`${f.graphBaseUrl}${DC}`, { headers: { ...AUTH, 'x-fake-tenant': 't2' } })).status
    ).toBe(200)
    f.clearFaults()
    expect(
      (await fetch(`${f.graphBaseUrl}${APPS}`, { headers: { ...AUTH, 'x-fake-tenant': 't2' } })).status
    ).toBe(200)
  })

  it('probabilistic faults are seeded: same seed, same sequence', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const f = await fake({ data: { [DC]: items(1) }, seed })
      f.script({ times: Infinity, probability: 0.5, fault: { kind: 'status500' } })
      const out: number[] = []
      for (let i = 0; i < 40; i++) out.push((await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })).status)
      return out
    }
    const a = await run(7)
    expect(await run(7)).toEqual(a)
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(5)
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(5)
  })
})

describe('request budget', () => {
  const budget = { maxRequests: 5, windowMs: 20_000 }

  it('the (max+1)-th request inside the window gets 429 with the wait until the oldest leaves', async () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'), 'manual')
    const f = await fake({ data: { [DC]: items(1) }, clock, budget })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      statuses.push((await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })).status)
      await clock.advance(1000) // requests at t = 0s..4s
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200])
    const over = await getJson(`${f.graphBaseUrl}${DC}`) // t = 5s; oldest (t = 0) leaves at 20s
    expect(over.status).toBe(429)
    expect(over.res.headers.get('retry-after')).toBe('15')
    expect(over.body.error).toMatchObject({ code: 'TooManyRequests' })
    await clock.advance(15_000)
    expect((await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })).status).toBe(200)
    expect(f.waits).toEqual([
      {
        tenant: 'default',
        at: Date.parse('2026-01-01T00:00:05Z'),
        until: Date.parse('2026-01-01T00:00:20Z'),
        status: 429,
        path: `/beta${DC}`
      }
    ])
  })

  it('is kept per tenant and defaults to 1000 requests per 20 s', async () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'), 'manual')
    const f = await fake({ data: { [DC]: items(1) }, clock })
    for (let i = 0; i < 1000; i++) {
      const r = await fetch(`${f.graphBaseUrl}${DC}`, { headers: { ...AUTH, 'x-fake-tenant': 'a' } })
      expect(r.status).toBe(200)
      await r.arrayBuffer()
    }
    const over = await fetch(`${f.graphBaseUrl}${DC}`, { headers: { ...AUTH, 'x-fake-tenant': 'a' } })
    expect(over.status).toBe(429)
    expect(over.headers.get('retry-after')).toBe('20')
    expect(
      (await fetch(`${f.graphBaseUrl}${DC}`, { headers: { ...AUTH, 'x-fake-tenant': 'b' } })).status
    ).toBe(200)
  })

  it('can be switched off', async () => {
    const f = await fake({ data: { [DC]: items(1) }, clock: new FakeClock(0, 'manual'), budget: false })
    for (let i = 0; i < 1100; i++) {
      const r = await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
      expect(r.status).toBe(200)
      await r.arrayBuffer()
    }
  })

  it('records violations: requests that arrive before a returned Retry-After has expired', async () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'), 'manual')
    const f = await fake({ data: { [DC]: items(1) }, clock, budget })
    for (let i = 0; i < 6; i++) await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
    expect(f.waits).toHaveLength(1) // Retry-After: 20
    expect(f.violations).toEqual([])
    await clock.advance(5_000)
    await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH }) // too early
    expect(f.violations).toHaveLength(1)
    expect(f.violations[0]).toMatchObject({
      tenant: 'default',
      at: Date.parse('2026-01-01T00:00:05Z'),
      until: Date.parse('2026-01-01T00:00:20Z')
    })
    // other tenants are not blocked by this one's Retry-After
    await fetch(`${f.graphBaseUrl}${DC}`, { headers: { ...AUTH, 'x-fake-tenant': 'other' } })
    await clock.advance(15_000)
    expect((await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })).status).toBe(200)
    expect(f.violations).toHaveLength(1)
  })

  it('a scripted Retry-After counts too, including decimal and HTTP-date forms', async () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00.400Z'), 'manual')
    const f = await fake({ data: { [DC]: items(1) }, clock })
    f.script({ fault: { kind: 'status429', retryAfter: 'decimal', seconds: 1.5 } })
    await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
    await clock.advance(1499)
    await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
    expect(f.violations).toHaveLength(1)
    await clock.advance(1)
    f.script({ fault: { kind: 'status503', retryAfter: 'httpDate', seconds: 2 } })
    const r = await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH }) // at 00:00:01.900 → until 00:00:04
    expect(r.headers.get('retry-after')).toBe('Thu, 01 Jan 2026 00:00:04 GMT')
    await clock.advance(2000)
    await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH }) // 00:00:03.900: early
    expect(f.violations).toHaveLength(2)
    await clock.advance(100)
    await fetch(`${f.graphBaseUrl}${DC}`, { headers: AUTH })
    expect(f.violations).toHaveLength(2)
  })
})
