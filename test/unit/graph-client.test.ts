import { afterEach, describe, expect, it } from 'vitest'
import {
  createGraphClient,
  GraphError,
  type FetchLike,
  type GraphClientOptions,
  type GraphEvent,
  type GraphPage,
  type SessionArgs
} from '../../main/graph/graph-client'
import type { ThrottleStore } from '../../main/graph/throttle-store'
import { forgetSecret, registerSecret } from '../../main/util/redact'
import { FakeClock } from '../support/fake-clock'

const BASE = 'https://graph.microsoft.com/beta'
const PATH = '/deviceManagement/configurationPolicies'
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ0ZW5hbnQtMSJ9.c2lnbmF0dXJl'

interface Call {
  url: string
  headers: Record<string, string>
  redirect: string | undefined
  at: number
}

type Handler = (
  url: string,
  callIndex: number,
  signal: AbortSignal | undefined
) => Response | Promise<Response>

/** A fetch that records every request (with the virtual time it started) and answers from a script. */
function scriptedFetch(clock: FakeClock, handler: Handler): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = []
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: { ...init.headers }, redirect: init.redirect, at: clock.now() })
    return handler(url, calls.length - 1, init.signal)
  }
  return { fetch, calls }
}

/** Answers in order; the last answer repeats. */
function sequence(...answers: Array<() => Response | Promise<Response>>): Handler {
  return (_url, i) => (answers[Math.min(i, answers.length - 1)] as () => Response | Promise<Response>)()
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers }
  })

const page =
  (items: unknown[], nextLink?: string, headers: Record<string, string> = {}) =>
  () =>
    json(
      nextLink === undefined ? { value: items } : { value: items, '@odata.nextLink': nextLink },
      200,
      headers
    )

const status =
  (
    code: number,
    headers: Record<string, string> = {},
    body: unknown = { error: { code: 'x', message: 'x' } }
  ) =>
  () =>
    json(body, code, headers)

const networkError = () => () => {
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
  })
}

/** A fetch that never answers; rejects only when its signal aborts (as undici does). */
const hanging = (signal: AbortSignal | undefined): Promise<Response> =>
  new Promise((_resolve, reject) =>
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
  )

interface Setup {
  clock?: FakeClock
  handler: Handler
  random?: () => number
  client?: Partial<GraphClientOptions>
  session?: Partial<SessionArgs>
}

function setup(s: Setup) {
  const clock = s.clock ?? new FakeClock(T0, 'auto')
  const { fetch, calls } = scriptedFetch(clock, s.handler)
  const tokenRequests: boolean[] = []
  const events: GraphEvent[] = []
  const client = createGraphClient({ fetch, clock, random: s.random ?? (() => 0.5), ...s.client })
  const session = client.session({
    tenantKey: 'tenant-1',
    graphBaseUrl: BASE,
    correlationId: 'corr-1',
    getToken: async ({ forceRefresh }) => {
      tokenRequests.push(forceRefresh)
      return forceRefresh ? `${TOKEN}refreshed` : TOKEN
    },
    onEvent: (e) => events.push(e),
    ...s.session
  })
  return { clock, calls, tokenRequests, events, client, session }
}

async function collect(gen: AsyncGenerator<GraphPage>): Promise<GraphPage[]> {
  const pages: GraphPage[] = []
  for await (const p of gen) pages.push(p)
  return pages
}

async function failure(gen: AsyncGenerator<GraphPage>): Promise<GraphError> {
  try {
    await collect(gen)
  } catch (e) {
    if (e instanceof GraphError) return e
    throw e
  }
  throw new Error('expected listPages to fail')
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r))
}

