/**
 * "Sync all", what consultants do every morning: every tenant synced at once, the engine's global permits
 * deciding how many run together. Judged against the ideal bound for that permit count: tenants are
 * identical, so the best any client could do is ceil(tenants / permits) waves of one tenant's ideal sync
 * (ideal-bound.ts). Also judged: no tenant starved (the last to start starts within its fair share of the
 * queue) and no 429 (each tenant has its own Intune budget, which the fake enforces).
 *
 * Fairness check, as in sync-throughput.ts: the bare fetch-and-parse client runs the same tenants the same
 * number at a time against the same fake child, its samples taking turns with the engine's, so "engine /
 * bare client" is the engine's own overhead and "bare client / ideal bound" the floor this fake, loopback
 * HTTP and the 2 shared cores allow.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createAtlas, DEFAULT_LIMITS, DEFAULT_SYNC } from '../../main/app/create-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import type { TenantAuthConfig, TokenProvider } from '../../main/auth/token-provider'
import { DEFAULT_PACING } from '../../main/graph/pacer'
import { COLLECTIONS } from '../../main/demo/simulator/graph-catalog'
import type { RunSummary } from '../../domain/run'
import { bareEnumerateTenants, fakeTenantToken } from './bare-client'
import { BENCH_GRAPH_ORIGIN } from './bench-engine'
import { goal, type BenchSection } from './bench-types'
import { startFakeGraphProcess, type FakeGraphProcess } from './fake-graph-process'
import { idealBound } from './ideal-bound'
import { median, round, timed } from './measure'
import { PAGE_SIZES, SYNC_COLLECTIONS, typesOfPaths } from './sync-throughput'

export interface SyncAllOptions {
  tenants: number
  itemsPerTenant: number
  latencyMs: number
  /** measured samples of each client (engine, bare) */
  runs: number
  /** unmeasured samples first; the first one's engine is reported as the fresh-worker context */
  warmup: number
}

/** Each tenant of the engine is its own tenant at the fake (own data key, own request budget). */
class PerTenantTokens implements TokenProvider {
  constructor(private readonly prefix: string) {}
  async getToken(cfg: TenantAuthConfig): Promise<string> {
    return fakeTenantToken(`${this.prefix}-${cfg.tenantKey}`)
  }
  forget(): void {}
}

/** CPU time spent during one measured phase: this process (all its threads) and the fake's child process. */
interface CpuSpent {
  clientCpuMs: number
  fakeCpuMs: number
}

async function cpuMeter(fake: FakeGraphProcess): Promise<() => Promise<CpuSpent>> {
  const fake0 = await fake.cpuMs()
  const own0 = process.cpuUsage()
  return async () => {
    const own = process.cpuUsage(own0)
    return { clientCpuMs: (own.user + own.system) / 1000, fakeCpuMs: (await fake.cpuMs()) - fake0 }
  }
}

interface EngineSample extends CpuSpent {
  wallMs: number
  /** ms from "sync all" to each tenant's 'started' event, ascending */
  starts: number[]
  requests: number
  throttled: number
}

function checkRun(run: RunSummary, expected: number): void {
  if (run.status !== 'success' || run.itemsObservedCount !== expected) {
    throw new Error(
      `sync all: run ${run.id} ended ${run.status} with ${run.itemsObservedCount}/${expected} items ` +
        `(${run.errorCodes.join(', ')}): the timing would not be of complete syncs`
    )
  }
}

/**
 * One "sync all" on a fresh engine (fresh data dir, fresh worker). With `jitWarmUp` the engine first syncs
 * one extra tenant, unmeasured, so the measured run is on JIT-warm code like the 20k section's rows.
 */
