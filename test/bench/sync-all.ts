/**
 * "Sync all", what consultants do every morning: every tenant synced at once, the engine's global permits
 * deciding how many run together. Judged against the ideal bound for that permit count: tenants are
 * identical, so the best any client could do is ceil(tenants / permits) waves of one tenant's ideal sync
 * (ideal-bound.ts). Also judged: no tenant starved (the last to start starts within its fair share of the
 * queue) and no 429 (each tenant has its own Intune budget, which the fake enforces).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createAtlas, DEFAULT_LIMITS, DEFAULT_SYNC } from '../../main/app/create-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import type { TenantAuthConfig, TokenProvider } from '../../main/auth/token-provider'
import { DEFAULT_PACING } from '../../main/graph/pacer'
import { COLLECTIONS } from '../../main/demo/simulator/graph-catalog'
import { fakeTenantToken } from './bare-client'
import { BENCH_GRAPH_ORIGIN } from './bench-engine'
import { goal, type BenchSection } from './bench-types'
import { startFakeGraphProcess } from './fake-graph-process'
import { idealBound } from './ideal-bound'
import { round } from './measure'
import { PAGE_SIZES, SYNC_COLLECTIONS, typesOfPaths } from './sync-throughput'

export interface SyncAllOptions {
  tenants: number
  itemsPerTenant: number
  latencyMs: number
}

/** Each tenant of the engine is its own tenant at the fake (own data key, own request budget). */
class PerTenantTokens implements TokenProvider {
  constructor(private readonly prefix: string) {}
  async getToken(cfg: TenantAuthConfig): Promise<string> {
    return fakeTenantToken(`${this.prefix}-${cfg.tenantKey}`)
  }
  forget(): void {}
}

export async function benchSyncAll(opts: SyncAllOptions): Promise<BenchSection> {
  const paths = [...SYNC_COLLECTIONS]
  const perCollection = Math.round(opts.itemsPerTenant / paths.length)
  const selection = { policy_types: typesOfPaths(paths) }
  const fake = await startFakeGraphProcess({
    dataset: { seed: 5_000, size: COLLECTIONS.length * perCollection, profile: 'uniform', paths },
    latencyMs: opts.latencyMs
  })
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-all-'))
  const prefix = `all-${process.pid}`
  const atlas = createAtlas({
    dataDir: dir,
    secretStore: new MemorySecretStore(),
    tokenProvider: new PerTenantTokens(prefix),
    syncThread: {
      kind: 'worker',
      network: { routes: { [BENCH_GRAPH_ORIGIN]: fake.baseUrl } }
    }
  })
  try {
    await atlas.syncEngineReady()
    const tenants = []
    for (let i = 0; i < opts.tenants; i++) {
      tenants.push(
        await atlas.addTenant({
          displayName: `Tenant ${String(i + 1).padStart(2, '0')}`,
          azureTenantId: `t${i}.onmicrosoft.com`,
          clientId: '11111111-2222-3333-4444-555555555555',
          cloud: 'custom',
          authorityHost: 'https://login.bench.test',
          graphEndpoint: BENCH_GRAPH_ORIGIN,
          credential: { kind: 'secret', value: 'bench-secret-value' }
        })
      )
    }
    const counts = Object.fromEntries(paths.map((p) => [p, fake.counts[p] ?? 0]))
    const expected = paths.reduce((sum, p) => sum + (fake.stored[p] ?? 0), 0)
    const tenantIdeal = idealBound({
      counts,
      pageSizes: PAGE_SIZES,
      permits: DEFAULT_SYNC.typeConcurrency,
      latencyMs: opts.latencyMs,
      pacing: DEFAULT_PACING
    })
    const permits = DEFAULT_LIMITS.global
    const waves = Math.ceil(opts.tenants / permits)
    const idealMs = waves * tenantIdeal.idealMs
    // the last tenant to start waits for (waves - 1) waves of the others
    const fairLastStartMs = (waves - 1) * tenantIdeal.idealMs

    const startedAt = new Map<string, number>()
    const stop = atlas.onSyncEvent((e) => {
      if (e.kind === 'started') startedAt.set(e.requestId, performance.now())
    })
    const t0 = performance.now()
    const requestIds = tenants.map(
      (t) => atlas.startSync({ tenantId: t.id, selection, trigger: 'test' }).requestId
    )
    const runs = await Promise.all(requestIds.map((id) => atlas.waitForSync(id)))
    const wallMs = performance.now() - t0
    stop()
    for (const run of runs) {
      if (run.status !== 'success' || run.itemsObservedCount !== expected) {
        throw new Error(
          `sync all: run ${run.id} ended ${run.status} with ${run.itemsObservedCount}/${expected} items ` +
            `(${run.errorCodes.join(', ')}): the timing would not be of complete syncs`
        )
      }
    }
    const starts = requestIds.map((id) => (startedAt.get(id) ?? Infinity) - t0).sort((a, b) => a - b)
    const lastStartMs = starts.at(-1) ?? Infinity
    let throttled = 0
    let requests = 0
    for (const t of tenants) {
      const stats = await fake.stats(`${prefix}-${t.id}`)
      throttled += stats.status429
      requests += stats.requests
    }
    const findings: string[] = []
    const goals = [
      goal({
        id: 'syncAll.vsIdeal',
        title: `Sync all: ${opts.tenants} tenants × ${expected} items at ${opts.latencyMs} ms latency vs ideal bound for ${permits} global permits`,
        ratio: wallMs / idealMs,
        goal: '<= 1.15',
        definition: `wall time (all startSync → last waitForSync) / (ceil(tenants / global permits) × one tenant's ideal bound)`,
        context: { wallMs: round(wallMs, 0), idealMs, tenantIdealMs: tenantIdeal.idealMs, waves }
      }),
      goal({
        id: 'syncAll.lastStart',
        title: 'Sync all: no tenant starved (start of the last tenant vs its fair share of the queue)',
        ratio: lastStartMs / fairLastStartMs,
        goal: '<= 1.15',
        definition: `time from "sync all" to the last tenant's 'started' event / ((waves - 1) × one tenant's ideal bound)`,
        context: {
          lastStartMs: round(lastStartMs, 0),
          fairLastStartMs,
          startsMs: starts.map((s) => round(s, 0))
        }
      }),
      goal({
        id: 'syncAll.throttled',
        title: `Sync all: 429s (fake enforcing 1000 req / 20 s per tenant; ${requests} requests)`,
        ratio: throttled,
        goal: '<= 0',
        definition: 'responses with status 429 the fake sent to any tenant during the run',
        context: { requests }
      })
    ]
    for (const g of goals) if (g.verdict === 'fail') findings.push(`${g.title}: ${g.ratio} (goal ${g.goal})`)
    return {
      name: 'Sync all',
      goals,
      setup: {
        tenants: opts.tenants,
        itemsPerTenant: expected,
        collections: paths.length,
        latencyMs: opts.latencyMs,
        globalPermits: permits,
        typeConcurrency: DEFAULT_SYNC.typeConcurrency,
        pagesPerTenant: tenantIdeal.pages,
        tenantIdealBinding: tenantIdeal.binding
      },
      findings
    }
  } finally {
    await atlas.close()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