describe('paging', () => {
  it('follows opaque nextLinks exactly as sent, through an empty middle page', async () => {
    const next1 = `${BASE}${PATH}?$skiptoken=%255Bcosmosdb%255D%255B%257B%2522compositeToken%2522`
    const next2 = `${BASE}${PATH}?$top=25&$skiptoken=X%27ABC%27`
    const { calls, session } = setup({
      handler: sequence(
        page([{ id: 'a' }, { id: 'b' }], next1, { 'request-id': 'r1' }),
        page([], next2),
        page([{ id: 'c' }])
      )
    })
    const pages = await collect(session.listPages(PATH))
    expect(calls.map((c) => c.url)).toEqual([BASE + PATH, next1, next2])
    expect(pages.map((p) => p.items)).toEqual([[{ id: 'a' }, { id: 'b' }], [], [{ id: 'c' }]])
    expect(pages.map((p) => p.pageIndex)).toEqual([0, 1, 2])
    expect(pages[0]?.requestId).toBe('r1')
    expect(pages[0]?.nextLink).toBe(next1)
    expect(pages[2]?.nextLink).toBeUndefined()
  })

  it('sends only GET with bearer, accept and the run correlation id, and never follows redirects', async () => {
    const { calls, session } = setup({ handler: sequence(page([])) })
    await collect(session.listPages(PATH))
    expect(calls[0]?.headers).toEqual({
      Authorization: `Bearer ${TOKEN}`,
      Accept: 'application/json',
      'client-request-id': 'corr-1'
    })
    expect(calls[0]?.redirect).toBe('manual')
  })

  it('joins a base URL with a trailing slash correctly', async () => {
    const { calls, session } = setup({ handler: sequence(page([])), session: { graphBaseUrl: `${BASE}/` } })
    await collect(session.listPages(PATH))
    expect(calls[0]?.url).toBe(BASE + PATH)
  })

  it('refuses a nextLink to another origin and never sends the token there', async () => {
    for (const foreign of [
      'https://evil.example/beta/deviceManagement/configurationPolicies?$skiptoken=abc',
      'http://graph.microsoft.com/beta/x?$skiptoken=abc',
      'https://graph.microsoft.com:8443/beta/x?$skiptoken=abc'
    ]) {
      const { calls, session } = setup({ handler: sequence(page([{ id: 'a' }], foreign)) })
      const yielded: GraphPage[] = []
      const err = await failure(
        (async function* () {
          for await (const p of session.listPages(PATH)) {
            yielded.push(p)
            yield p
          }
        })()
      )
      expect(err.code).toBe('GRAPH_NEXTLINK_REJECTED')
      expect(calls.map((c) => c.url)).toEqual([BASE + PATH])
      // the page that carried the bad link is not handed out: its cursor cannot be trusted
      expect(yielded).toEqual([])
    }
  })

  it('stops a nextLink that points at the page just fetched', async () => {
    const next = `${BASE}${PATH}?$skiptoken=same`
    const { calls, session } = setup({ handler: sequence(page([{ id: 'a' }], next)) })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe('GRAPH_BAD_RESPONSE')
    expect(calls).toHaveLength(2)
  })

  it('a retry resumes the same page and pages already yielded are not fetched again', async () => {
    const next = `${BASE}${PATH}?$skiptoken=p2`
    const { calls, session } = setup({
      handler: sequence(page([{ id: 'a' }], next), status(503), page([{ id: 'b' }]))
    })
    const pages = await collect(session.listPages(PATH))
    expect(calls.map((c) => c.url)).toEqual([BASE + PATH, next, next])
    expect(calls[2]?.headers['Retry-Attempt']).toBe('1')
    expect(pages.flatMap((p) => p.items)).toEqual([{ id: 'a' }, { id: 'b' }])
  })

  it('rejects a path that is not relative to the Graph base', async () => {
    const { calls, session } = setup({ handler: sequence(page([])) })
    await expect(collect(session.listPages('https://evil.example/x'))).rejects.toMatchObject({
      code: 'INVALID_INPUT'
    })
    expect(calls).toHaveLength(0)
  })
})

