/**
 * A real engine (createAtlas, system clock, real timers) on a temp data dir, talking to the benchmark's
 * Graph fake over HTTP, like test/support/harness.ts but without fake time.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TenantView } from '../../main/app/atlas-api'
import { createAtlas, type CreateAtlasOptions } from '../../main/app/create-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import type { TenantAuthConfig, TokenProvider } from '../../main/auth/token-provider'
import type { RunSummary } from '../../domain/run'
import { fakeTenantToken } from './bare-client'

export const BENCH_GRAPH_ORIGIN = 'https://graph.bench.test'
const BENCH_LOGIN_ORIGIN = 'https://login.bench.test'

/**
 * A JWT-shaped token whose `tid` the fake uses as its tenant key. Each engine of the bench gets its own
 * key, so the fake's 1000 / 20 s budget window of one measurement never leaks into the next one (a new
 * engine starts with an empty pacer, as a real app restart would, but a real tenant would not have been
 * hammered by the previous benchmark a second earlier).
 */
class BenchTokenProvider implements TokenProvider {
  constructor(private readonly tenantKey: string) {}
  async getToken(_cfg: TenantAuthConfig): Promise<string> {
    return fakeTenantToken(this.tenantKey)
  }
  forget(): void {}
}

export interface BenchEngine {
  atlas: ReturnType<typeof createAtlas>
  tenant: TenantView
  /** the fake's tenant key of this engine (for the fake's request statistics) */
  fakeTenantKey: string
  dir: string
  sync(selection: unknown): Promise<RunSummary>
  /**
   * Syncs a second tenant of the same fake (same data) once: the engine's code is then JIT-warm while the
   * measured tenant still has no previous run (page counts unknown), as in a desktop session after its
   * first sync. Returns that first sync of the fresh worker.
   */
  warmUpOtherTenant(selection: unknown): Promise<RunSummary>
  close(): Promise<void>
}

let engineCount = 0

export async function createBenchEngine(opts: {
  graphBaseUrl: string
  sync?: CreateAtlasOptions['sync']
  dataDir?: string
}): Promise<BenchEngine> {
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'atlas-bench-'))
  const fakeTenantKey = `bench-${process.pid}-${++engineCount}`
  const atlas = createAtlas({
    dataDir: dir,
    secretStore: new MemorySecretStore(),
    tokenProvider: new BenchTokenProvider(fakeTenantKey),
    sync: opts.sync,
    // as the desktop app runs it: the worker thread fetches, parses and stores; the API thread stays free
    syncThread: {
      kind: 'worker',
      routes: { [BENCH_GRAPH_ORIGIN]: opts.graphBaseUrl }
    }
  })
  // the app loads its worker at launch: a benchmark's first sync must not time the worker's start-up
  await atlas.syncEngineReady()
  const addBenchTenant = (displayName: string): Promise<TenantView> =>
    atlas.addTenant({
      displayName,
      azureTenantId: 'bench.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      cloud: 'custom',
      authorityHost: BENCH_LOGIN_ORIGIN,
      graphEndpoint: BENCH_GRAPH_ORIGIN,
      credential: { kind: 'secret', value: 'bench-secret-value' }
    })
  const tenant = await addBenchTenant('Bench tenant')
  const syncTenant = async (tenantId: string, selection: unknown): Promise<RunSummary> => {
    const { requestId } = atlas.startSync({ tenantId, selection, trigger: 'test' })
    return atlas.waitForSync(requestId)
  }
  return {
    atlas,
    tenant,
    fakeTenantKey,
    dir,
    sync: (selection) => syncTenant(tenant.id, selection),
    async warmUpOtherTenant(selection) {
      return syncTenant((await addBenchTenant('JIT warm-up tenant')).id, selection)
    },
    async close() {
      await atlas.close()
      if (!opts.dataDir) rmSync(dir, { recursive: true, force: true })
    }
  }
}
