/**
 * Fault soak: several tenants syncing in rounds against a Graph fake that fails ~43% of requests (30% 429
 * with every Retry-After form, 10% 503, 2% malformed JSON, 1% connection reset; seeded). Virtual time
 * (FakeClock 'auto'), so thousands of seconds of Retry-After cost nothing.
 *
 * The oracle is what the fake actually served, read from the HTTP responses on the client side: a type must
 * end complete exactly when its collection's last page came back readable, the run status follows from the
 * types, and the stored counts must add up to the pages that were served. On top: no duplicate items, no
 * request into a tenant's Retry-After pause, and no secret or token anywhere the product writes or returns.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TenantView } from '../../main/app/atlas-api'
import { createTestAtlas, type TestAtlas } from '../support/create-test-atlas'
import type { TenantAuthConfig, TokenProvider } from '../../main/auth/token-provider'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { CATEGORIES } from '../../domain/policy-type'
import type { RunSummary } from '../../domain/run'
import type { FetchLike } from '../../main/graph/graph-client'
import { DEFAULT_RETRY } from '../../main/graph/retry-policy'
import type { SyncEvent } from '../../main/inventory/sync-events'
import { effectivePolicyTypes, normalizeSelection } from '../../main/inventory/selection'
import { routingFetch } from '../../main/net/routing-fetch'
import type { Logger } from '../../main/util/logger'
import { collectionsOf, wholeCollectionType } from '../crash/collections'
import { startGraphFake, type Fault, type GraphFake } from '../../main/demo/simulator/graph-fake'
import { generateTenant, type FakeTenantData } from '../../main/demo/simulator/tenant-generator'
import { FakeClock } from '../support/fake-clock'
import { FAKE_GRAPH_ORIGIN, FAKE_LOGIN_ORIGIN, seededRandom } from '../support/harness'

const ALL = { categories: [...CATEGORIES] }
const SUBSET = { categories: ['compliance', 'apps', 'scripts', 'enrollment'] }
/** round r syncs every tenant once, concurrently; the selection alternates so runs of both overlap */
const ROUNDS = [ALL, SUBSET, ALL, SUBSET, ALL, ALL, SUBSET, ALL]
const TENANT_SIZES = [500, 800, 1100]
const ECHO_PATH = '/deviceManagement/roleScopeTags'

/**
 * Marginal rate of each fault over all requests. The fake tries its rules in order and the first that
 * fires wins, so each rule gets the conditional probability that yields its marginal rate.
 */
const FAULT_MIX: Array<[number, Fault]> = [
  [0.075, { kind: 'status429', retryAfter: 'int', seconds: 2 }],
  [0.075, { kind: 'status429', retryAfter: 'decimal', seconds: 1.375 }],
  [0.075, { kind: 'status429', retryAfter: 'httpDate', seconds: 3 }],
  [0.075, { kind: 'status429', retryAfter: 'none' }],
  [0.05, { kind: 'status503', retryAfter: 'int', seconds: 1 }],
  [0.05, { kind: 'status503', retryAfter: 'none' }],
  [0.02, { kind: 'malformedJson' }],
  [0.01, { kind: 'connectionReset' }]
]

/** One HTTP exchange as the client saw it (the fake's answer, read before the engine reads it). */
interface Exchange {
  tenantKey: string
  correlationId: string
  /** collection path without the version segment */
  path: string
  status: number | 'network'
  /** a readable Graph page: JSON object with a `value` array */
  page?: { items: number; hasNext: boolean }
}

type TimelineEntry = { kind: 'fetch'; at: number; url: string } | { kind: 'pause'; until: number }

const clock = new FakeClock()
const dataByTenant = new Map<string, FakeTenantData>()
const secrets = new Map<string, string>()
const tokenCanaries: string[] = []
const exchanges: Exchange[] = []
const timelines = new Map<string, TimelineEntry[]>()
const logged: string[] = []
const events: SyncEvent[] = []
const runsByRound: RunSummary[][] = []
let fake: GraphFake
let dir: string
let exportDir: string
let atlas: TestAtlas
const tenants: TenantView[] = []