describe('throttling', () => {
  const cases: Array<[string, string | undefined, number]> = [
    ['integer seconds', '7', 7000],
    ['decimal seconds', '2.128', 2128],
    ['an HTTP-date', new Date(T0 + 5000).toUTCString(), 5000],
    ['an HTTP-date in the past', new Date(T0 - 60_000).toUTCString(), 0]
  ]
  it.each(cases)(
    '429 with Retry-After as %s: the retry starts exactly when the wait is over',
    async (_n, header, waitMs) => {
      const { calls, events, session, client } = setup({
        handler: sequence(
          status(429, header === undefined ? {} : { 'Retry-After': header }),
          page([{ id: 'a' }])
        )
      })
      const pages = await collect(session.listPages(PATH))
      expect(pages).toHaveLength(1)
      expect(calls.map((c) => c.at - T0)).toEqual([0, waitMs])
      expect(calls[1]?.headers['Retry-Attempt']).toBe('1')
      expect(events).toEqual([{ kind: 'throttled', status: 429, waitMs, attempt: 1, path: PATH }])
      expect(client.tenantState('tenant-1').notBefore).toBe(T0 + waitMs)
    }
  )

  it('429 without Retry-After backs off with full jitter', async () => {
    const { calls, session } = setup({
      handler: sequence(status(429), page([])),
      random: () => 0.25,
      client: { retry: { baseMs: 1000 } }
    })
    await collect(session.listPages(PATH))
    // first retry window is [0, base); a quarter of it
    expect(calls.map((c) => c.at - T0)).toEqual([0, 250])
  })

  it('clamps a huge Retry-After to maxRetryAfterMs', async () => {
    const { calls, session } = setup({
      handler: sequence(status(429, { 'Retry-After': '86400' }), page([])),
      client: { retry: { maxRetryAfterMs: 30_000 } }
    })
    await collect(session.listPages(PATH))
    expect(calls[1]?.at).toBe(T0 + 30_000)
  })

  it('backoff waits stay inside the full-jitter window, which doubles up to the cap', async () => {
    const { calls, session } = setup({
      handler: sequence(status(504), status(504), status(504), status(504), status(504), page([])),
      random: () => 0.999,
      client: { retry: { maxAttempts: 6, baseMs: 100, capMs: 500 } }
    })
    await collect(session.listPages(PATH))
    const gaps = calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0))
    const windows = [100, 200, 400, 500, 500]
    expect(gaps).toHaveLength(windows.length)
    gaps.forEach((gap, i) => {
      const w = windows[i] ?? 0
      expect(gap).toBeLessThan(w)
      expect(gap).toBeGreaterThanOrEqual(Math.floor(0.99 * w))
    })
  })

  it('a 429 pauses every session of the same tenant, not other tenants', async () => {
    const clock = new FakeClock(T0, 'manual')
    let throttledOnce = false
    const { fetch, calls } = scriptedFetch(clock, (url) => {
      if (url.endsWith('/a') && !throttledOnce) {
        throttledOnce = true
        return json({ error: { code: 'TooManyRequests', message: 'Please retry again later.' } }, 429, {
          'Retry-After': '10'
        })
      }
      return json({ value: [{ id: url }] })
    })
    const client = createGraphClient({ fetch, clock, random: () => 0.5 })
    const mk = (tenantKey: string) =>
      client.session({ tenantKey, graphBaseUrl: BASE, correlationId: 'c', getToken: async () => 'tok' })
    const sessionA = mk('tenant-1')
    const sessionB = mk('tenant-1') // e.g. a concurrent run of another selection
    const sessionC = mk('tenant-2')

    const a = collect(sessionA.listPages('/a'))
    await flush()
    expect(client.tenantState('tenant-1').notBefore).toBe(T0 + 10_000)

    const b = collect(sessionB.listPages('/b'))
    const c = collect(sessionC.listPages('/c'))
    await flush()
    expect(calls.map((x) => x.url)).toEqual([`${BASE}/a`, `${BASE}/c`])
    await c

    await clock.advance(9_999)
    expect(calls).toHaveLength(2)
    await clock.advance(1)
    await Promise.all([a, b])
    const startsOfTenant1 = calls.filter((x) => !x.url.endsWith('/c')).map((x) => [x.url, x.at - T0])
    expect(startsOfTenant1).toEqual(
      expect.arrayContaining([
        [`${BASE}/a`, 0],
        [`${BASE}/a`, 10_000],
        [`${BASE}/b`, 10_000]
      ])
    )
  })

  it('sends in the same step as the last gate check: nothing runs between them', async () => {
    // Another collection (or process) that learns of a pause right after this request passed the gate
    // must find the request already sent, never still waiting to be: a pause stored in between would be
    // ignored by a request that is then sent into it.
    const order: string[] = []
    const store: ThrottleStore = {
      pausedUntil: () => {
        // what runs at the next microtask: e.g. another collection's 429 handler storing the pause
        queueMicrotask(() => order.push('pause stored'))
        return 0
      },
      pauseUntil: () => undefined,
      grant: () => ({ kind: 'granted', id: 1, granted: 10, retryAt: 0 })
    }
    const { session } = setup({
      handler: () => {
        order.push('request sent')
        return json({ value: [] })
      },
      client: { throttleStore: store }
    })
    await collect(session.listPages(PATH))
    expect(order.slice(0, 2)).toEqual(['request sent', 'pause stored'])
  })

  it('a 503 with Retry-After also pauses the tenant; 503 without it does not', async () => {
    const withHeader = setup({ handler: sequence(status(503, { 'Retry-After': '3' }), page([])) })
    await collect(withHeader.session.listPages(PATH))
    expect(withHeader.client.tenantState('tenant-1').notBefore).toBe(T0 + 3000)
    expect(withHeader.events[0]).toMatchObject({ kind: 'throttled', status: 503, waitMs: 3000 })

    const without = setup({ handler: sequence(status(503), page([])), random: () => 0.5 })
    await collect(without.session.listPages(PATH))
    expect(without.client.tenantState('tenant-1').notBefore).toBe(0)
    expect(without.events[0]).toMatchObject({
      kind: 'retry',
      reason: 'server_error',
      status: 503,
      waitMs: 500
    })
    expect(without.calls[1]?.at).toBe(T0 + 500)
  })
})

