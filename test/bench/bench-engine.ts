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
import { routingFetch } from '../../main/net/routing-fetch'
import type { RunSummary } from '../../main/domain/run'
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
    fetch: routingFetch({ [BENCH_GRAPH_ORIGIN]: opts.graphBaseUrl }),
    sync: opts.sync,
    // as the desktop app and the CLI run it: pages parsed and stored on the sync worker thread
    syncThread: { kind: 'worker' }
  })
  const tenant = await atlas.addTenant({
    displayName: 'Bench tenant',
    azureTenantId: 'bench.onmicrosoft.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    cloud: 'custom',
    authorityHost: BENCH_LOGIN_ORIGIN,
    graphEndpoint: BENCH_GRAPH_ORIGIN,
    credential: { kind: 'secret', value: 'bench-secret-value' }
  })
  return {
    atlas,
    tenant,
    fakeTenantKey,
    dir,
    async sync(selection) {
      const { requestId } = atlas.startSync({ tenantId: tenant.id, selection, trigger: 'test' })
      return atlas.waitForSync(requestId)
    },
    async close() {
      await atlas.close()
      if (!opts.dataDir) rmSync(dir, { recursive: true, force: true })
    }
  }
}
