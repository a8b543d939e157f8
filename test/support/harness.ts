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
import { systemClock } from '../../main/util/clock'
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
    /** wrap the transport, e.g. to record requests on the fake clock (inline only: script the fake otherwise) */
    wrapFetch?: (f: FetchLike) => FetchLike
    tokenValue?: string
    /** run syncs on the sync worker thread (real time: no injected clock, random or timers reach it) */
    worker?: boolean
  } = {}
): Promise<Harness> {
  if (opts.worker && opts.wrapFetch) {
    throw new Error('createHarness: the sync worker fetches for itself; script the fake instead of wrapFetch')
  }
  const dir = mkdtempSync(join(tmpdir(), 'atlas-test-'))
  const clock = opts.clock ?? new FakeClock()
  const data = opts.data ?? generateTenant({ seed: opts.seed ?? 1, size: opts.size ?? 300 })
  // the worker runs on real time, so the fake's request times are real time too
  const fakeClock = opts.worker ? systemClock : clock
  const fake = await startGraphFake({ data, clock: fakeClock, budget: false, ...opts.fake })
  const tokens = new StaticTokenProvider(opts.tokenValue)
  const engines: TestAtlas[] = []
  const toFake = { [FAKE_GRAPH_ORIGIN]: fake.baseUrl }
  const make = (overrides: Partial<CreateAtlasOptions> = {}): TestAtlas => {
    // the worker reaches the fake by its loopback route; an inline engine through the (wrapped) fetch
    const injectedTime: Partial<CreateAtlasOptions> = opts.worker
      ? { syncThread: { kind: 'worker', routes: toFake } }
      : {
          fetch: (opts.wrapFetch ?? ((f) => f))(routingFetch({ [FAKE_GRAPH_ORIGIN]: fake.baseUrl })),
          clock,
          random: seededRandom(42),
          timers: {
            setInterval: (() => ({ unref() {} })) as unknown as typeof setInterval,
            clearInterval: () => undefined
          }
        }
    const options: CreateAtlasOptions = {
      dataDir: dir,
      secretStore: new MemorySecretStore(),
      tokenProvider: tokens,
      ...injectedTime,
      ...opts.atlas,
      ...overrides
    }
    // a worker option that names only its entry (the built script) still reaches the fake
    const thread = options.syncThread
    if (thread?.kind === 'worker' && !thread.routes) options.syncThread = { ...thread, routes: toFake }
    const atlas = createTestAtlas(options)
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

/**
 * Holds every Graph request after the first `after` at the fake until `open()`; `arrived` resolves when
 * the first one is held. Works the same for an inline engine and for the sync worker.
 */
export function holdRequests(fake: GraphFake, after = 0): { open: () => void; arrived: Promise<void> } {
  let open!: () => void
  const until = new Promise<void>((r) => (open = r))
  let seen = 0
  let arrive!: () => void
  const arrived = new Promise<void>((r) => (arrive = r))
  fake.script({ times: Infinity, afterRequests: after, fault: { kind: 'hold', until } })
  const stop = fake.onRequest(() => {
    if (++seen <= after) return
    arrive()
    stop()
  })
  return { open, arrived }
}