describe('retries and give-up codes', () => {
  it('retries 503 and 504 until success', async () => {
    const { calls, session } = setup({ handler: sequence(status(503), status(504), page([{ id: 'x' }])) })
    const pages = await collect(session.listPages(PATH))
    expect(pages[0]?.items).toEqual([{ id: 'x' }])
    expect(calls.map((c) => c.headers['Retry-Attempt'])).toEqual([undefined, '1', '2'])
  })

  it('retries a 500 once, and gives up on the second', async () => {
    const once = setup({ handler: sequence(status(500), page([])) })
    await expect(collect(once.session.listPages(PATH))).resolves.toHaveLength(1)

    const twice = setup({ handler: sequence(status(500), status(500), page([])) })
    const err = await failure(twice.session.listPages(PATH))
    expect(err.code).toBe('GRAPH_UNAVAILABLE')
    expect(twice.calls).toHaveLength(2)
  })

  it('retries network errors and timeouts', async () => {
    let fireTimeout: (() => void) | undefined
    const { calls, events, session } = setup({
      handler: (_url, i, signal) => {
        if (i === 0) return networkError()()
        if (i === 1) return hanging(signal)
        return page([{ id: 'ok' }])()
      },
      client: {
        armTimeout: (_ms, onTimeout) => {
          fireTimeout = onTimeout
          return () => undefined
        }
      }
    })
    const done = collect(session.listPages(PATH))
    await flush()
    expect(calls).toHaveLength(2)
    fireTimeout?.()
    const pages = await done
    expect(pages[0]?.items).toEqual([{ id: 'ok' }])
    expect(events.map((e) => e.kind === 'retry' && e.reason)).toEqual(['network', 'network'])
  })

  it.each([
    ['429', () => status(429, { 'Retry-After': '1' }), 'GRAPH_THROTTLED'],
    ['503', () => status(503), 'GRAPH_UNAVAILABLE'],
    ['a network failure', () => networkError(), 'GRAPH_NETWORK']
  ] as const)('after maxAttempts of %s the error is %s', async (_n, answer, code) => {
    const { calls, session } = setup({ handler: sequence(answer()), client: { retry: { maxAttempts: 3 } } })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe(code)
    expect(calls).toHaveLength(3)
    expect(err.message).toContain('3 attempts')
    if (code === 'GRAPH_THROTTLED') expect(err.retryAfterMs).toBe(1000)
  })

  it('does not retry client errors', async () => {
    for (const code of [400, 403, 404]) {
      const { calls, session } = setup({ handler: sequence(status(code), page([])) })
      await failure(session.listPages(PATH))
      expect(calls).toHaveLength(1)
    }
  })
})