const record =
  (level: string): Logger['info'] =>
  (obj, msg) =>
    logged.push(`${level} ${JSON.stringify(obj)} ${msg ?? ''}`)
const logger: Logger = {
  debug: record('debug'),
  info: record('info'),
  warn: record('warn'),
  error: record('error')
}

/** Tokens shaped like Entra's: the fake reads the tenant from the `tid` claim; the signature is a canary. */
class CanaryTokenProvider implements TokenProvider {
  private readonly tokens = new Map<string, string>()
  async getToken(cfg: TenantAuthConfig): Promise<string> {
    let token = this.tokens.get(cfg.tenantKey)
    if (!token) {
      const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url')
      const canary = `CANARY-${randomUUID()}`
      tokenCanaries.push(canary)
      token = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ tid: cfg.tenantKey, aud: 'graph' })}.${canary}`
      this.tokens.set(cfg.tenantKey, token)
    }
    return token
  }
  forget(tenantKey: string): void {
    this.tokens.delete(tenantKey)
  }
}

function tenantOfToken(authorization: string | undefined): string {
  const payload = authorization?.split(' ')[1]?.split('.')[1] ?? ''
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid: string }).tid
}

/**
 * Records every exchange and the request timeline per tenant. A reset connection is rethrown the way a
 * careless HTTP library might: with the Authorization header and the client secret in the message, so the
 * redaction on the error path is part of the soak.
 */
function observingFetch(inner: FetchLike): FetchLike {
  return async (url, init) => {
    const tenantKey = tenantOfToken(init.headers.Authorization)
    const timeline = timelines.get(tenantKey) ?? []
    timelines.set(tenantKey, timeline)
    timeline.push({ kind: 'fetch', at: clock.now(), url })
    const path = new URL(url).pathname.replace(/^\/(beta|v1\.0)/, '')
    const exchange: Exchange = {
      tenantKey,
      correlationId: init.headers['client-request-id'] ?? '',
      path,
      status: 'network'
    }
    exchanges.push(exchange)
    let res: Response
    let text: string
    try {
      res = await inner(url, init)
      text = await res.text()
    } catch (err) {
      throw new TypeError(
        `fetch failed: Authorization: ${init.headers.Authorization} client_secret=${secrets.get(tenantKey)} (${String(err)})`,
        { cause: err }
      )
    }
    exchange.status = res.status
    try {
      const body = JSON.parse(text) as { value?: unknown; '@odata.nextLink'?: unknown }
      if (Array.isArray(body.value)) {
        exchange.page = { items: body.value.length, hasNext: typeof body['@odata.nextLink'] === 'string' }
      }
    } catch {
      // malformed: not a page the client could read
    }
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers })
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-soak-'))
  exportDir = mkdtempSync(join(tmpdir(), 'atlas-soak-export-'))
  fake = await startGraphFake({
    data: (key) => {
      const data = dataByTenant.get(key)
      if (!data) throw new Error(`soak: request for unknown tenant ${key}`)
      return data
    },
    clock,
    budget: false,
    seed: 20260101
  })
  atlas = createTestAtlas({
    dataDir: dir,
    secretStore: new MemorySecretStore(),
    clock,
    random: seededRandom(99),
    logger,
    tokenProvider: new CanaryTokenProvider(),
    fetch: observingFetch(routingFetch({ [FAKE_GRAPH_ORIGIN]: fake.baseUrl })),
    timers: {
      setInterval: (() => ({ unref() {} })) as unknown as typeof setInterval,
      clearInterval: () => undefined
    }
  })
  atlas.onSyncEvent((e) => {
    events.push(e)
    if (e.kind === 'throttled') {
      timelines.get(e.tenantId)?.push({ kind: 'pause', until: clock.now() + e.waitSeconds * 1000 })
    }
  })
  for (const [i, size] of TENANT_SIZES.entries()) {
    const secret = `CANARY-${randomUUID()}`
    const tenant = await atlas.addTenant({
      displayName: `Soak ${i + 1}`,
      azureTenantId: `soak${i + 1}.onmicrosoft.com`,
      clientId: `11111111-2222-3333-4444-55555555555${i}`,
      cloud: 'custom',
      authorityHost: FAKE_LOGIN_ORIGIN,
      graphEndpoint: FAKE_GRAPH_ORIGIN,
      credential: { kind: 'secret', value: secret }
    })
    tenants.push(tenant)
    secrets.set(tenant.id, secret)
    dataByTenant.set(tenant.id, generateTenant({ seed: 500 + i, size }))
  }
  // first rule: one collection of the first tenant resets on every attempt, so a failure message built
  // from the echoing transport error is certainly persisted (the canary scan then has something to bite)
  fake.script({
    path: ECHO_PATH,
    tenant: tenants[0]!.id,
    times: DEFAULT_RETRY.maxAttempts,
    fault: { kind: 'connectionReset' }
  })
  let taken = 0
  for (const [rate, fault] of FAULT_MIX) {
    fake.script({ times: Infinity, probability: rate / (1 - taken), fault })
    taken += rate
  }
  for (const selection of ROUNDS) {
    const runs = await Promise.all(
      tenants.map(async (t) => {
        const { requestId } = atlas.startSync({ tenantId: t.id, selection, trigger: 'test' })
        return atlas.waitForSync(requestId)
      })
    )
    runsByRound.push(runs)
    // checked now: the tenant's next run moves last_seen_run_id on
    for (const run of runs) checkRunStorage(run)
  }
})

afterAll(async () => {
  await atlas?.close()
  await fake?.close()
  for (const d of [dir, exportDir]) if (d) rmSync(d, { recursive: true, force: true })
})

const storageChecks: Array<{ runId: number; itemsWithRun: number; observations: number }> = []
function checkRunStorage(run: RunSummary): void {
  const n = (sql: string, ...params: unknown[]): number =>
    (atlas.db.sqlite.prepare(sql).get(...params) as { n: number }).n
  storageChecks.push({
    runId: run.id,
    itemsWithRun: n('SELECT count(*) AS n FROM inventory_items WHERE last_seen_run_id = ?', run.id),
    observations: n(
      'SELECT count(*) AS n FROM inventory_observations WHERE last_observed_run_id = ? AND selection_hash = ?',
      run.id,
      run.selectionHash
    )
  })
}

const allRuns = (): RunSummary[] => runsByRound.flat()
const exchangesOf = (run: RunSummary, path: string): Exchange[] =>
  exchanges.filter((x) => x.correlationId === run.correlationId && x.path === path)

describe('fault soak', () => {
  it('made more than 1000 Graph requests and hit every fault of the mix', () => {
    expect(fake.requests.length).toBeGreaterThanOrEqual(1000)
    const faults = fake.requests.filter((r) => r.fault)
    const share = faults.length / fake.requests.length
    expect(share).toBeGreaterThan(0.3)
    expect(share).toBeLessThan(0.56)
    const throttled = fake.requests.filter((r) => r.fault === 'status429')
    expect(throttled.some((r) => /^\d+$/.test(r.retryAfter ?? ''))).toBe(true)
    expect(throttled.some((r) => /^\d+\.\d+$/.test(r.retryAfter ?? ''))).toBe(true)
    expect(throttled.some((r) => /GMT$/.test(r.retryAfter ?? ''))).toBe(true)
    expect(throttled.some((r) => r.retryAfter === undefined)).toBe(true)
    for (const kind of ['status503', 'malformedJson', 'connectionReset'] as const) {
      expect(
        faults.some((r) => r.fault === kind),
        kind
      ).toBe(true)
    }
    expect(allRuns()).toHaveLength(ROUNDS.length * TENANT_SIZES.length)
  })

  it('ends each type complete exactly when the fake served its last page, and each run with the status that follows', () => {
    const seen = { complete: 0, failed: 0, statuses: new Set<string>() }
    for (const run of allRuns()) {
      const types = effectivePolicyTypes(normalizeSelection(run.selection))
      expect(Object.keys(run.typeOutcomes).sort()).toEqual(types)
      let complete = 0
      for (const [path, defs] of collectionsOf(types)) {
        const servedAll = exchangesOf(run, path).some((x) => x.status === 200 && x.page && !x.page.hasNext)
        for (const def of defs) {
          const outcome = run.typeOutcomes[def.key]!
          expect(outcome.status === 'complete', `${def.key} in run ${run.id}`).toBe(servedAll)
          if (servedAll) complete++
          else {
            expect(outcome.status).toBe('failed')
            expect(outcome.errorCode).toMatch(/^GRAPH_(THROTTLED|UNAVAILABLE|BAD_RESPONSE|NETWORK)$/)
          }
        }
      }
      const expected = complete === types.length ? 'success' : complete > 0 ? 'partial' : 'failed'
      expect(run.status, `run ${run.id}`).toBe(expected)
      expect(run.hadErrors).toBe(expected !== 'success')
      seen.complete += complete
      seen.failed += types.length - complete
      seen.statuses.add(run.status)
    }
    // the mix really produced both outcomes, or this test proved nothing
    expect(seen.complete).toBeGreaterThan(0)
    expect(seen.failed).toBeGreaterThan(0)
    expect(seen.statuses).toContain('partial')
    expect(
      atlas.db.sqlite.prepare(`SELECT id FROM inventory_sync_runs WHERE status = 'running'`).all()
    ).toEqual([])
  })

  it('counts add up: run = sum of types = stored rows = pages the fake served', () => {
    const checks = new Map(storageChecks.map((c) => [c.runId, c]))
    for (const run of allRuns()) {
      const outcomes = Object.values(run.typeOutcomes)
      expect(run.itemsObservedCount).toBe(outcomes.reduce((n, o) => n + o.observed, 0))
      expect(checks.get(run.id)).toEqual({
        runId: run.id,
        itemsWithRun: run.itemsObservedCount,
        observations: run.itemsObservedCount
      })
      const data = dataByTenant.get(run.tenantId)!
      const types = effectivePolicyTypes(normalizeSelection(run.selection))
      for (const [path, defs] of collectionsOf(types)) {
        const readable = exchangesOf(run, path).filter((x) => x.status === 200 && x.page)
        const servedItems = readable.reduce((n, x) => n + x.page!.items, 0)
        const taken = defs.reduce((n, d) => {
          const o = run.typeOutcomes[d.key]!
          return n + o.observed + o.skippedItems + o.duplicateItems
        }, 0)
        // every readable page was stored, once (a failing page is retried, a stored one never re-read)
        expect(
          defs.every((d) => run.typeOutcomes[d.key]!.pages === readable.length),
          path
        ).toBe(true)
        for (const def of defs.filter(wholeCollectionType)) {
          expect(taken, `${def.key} in run ${run.id}`).toBe(servedItems)
          if (run.typeOutcomes[def.key]!.status === 'complete') expect(taken).toBe(data[path]!.length)
        }
        expect(taken).toBeLessThanOrEqual(servedItems)
      }
    }
  })

  it('stores no duplicates, and every type a run completed holds exactly the tenant data', () => {
    const dupes = atlas.db.sqlite
      .prepare(
        `SELECT tenant_id, policy_type, external_id, count(*) AS n FROM inventory_items
         GROUP BY tenant_id, policy_type, external_id HAVING n > 1`
      )
      .all()
    expect(dupes).toEqual([])
    for (const tenant of tenants) {
      const data = dataByTenant.get(tenant.id)!
      const runs = allRuns().filter((r) => r.tenantId === tenant.id)
      const completedTypes = new Set(
        runs.flatMap((r) =>
          Object.entries(r.typeOutcomes).flatMap(([k, o]) => (o.status === 'complete' ? [k] : []))
        )
      )
      for (const [path, defs] of collectionsOf([...completedTypes])) {
        for (const def of defs) {
          const stored = atlas.db.sqlite
            .prepare('SELECT external_id AS id FROM inventory_items WHERE tenant_id = ? AND policy_type = ?')
            .all(tenant.id, def.key) as Array<{ id: string }>
          // data never changes, so a complete enumeration saw every item the type ever stored
          for (const run of runs.filter((r) => r.typeOutcomes[def.key]?.status === 'complete')) {
            expect(run.typeOutcomes[def.key]!.observed, def.key).toBe(stored.length)
          }
          if (wholeCollectionType(def)) {
            expect(new Set(stored.map((s) => s.id))).toEqual(new Set(data[path]!.map((i) => String(i.id))))
          }
        }
      }
    }
  })

  it('never sent a request into a Retry-After it was given (server side and client timeline)', () => {
    expect(fake.waits.length).toBeGreaterThan(50)
    expect(fake.violations).toEqual([])
    let pauses = 0
    for (const [tenantKey, timeline] of timelines) {
      let pausedUntil = 0
      for (const entry of timeline) {
        if (entry.kind === 'pause') {
          pauses++
          pausedUntil = Math.max(pausedUntil, entry.until)
        } else {
          // 0.1 s tolerance: the event's waitSeconds is rounded
          expect(entry.at, `${tenantKey} ${entry.url}`).toBeGreaterThanOrEqual(pausedUntil - 100)
        }
      }
    }
    expect(pauses).toBeGreaterThan(50)
  })

  it('leaves no secret or token in the DB file, its WAL, the logs, the CSV exports or any API answer (canary)', async () => {
    // the marker, and the random part of every secret and token on its own (a partial leak counts too)
    const needles = [
      'CANARY',
      ...[...secrets.values(), ...tokenCanaries].map((s) => s.replace(/^CANARY-/, ''))
    ]
    expect(tokenCanaries.length).toBe(tenants.length)
    const hits = (what: string, text: string): string[] =>
      needles.filter((n) => text.includes(n)).map((n) => `${what}: ${n}`)
    const found: string[] = []

    // the answers the product gives (desktop, CLI and tests all see exactly these)
    const answers: unknown[] = [atlas.listTenants(), atlas.listPolicyTypes(), atlas.listCategories(), events]
    for (const t of tenants) {
      answers.push(atlas.getTenant(t.id), atlas.listRuns({ tenantId: t.id, limit: 1000 }))
      answers.push(atlas.listInventory({ tenantId: t.id, limit: 100_000 }))
      for (const selection of [ALL, SUBSET]) answers.push(atlas.getMissing({ tenantId: t.id, selection }))
    }
    for (const run of allRuns()) answers.push(atlas.getRun(run.id))
    found.push(...hits('API', JSON.stringify(answers)))
    // the echoing transport error did reach a stored message, redacted
    const echoed = runsByRound[0]![0]!.typeOutcomes.roleScopeTag!
    expect(echoed).toMatchObject({ status: 'failed', errorCode: 'GRAPH_NETWORK' })
    expect(echoed.errorMessage).toMatch(/Bearer \[REDACTED\].*client_secret=\[REDACTED\]/)
    // the engine logs little on purpose (failures are data on the run); whatever it logged must be clean
    found.push(...hits('log', logged.join('\n')))

    const views = [
      { view: 'inventory' as const },
      { view: 'runs' as const },
      { view: 'missing' as const },
      { view: 'missing' as const, selection: SUBSET }
    ]
    for (const [i, v] of views.entries()) {
      const path = join(exportDir, `export-${i}-${v.view}.csv`)
      const result = await atlas.exportCsv({ ...v, tenant: { all: true }, path })
      if (v.view !== 'missing') expect(result.rows).toBeGreaterThan(0)
      found.push(...hits(`export ${v.view}`, readFileSync(path, 'latin1')))
    }

    // the files on disk: first as they are (WAL not yet checkpointed), then after a checkpoint
    const scanDir = (label: string): void => {
      for (const f of readdirSync(dir))
        found.push(...hits(`${label} ${f}`, readFileSync(join(dir, f)).toString('latin1')))
    }
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['tenant-atlas.db', 'tenant-atlas.db-wal']))
    scanDir('file')
    atlas.db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    scanDir('checkpointed file')
    expect(found).toEqual([])
  })
})
