import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CreateAtlasOptions } from '../../main/app/create-atlas'
import { createTestAtlas, type TestAtlas } from './create-test-atlas'
import type { TenantView } from '../../main/app/atlas-api'
import { MemorySecretStore } from '../../main/auth/secret-store'
import type { SyncEvent } from '../../main/inventory/sync-events'
import type { FetchLike } from '../../main/graph/graph-client'
import { routingFetch } from '../../main/net/routing-fetch'
import { startGraphFake, type GraphFake } from '../../main/demo/simulator/graph-fake'
import { Rng } from '../../main/demo/simulator/graph-catalog'
import { generateTenant, type FakeTenantData } from '../../main/demo/simulator/tenant-generator'
import { FakeClock } from './fake-clock'
import { StaticTokenProvider } from './static-token-provider'

export const FAKE_GRAPH_ORIGIN = 'https://graph.fake.test'
export const FAKE_LOGIN_ORIGIN = 'https://login.fake.test'

export interface Harness {
  dir: string
  clock: FakeClock
  fake: GraphFake
  data: FakeTenantData
  tokens: StaticTokenProvider
  atlas: TestAtlas
  tenant: TenantView
  events: SyncEvent[]
  /** another custom-cloud tenant on the same fakes, with its own client secret */
  addTenant(name: string, secret?: string): Promise<TenantView>
  /** a second engine on the same data dir (another process in real life: the CLI next to the app) */
  reopen(overrides?: Partial<CreateAtlasOptions>): TestAtlas
  close(): Promise<void>
}

/**
 * An engine on a temp data dir, talking to the Graph fake over real HTTP through the https origin a
 * custom-cloud tenant is configured with (routingFetch maps it to the loopback port).
 */
export async function createHarness(
  opts: {
    size?: number
    seed?: number
    data?: FakeTenantData
    clock?: FakeClock
    atlas?: Partial<CreateAtlasOptions>
    fake?: Partial<Parameters<typeof startGraphFake>[0]>
    /** wrap the transport, e.g. to hold requests at a gate or inject network errors */
    wrapFetch?: (f: FetchLike) => FetchLike
    tokenValue?: string
    /** run syncs on the sync worker thread (real time: no injected clock, random or timers reach it) */
    worker?: boolean
  } = {}
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-test-'))
  const clock = opts.clock ?? new FakeClock()
  const data = opts.data ?? generateTenant({ seed: opts.seed ?? 1, size: opts.size ?? 300 })
  const fake = await startGraphFake({ data, clock, budget: false, ...opts.fake })
  const tokens = new StaticTokenProvider(opts.tokenValue)
  const engines: TestAtlas[] = []
  const make = (overrides: Partial<CreateAtlasOptions> = {}): TestAtlas => {
    const injectedTime: Partial<CreateAtlasOptions> = opts.worker
      ? { syncThread: { kind: 'worker' } }
      : {
          clock,
          random: seededRandom(42),
          timers: {
            setInterval: (() => ({ unref() {} })) as unknown as typeof setInterval,
            clearInterval: () => undefined
          }
        }
    const atlas = createTestAtlas({
      dataDir: dir,
      secretStore: new MemorySecretStore(),
      tokenProvider: tokens,
      fetch: (opts.wrapFetch ?? ((f) => f))(routingFetch({ [FAKE_GRAPH_ORIGIN]: fake.baseUrl })),
      ...injectedTime,
      ...opts.atlas,
      ...overrides
    })
    engines.push(atlas)
    return atlas
  }
  const atlas = make()
  const events: SyncEvent[] = []
  atlas.onSyncEvent((e) => events.push(e))
  const addFakeTenant = (name: string, secret = 'test-secret-value'): Promise<TenantView> =>
    atlas.addTenant({
      displayName: name,
      azureTenantId: `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.onmicrosoft.com`,
      clientId: '11111111-2222-3333-4444-555555555555',
      cloud: 'custom',
      authorityHost: FAKE_LOGIN_ORIGIN,
      graphEndpoint: FAKE_GRAPH_ORIGIN,
      credential: { kind: 'secret', value: secret }
    })
  const tenant = await addFakeTenant('Contoso')
  return {
    dir,
    clock,
    fake,
    data,
    tokens,
    atlas,
    tenant,
    events,
    reopen: make,
    addTenant: addFakeTenant,
    async close() {
      for (const e of engines) await e.close().catch(() => undefined)
      await fake.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** A deterministic random source (the generator's PRNG) for jitter and kill points in tests. */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed)
  return () => rng.next()
}

export async function syncAndWait(
  h: Pick<Harness, 'atlas' | 'tenant'>,
  selection: unknown
): ReturnType<Harness['atlas']['waitForSync']> {
  const { requestId } = h.atlas.startSync({ tenantId: h.tenant.id, selection, trigger: 'test' })
  return h.atlas.waitForSync(requestId)
}

/** Holds every request until `open()`; `arrived` resolves when the first request is waiting. */
export function fetchGate(): { wrap: (f: FetchLike) => FetchLike; open: () => void; arrived: Promise<void> } {
  let open!: () => void
  const opened = new Promise<void>((r) => (open = r))
  let arrive!: () => void
  const arrived = new Promise<void>((r) => (arrive = r))
  return {
    wrap: (f) => async (url, init) => {
      arrive()
      await opened
      return f(url, init)
    },
    open,
    arrived
  }
}