describe('authentication', () => {
  const expired = () =>
    status(
      401,
      {},
      {
        error: {
          code: 'InvalidAuthenticationToken',
          message: 'Access token has expired or is not yet valid.'
        }
      }
    )

  it('on 401 refreshes the token once and retries with the new one', async () => {
    const { calls, tokenRequests, session } = setup({ handler: sequence(expired(), page([{ id: 'a' }])) })
    const pages = await collect(session.listPages(PATH))
    expect(pages).toHaveLength(1)
    expect(tokenRequests).toEqual([false, true])
    expect(calls[1]?.headers['Authorization']).toBe(`Bearer ${TOKEN}refreshed`)
  })

  it('a second 401 is GRAPH_UNAUTHORIZED', async () => {
    const { calls, tokenRequests, session } = setup({ handler: sequence(expired()) })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe('GRAPH_UNAUTHORIZED')
    expect(calls).toHaveLength(2)
    expect(tokenRequests).toEqual([false, true])
  })

  it('lets token errors through untouched (they are fatal AUTH_* errors)', async () => {
    const authError = new Error('AUTH_INVALID_SECRET')
    const { calls, session } = setup({
      handler: sequence(page([])),
      session: {
        getToken: async () => {
          throw authError
        }
      }
    })
    await expect(collect(session.listPages(PATH))).rejects.toBe(authError)
    expect(calls).toHaveLength(0)
  })
})

// graph-intune-reference.md §3d, verbatim
const INTUNE_403_SCOPES = String.raw`{"error":{"code":"Forbidden","message":"{\r\n  \"_version\": 3,\r\n  \"Message\": \"Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: 8191cc94-6c68-4ae6-a843-dcb7f44d2765 - Url: https://fef.amsua0202.manage.microsoft.com/DeviceConfiguration_2311/StatelessDeviceConfigurationFEService/deviceManagement/deviceCompliancePolicies?api-version=5023-10-14\",\r\n  \"CustomApiErrorPhrase\": \"\",\r\n  \"RetryAfter\": null,\r\n  \"ErrorSourceService\": \"\",\r\n  \"HttpHeaders\": \"{}\"\r\n}","innerError":{"date":"2023-11-25T10:00:00","request-id":"8191cc94-6c68-4ae6-a843-dcb7f44d2765","client-request-id":"8191cc94-6c68-4ae6-a843-dcb7f44d2765"}}}`

describe('classification of failures', () => {
  it('403 with a scope list → GRAPH_FORBIDDEN with the scopes and a human message', async () => {
    const { session } = setup({ handler: sequence(() => json(INTUNE_403_SCOPES, 403)) })
    const err = await failure(session.listPages('/deviceManagement/deviceCompliancePolicies'))
    expect(err.code).toBe('GRAPH_FORBIDDEN')
    expect(err.missingScopes).toEqual([
      'DeviceManagementConfiguration.Read.All',
      'DeviceManagementConfiguration.ReadWrite.All'
    ])
    expect(err.message).toMatch(
      /^Graph answered 403 Forbidden for \/deviceManagement\/deviceCompliancePolicies: missing permission DeviceManagementConfiguration\.Read\.All/
    )
    expect(err.requestId).toBe('8191cc94-6c68-4ae6-a843-dcb7f44d2765')
    expect(err.status).toBe(403)
  })

  it('403 without a scope list on a license-gated type → GRAPH_NOT_LICENSED', async () => {
    const b = {
      error: { code: 'Forbidden', message: 'An error has occurred - Operation ID (for customer support): 0' }
    }
    const gated = setup({ handler: sequence(status(403, {}, b)) })
    expect((await failure(gated.session.listPages(PATH, { licenseGated: true }))).code).toBe(
      'GRAPH_NOT_LICENSED'
    )
    const plain = setup({ handler: sequence(status(403, {}, b)) })
    expect((await failure(plain.session.listPages(PATH))).code).toBe('GRAPH_FORBIDDEN')
  })

  it('400 "Request not applicable to target tenant" → TENANT_NO_INTUNE, with the response request-id', async () => {
    const b = {
      error: { code: 'BadRequest', message: 'Request not applicable to target tenant.', innerError: {} }
    }
    const { session } = setup({
      handler: sequence(status(400, { 'request-id': 'rid-9', 'client-request-id': 'corr-1' }, b))
    })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe('TENANT_NO_INTUNE')
    expect(err.requestId).toBe('rid-9')
    expect(err.clientRequestId).toBe('corr-1')
    expect(err.message).toContain('rid-9')
  })

  it('a redirect is not followed', async () => {
    const { calls, session } = setup({
      handler: sequence(status(302, { location: 'https://evil.example/' }, ''))
    })
    expect((await failure(session.listPages(PATH))).code).toBe('GRAPH_BAD_RESPONSE')
    expect(calls).toHaveLength(1)
  })
})