async function engineSyncAll(
  fake: FakeGraphProcess,
  opts: SyncAllOptions,
  selection: { policy_types: string[] },
  expected: number,
  prefix: string,
  jitWarmUp: boolean
): Promise<EngineSample> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-all-'))
  const atlas = createAtlas({
    dataDir: dir,
    secretStore: new MemorySecretStore(),
    tokenProvider: new PerTenantTokens(prefix),
    syncThread: {
      kind: 'worker',
      routes: { [BENCH_GRAPH_ORIGIN]: fake.baseUrl }
    }
  })
  try {
    await atlas.syncEngineReady()
    const addTenant = (i: number): ReturnType<typeof atlas.addTenant> =>
      atlas.addTenant({
        displayName: `Tenant ${String(i + 1).padStart(2, '0')}`,
        azureTenantId: `t${i}.onmicrosoft.com`,
        clientId: '11111111-2222-3333-4444-555555555555',
        cloud: 'custom',
        authorityHost: 'https://login.bench.test',
        graphEndpoint: BENCH_GRAPH_ORIGIN,
        credential: { kind: 'secret', value: 'bench-secret-value' }
      })
    if (jitWarmUp) {
      const other = await addTenant(opts.tenants)
      const { requestId } = atlas.startSync({ tenantId: other.id, selection, trigger: 'test' })
      checkRun(await atlas.waitForSync(requestId), expected)
    }
    const tenants = []
    for (let i = 0; i < opts.tenants; i++) tenants.push(await addTenant(i))

    const startedAt = new Map<string, number>()
    const stop = atlas.onSyncEvent((e) => {
      if (e.kind === 'started') startedAt.set(e.requestId, performance.now())
    })
    const cpu = await cpuMeter(fake)
    const t0 = performance.now()
    const requestIds = tenants.map(
      (t) => atlas.startSync({ tenantId: t.id, selection, trigger: 'test' }).requestId
    )
    const runs = await Promise.all(requestIds.map((id) => atlas.waitForSync(id)))
    const wallMs = performance.now() - t0
    const spent = await cpu()
    stop()
    for (const run of runs) checkRun(run, expected)
    const starts = requestIds.map((id) => (startedAt.get(id) ?? Infinity) - t0).sort((a, b) => a - b)
    let throttled = 0
    let requests = 0
    for (const t of tenants) {
      const stats = await fake.stats(`${prefix}-${t.id}`)
      throttled += stats.status429
      requests += stats.requests
    }
    return { wallMs, starts, requests, throttled, ...spent }
  } finally {
    await atlas.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function benchSyncAll(opts: SyncAllOptions): Promise<BenchSection> {
  const paths = [...SYNC_COLLECTIONS]
  const perCollection = Math.round(opts.itemsPerTenant / paths.length)
  const selection = { policy_types: typesOfPaths(paths) }
  const fake = await startFakeGraphProcess({
    dataset: { seed: 5_000, size: COLLECTIONS.length * perCollection, profile: 'uniform', paths },
    latencyMs: opts.latencyMs
  })
  try {
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
    const prefix = `all-${process.pid}`

    const bareSample = async (sample: number): Promise<CpuSpent & { wallMs: number }> => {
      const tenantKeys = Array.from({ length: opts.tenants }, (_, i) => `${prefix}-bare${sample}-${i}`)
      const cpu = await cpuMeter(fake)
      const t = await timed(() =>
        bareEnumerateTenants({
          baseUrl: fake.baseUrl,
          paths,
          pagesByPath: tenantIdeal.pagesByPath,
          tenantKeys,
          permits,
          workers: DEFAULT_SYNC.typeConcurrency
        })
      )
      if (t.value.requests !== opts.tenants * tenantIdeal.pages) {
        throw new Error(
          `bare client made ${t.value.requests} requests, expected ${opts.tenants * tenantIdeal.pages}`
        )
      }
      return { wallMs: t.ms, ...(await cpu()) }
    }

    const bare: number[] = []
    const bareCpu: CpuSpent[] = []
    const engine: EngineSample[] = []
    let freshWorker: EngineSample | undefined
    const loadAtStart = round(loadavg()[0] ?? 0, 2)
    for (let i = -opts.warmup; i < opts.runs; i++) {
      // the two clients take turns, order reversed every other sample, so a change of load hits both
      const runEngine = async (): Promise<void> => {
        const s = await engineSyncAll(fake, opts, selection, expected, `${prefix}-e${i}`, i > -opts.warmup)
        if (i >= 0) engine.push(s)
        else if (i === -opts.warmup) freshWorker = s
      }
      const runBare = async (): Promise<void> => {
        const s = await bareSample(i)
        if (i >= 0) {
          bare.push(s.wallMs)
          bareCpu.push(s)
        }
      }
      if ((i & 1) === 0) {
        await runBare()
        await runEngine()
      } else {
        await runEngine()
        await runBare()
      }
    }
    const loadAtEnd = round(loadavg()[0] ?? 0, 2)

    const wallMs = median(engine.map((s) => s.wallMs))
    const lastStartMs = median(engine.map((s) => s.starts.at(-1) ?? Infinity))
    const bareMs = median(bare)
    const throttled = [...engine, ...(freshWorker ? [freshWorker] : [])].reduce((n, s) => n + s.throttled, 0)
    const requests = engine[0]?.requests ?? 0
    // CPU both processes used, as a share of what the cores could give in the wall time: near 1, the run
    // is CPU-bound on this machine and only less CPU per item makes it faster
    const cores = availableParallelism()
    const cpuContext = (phases: Array<CpuSpent & { wallMs: number }>): Record<string, number> => ({
      clientCpuMs: round(median(phases.map((p) => p.clientCpuMs)), 0),
      fakeCpuMs: round(median(phases.map((p) => p.fakeCpuMs)), 0),
      cpuShareOfCores: round(median(phases.map((p) => (p.clientCpuMs + p.fakeCpuMs) / (cores * p.wallMs))), 2)
    })
    const findings: string[] = []
    const goals = [
      goal({
        id: 'syncAll.vsIdeal',
        title: `Sync all: ${opts.tenants} tenants × ${expected} items at ${opts.latencyMs} ms latency vs ideal bound for ${permits} global permits`,
        ratio: wallMs / idealMs,
        goal: '<= 1.15',
        definition: `median wall time (all startSync → last waitForSync) / (ceil(tenants / global permits) × one tenant's ideal bound)`,
        context: {
          medianMs: round(wallMs, 0),
          samplesMs: engine.map((s) => round(s.wallMs, 0)),
          idealMs,
          tenantIdealMs: tenantIdeal.idealMs,
          waves,
          ...cpuContext(engine)
        }
      }),
      goal({
        id: 'syncAll.vsBare',
        title: `Fairness check: sync all vs the bare fetch-and-parse client, ${opts.tenants} tenants ${permits} at a time on the same fake`,
        ratio: wallMs / bareMs,
        goal: '<= 1.15',
        definition:
          'median engine wall time / median wall time of bare-client.ts over the same tenants (same global ' +
          'permits, same per-tenant workers, longest chain first, no normalising or storing), samples interleaved',
        context: {
          bareMedianMs: round(bareMs, 0),
          bareSamplesMs: bare.map((v) => round(v, 0)),
          ...cpuContext(bare.map((wallMs, k) => ({ wallMs, ...bareCpu[k]! })))
        }
      }),
      goal({
        id: 'syncAll.bareVsIdeal',
        title:
          'Context: the bare client alone for sync all vs the same ideal bound (the floor of this fake + loopback)',
        ratio: bareMs / idealMs,
        goal: 'info',
        definition: 'median bare-client wall time / ideal bound for the global permits',
        context: { bareMedianMs: round(bareMs, 0), idealMs }
      }),
      goal({
        id: 'syncAll.freshWorker',
        title:
          'Context: sync all as the first work of a freshly started worker (no JIT warm-up) vs ideal bound',
        ratio: freshWorker ? freshWorker.wallMs / idealMs : null,
        goal: 'info',
        definition: 'wall time of the first warm-up sample, whose engine synced nothing before / ideal bound',
        context: freshWorker ? { wallMs: round(freshWorker.wallMs, 0) } : {}
      }),
      goal({
        id: 'syncAll.lastStart',
        title: 'Sync all: no tenant starved (start of the last tenant vs its fair share of the queue)',
        ratio: lastStartMs / fairLastStartMs,
        goal: '<= 1.15',
        definition: `median time from "sync all" to the last tenant's 'started' event / ((waves - 1) × one tenant's ideal bound)`,
        context: {
          lastStartMs: round(lastStartMs, 0),
          fairLastStartMs,
          startsMsOfMedianSample: (
            [...engine].sort((a, b) => a.wallMs - b.wallMs)[engine.length >> 1]?.starts ?? []
          ).map((s) => round(s, 0))
        }
      }),
      goal({
        id: 'syncAll.throttled',
        title: `Sync all: 429s (fake enforcing 1000 req / 20 s per tenant; ${requests} requests per run)`,
        ratio: throttled,
        goal: '<= 0',
        definition: 'responses with status 429 the fake sent to any tenant of any engine sample',
        context: { requestsPerRun: requests }
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
        tenantIdealBinding: tenantIdeal.binding,
        runs: opts.runs,
        warmup: opts.warmup,
        loadAverage1m: { start: loadAtStart, end: loadAtEnd }
      },
      findings
    }
  } finally {
    await fake.close()
  }
}