describe('bad responses never crash the process', () => {
  it.each([
    ['malformed JSON', () => json('{"value": [', 200)],
    ['an empty body', () => new Response(null, { status: 200 })]
  ])('%s → read once more (a body cut off in transit), then GRAPH_BAD_RESPONSE', async (_n, answer) => {
    const { calls, session } = setup({ handler: sequence(answer) })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe('GRAPH_BAD_RESPONSE')
    expect(calls).toHaveLength(2)
  })

  it('a truncated body followed by a good one is not an error', async () => {
    const { calls, session } = setup({
      handler: sequence(() => json('{"value": [', 200), page([{ id: 'a' }]))
    })
    const pages = await collect(session.listPages(PATH))
    expect(pages.map((p) => p.items)).toEqual([[{ id: 'a' }]])
    expect(calls).toHaveLength(2)
  })

  it('reads ahead: the next page is requested while the caller still holds the current one', async () => {
    const { calls, session } = setup({
      handler: sequence(page([{ id: 'a' }], `${BASE}${PATH}?$skiptoken=p2`), page([{ id: 'b' }]))
    })
    const gen = session.listPages(PATH)
    const first = await gen.next()
    expect(first.value?.items).toEqual([{ id: 'a' }])
    await flush()
    expect(calls.map((c) => c.url)).toEqual([`${BASE}${PATH}`, `${BASE}${PATH}?$skiptoken=p2`])
    expect((await gen.next()).value?.items).toEqual([{ id: 'b' }])
    expect((await gen.next()).done).toBe(true)
  })

  it('stops the read-ahead request when the caller stops early', async () => {
    let aborted = false
    const { session } = setup({
      handler: (_url, i, signal) =>
        i === 0
          ? page([{ id: 'a' }], `${BASE}${PATH}?$skiptoken=p2`)()
          : new Promise<Response>((_resolve, reject) =>
              signal?.addEventListener('abort', () => {
                aborted = true
                reject(signal.reason)
              })
            )
    })
    const gen = session.listPages(PATH)
    await gen.next()
    await flush()
    await gen.return(undefined)
    await flush()
    expect(aborted).toBe(true)
  })

  it('keeps the tenant paused after giving up on a 429, so the next request still waits', async () => {
    const { clock, calls, client, session } = setup({
      handler: (_url, i) =>
        i < 3 ? json({ error: { code: 'TooManyRequests' } }, 429, { 'Retry-After': '40' }) : page([])(),
      client: { retry: { maxAttempts: 3 } }
    })
    expect((await failure(session.listPages(PATH))).code).toBe('GRAPH_THROTTLED')
    const gaveUpAt = clock.now()
    expect(client.tenantState('tenant-1').notBefore).toBe(gaveUpAt + 40_000)
    await collect(session.listPages(PATH))
    expect(calls[3]!.at).toBeGreaterThanOrEqual(gaveUpAt + 40_000)
  })

  it.each([
    ['an array body', () => json([{ id: 'a' }])],
    ['null', () => json('null')],
    ['no value array', () => json({ items: [] })],
    ['value not an array', () => json({ value: { id: 'a' } })],
    ['a nextLink that is not a string', () => json({ value: [], '@odata.nextLink': 42 })],
    ['a nextLink that is not a URL', () => json({ value: [], '@odata.nextLink': '?$skiptoken=x' })]
  ])('%s → GRAPH_BAD_RESPONSE, not retried', async (_n, answer) => {
    const { calls, session } = setup({ handler: sequence(answer) })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe('GRAPH_BAD_RESPONSE')
    expect(calls).toHaveLength(1)
  })

  it('passes items through untouched, whatever they are', async () => {
    const items = [null, 'x', 3, { id: 'a', nested: { deep: [1] } }]
    const { session } = setup({ handler: sequence(page(items)) })
    const [p] = await collect(session.listPages(PATH))
    expect(p?.items).toEqual(items)
  })

  it('stops reading a body past maxResponseBytes instead of buffering it all', async () => {
    let pulled = 0
    let cancelled = false
    const endless = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled++
            controller.enqueue(new Uint8Array(1024).fill(32))
          },
          cancel() {
            cancelled = true
          }
        }),
        { status: 200 }
      )
    const { session } = setup({ handler: sequence(endless), client: { maxResponseBytes: 10_000 } })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe('GRAPH_BAD_RESPONSE')
    expect(cancelled).toBe(true)
    expect(pulled).toBeLessThan(20)
  })
})

describe('pacing', () => {
  it('never starts more than maxRequests requests of a tenant in any window, retries included', async () => {
    const links = [1, 2, 3, 4].map((n) => `${BASE}${PATH}?$skiptoken=${n}`)
    const { calls, session } = setup({
      handler: sequence(
        page([], links[0]),
        status(504),
        page([], links[1]),
        page([], links[2]),
        page([], links[3]),
        page([])
      ),
      random: () => 0,
      client: { pacing: { maxRequests: 2, windowMs: 1000 } }
    })
    await collect(session.listPages(PATH))
    const starts = calls.map((c) => c.at - T0)
    expect(starts).toHaveLength(6)
    for (let i = 2; i < starts.length; i++) {
      expect((starts[i] ?? 0) - (starts[i - 2] ?? 0)).toBeGreaterThanOrEqual(1000)
    }
    // and it does not wait longer than the window requires
    expect(starts).toEqual([0, 0, 1000, 1000, 2000, 2000])
  })

  it('tenantState reports the requests in the current window', async () => {
    const { session, client, clock } = setup({ handler: sequence(page([])) })
    await collect(session.listPages(PATH))
    expect(client.tenantState('tenant-1').requestsInWindow).toBe(1)
    expect(client.tenantState('unknown')).toEqual({ notBefore: 0, requestsInWindow: 0 })
    clock.set(clock.now() + 20_000)
    expect(client.tenantState('tenant-1').requestsInWindow).toBe(0)
  })
})

describe('cancellation', () => {
  it('an abort during a Retry-After wait rejects promptly with the signal reason', async () => {
    const clock = new FakeClock(T0, 'manual')
    const { calls, session } = setup({
      clock,
      handler: sequence(status(429, { 'Retry-After': '60' }), page([]))
    })
    const ac = new AbortController()
    const run = collect(session.listPages(PATH, { signal: ac.signal }))
    await flush()
    expect(calls).toHaveLength(1)
    const reason = new Error('cancelled by user')
    ac.abort(reason)
    await expect(run).rejects.toBe(reason)
    expect(clock.now()).toBe(T0) // no virtual time had to pass
    expect(calls).toHaveLength(1)
  })

  it('an abort during an in-flight request rejects with the reason even if fetch ignores the signal', async () => {
    const { session } = setup({ handler: () => new Promise<Response>(() => undefined) })
    const ac = new AbortController()
    const run = collect(session.listPages(PATH, { signal: ac.signal }))
    await flush()
    const reason = new DOMException('stop', 'AbortError')
    ac.abort(reason)
    await expect(run).rejects.toBe(reason)
  })

  it('an already aborted signal makes no request', async () => {
    const { calls, session } = setup({ handler: sequence(page([])) })
    const reason = new Error('already')
    await expect(collect(session.listPages(PATH, { signal: AbortSignal.abort(reason) }))).rejects.toBe(reason)
    expect(calls).toHaveLength(0)
  })
})

describe('redaction of error messages', () => {
  const SECRET = 'Zk9~client-secret-value.42'
  afterEach(() => forgetSecret(SECRET))

  it('removes bearer tokens, JWTs and registered secrets that Graph echoes back', async () => {
    registerSecret(SECRET)
    const echo = {
      error: {
        code: 'BadRequest',
        message: `bad header Authorization: Bearer ${TOKEN}; also saw ${TOKEN} and ${SECRET}`
      }
    }
    const { session } = setup({ handler: sequence(status(400, {}, echo)) })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe('GRAPH_BAD_REQUEST')
    expect(err.message).toContain('Graph answered 400 Bad Request')
    expect(err.message).not.toContain(TOKEN)
    expect(err.message).not.toContain('eyJ')
    expect(err.message).not.toContain(SECRET)
    expect(JSON.stringify(err.details)).not.toContain(TOKEN)
  })

  it('never puts the token into network error messages', async () => {
    const { session } = setup({
      handler: () => {
        throw new TypeError(`connect failed while sending Bearer ${TOKEN}`)
      },
      client: { retry: { maxAttempts: 1 } }
    })
    const err = await failure(session.listPages(PATH))
    expect(err.code).toBe('GRAPH_NETWORK')
    expect(err.message).not.toContain(TOKEN)
  })
})
