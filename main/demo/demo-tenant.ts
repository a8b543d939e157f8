import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { GraphFakeCore } from './simulator/graph-fake'
import type { IdentityFake } from './simulator/identity-fake'
import type { AtlasApi, TenantView } from '../app/atlas-api'
import type { SecretStore } from '../auth/secret-store'
import type { ErrorCode } from '../../domain/error-codes'
import type { RunSummary } from '../../domain/run'
import type { MissingJudgement } from '../inventory/missing-service'
import { DEMO_SEED, type DemoScenario } from './demo-constants'
import type * as DemoData from './demo-data'

/**
 * The demo tenant: a realistic mid-size Intune tenant served by the Graph simulator the test suites use too
 * (main/demo/simulator), so a newcomer sees the product work without an Azure tenant. Nothing is mocked
 * inside the engine: the tenant is an ordinary custom-cloud tenant whose https origins below are routed,
 * in this process only, to the simulator's server on 127.0.0.1 (Graph, by the sync worker's network routes)
 * and to an in-memory Entra look-alike (MSAL's network module, on this thread). The `.invalid` TLD
 * guarantees that a misrouted request can never reach a real host.
 */
export const DEMO_TENANT_NAME = 'Demo'
export const DEMO_GRAPH_ORIGIN = 'https://graph.demo.tenant-atlas.invalid'
export const DEMO_LOGIN_ORIGIN = 'https://login.demo.tenant-atlas.invalid'
export const DEMO_AZURE_TENANT_ID = 'contoso-demo.tenant-atlas.invalid'
export const DEMO_CLIENT_ID = 'de300000-0000-4000-8000-00000000de30'
/** what main/auth/credential-store.ts resolves `demo:client-secret` to; not a secret of anyone */
export const DEMO_CLIENT_SECRET = 'demo-client-secret'
export * from './demo-constants'
export interface DemoEnvironment {
  /**
   * The demo Graph origin → the simulator's loopback server, started by the first call (give it to the sync
   * worker's network routes). The server is lean; the simulator itself loads at the first demo request.
   */
  graphRoutes(): Promise<Record<string, string>>
  /** give to createAtlas({ msalNetwork }): the demo authority answers in memory, others use the network */
  msalNetwork: INetworkModule
  /** give to createAtlas({ secretStore }): the vault (the demo credential is a `demo:` ref, see credential-store.ts) */
  secretStore: SecretStore
  /** connects the environment to the engine built with it: the simulator serves the scenario its runs call for */
  attach(api: AtlasApi): void
  /** the scenario the simulator serves now (null: not started) */
  readonly scenario: DemoScenario | null
  /** the simulator, once started (diagnostics and tests) */
  simulator(): GraphFakeCore | undefined
  close(): Promise<void>
}

export interface DemoEnvironmentOptions {
  /** where real tenants' credentials live (the app's vault, the CLI's session store) */
  vault: SecretStore
  /** MSAL network module for real tenants (default: fetch-based, as MSAL's own) */
  fallbackMsalNetwork?: INetworkModule
  /** Retry-After seconds of the simulator's 429s; 0 disables throttling (fast tests) */
  throttleSeconds?: number
}

/**
 * Builds the demo's network edges. The simulator's server starts when the sync worker does (it needs the
 * route), its data at the first demo request, and the scenario it serves follows the Demo tenant's runs:
 * the first run sees the pristine tenant, any later run the changed one. That rule lives here, not in the
 * CLI, so the desktop "explore demo" button and a plain `sync --tenant Demo` behave exactly like
 * `tenant-atlas demo`.
 */
export function createDemoEnvironment(opts: DemoEnvironmentOptions): DemoEnvironment {
  const fallbackMsal = opts.fallbackMsalNetwork ?? fetchNetworkModule()
  const throttleSeconds = opts.throttleSeconds ?? 1

  let api: AtlasApi | undefined
  let scenario: DemoScenario | null = null
  let fake: GraphFakeCore | undefined
  let starting: Promise<GraphFakeCore> | undefined
  let serving: Promise<{ baseUrl: string; close(): Promise<void> }> | undefined
  let data: typeof DemoData | undefined

  // The simulator's modules (the tenant generator, the fakes) load at the first demo request: an engine
  // that only reads the store, like most CLI commands, never evaluates them.
  let identityLoading: Promise<IdentityFake> | undefined
  const identityReady = (): Promise<IdentityFake> =>
    (identityLoading ??= import('./simulator/identity-fake').then(({ IdentityFake }) => {
      const identity = new IdentityFake()
      identity.registerApp({
        tenant: DEMO_AZURE_TENANT_ID,
        clientId: DEMO_CLIENT_ID,
        secret: DEMO_CLIENT_SECRET
      })
      return identity
    }))

  const apply = (sim: GraphFakeCore, next: DemoScenario): void => {
    if (scenario === next || !data) return
    sim.clearFaults()
    sim.setData(data.demoData(next))
    for (const rule of data.demoFaults(next, throttleSeconds)) sim.script(rule)
    scenario = next
  }

  /**
   * Decided per request from the store, not from a sync event: the worker's requests reach this server
   * directly, and nothing orders them after the event's message to this thread.
   */
  const wanted = (): DemoScenario => {
    const demo = api?.listTenants().find((t) => t.isDemo)
    return api && demo ? scenarioFor(api, demo.id) : 'first'
  }

  const simulatorReady = (): Promise<GraphFakeCore> =>
    (starting ??= (async () => {
      const [identity, { createGraphFake }] = await Promise.all([
        identityReady(),
        import('./simulator/graph-fake'),
        import('./demo-data').then((mod) => (data = mod))
      ])
      fake = createGraphFake({
        data: {}, // the scenario's data comes with the first request (apply)
        // only tokens the demo authority issued open the demo Graph, like the real pairing of Entra and Graph
        validateToken: (token) => identity.claimsOf(token) !== undefined,
        maxRecordedRequests: 2_000,
        seed: DEMO_SEED
      })
      return fake
    })())

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    simulatorReady().then(
      (sim) => {
        apply(sim, wanted())
        sim.handler(req, res)
      },
      () => res.writeHead(503).end()
    )
  }

  return {
    graphRoutes: async () => {
      serving ??= Promise.all([import('node:http'), import('./simulator/loopback-server')]).then(
        ([http, { listenOnLoopback }]) => listenOnLoopback(http.createServer(serve))
      )
      return { [DEMO_GRAPH_ORIGIN]: (await serving).baseUrl }
    },
    msalNetwork: {
      sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
        isDemoLogin(url)
          ? identityReady().then((identity) => identity.sendGetRequestAsync<T>(url, options))
          : fallbackMsal.sendGetRequestAsync<T>(url, options, timeout),
      sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
        isDemoLogin(url)
          ? identityReady().then((identity) => identity.sendPostRequestAsync<T>(url, options))
          : fallbackMsal.sendPostRequestAsync<T>(url, options)
    },
    secretStore: opts.vault,
    attach(target) {
      api = target
    },
    get scenario() {
      return scenario
    },
    simulator: () => fake,
    async close() {
      const server = await serving?.catch(() => undefined)
      await server?.close()
    }
  }
}

function isDemoLogin(url: string): boolean {
  try {
    return new URL(url).origin === DEMO_LOGIN_ORIGIN
  } catch {
    return false
  }
}

/**
 * Pristine tenant until the Demo tenant has one real result to compare with: a finished run that read the
 * tenant (success or partial) and was not cancelled. Then the changed tenant, so the second look shows
 * what changed. An interrupted or locked-out first attempt therefore still gets the pristine tenant.
 */
export function scenarioFor(api: AtlasApi, tenantId: string, currentRunId?: number): DemoScenario {
  const compared = api
    .listRuns({ tenantId, limit: 20 })
    .some(
      (r) =>
        r.id !== currentRunId &&
        (r.status === 'success' || r.status === 'partial') &&
        !r.errorCodes.includes('CANCELLED')
    )
  return compared ? 'changed' : 'first'
}

/**
 * MSAL's default network module, rebuilt on fetch (MSAL does not export its own): used for real tenants
 * once the demo module sits in front. Transport failures surface as MSAL's `network_error` so the auth
 * error mapping (AUTH_NETWORK) is the same as without the demo.
 */
export function fetchNetworkModule(fetchImpl: typeof fetch = fetch): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number
  ): Promise<NetworkResponse<T>> => {
    const signal = timeout ? AbortSignal.timeout(timeout) : undefined
    let res: Response
    try {
      res = await fetchImpl(url, {
        method,
        headers: options?.headers ?? {},
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        ...(signal ? { signal } : {})
      })
    } catch (err) {
      const detail = err instanceof Error ? err.message : 'unknown'
      const { AuthError } = await import('@azure/msal-node')
      throw Object.assign(new AuthError('network_error', `Network request failed: ${detail}`), { cause: err })
    }
    const headers: Record<string, string> = {}
    res.headers.forEach((value, key) => {
      headers[key] = value
    })
    try {
      return { status: res.status, headers, body: (await res.json()) as T }
    } catch (err) {
      const detail = err instanceof Error ? err.message : 'unknown'
      const { AuthError } = await import('@azure/msal-node')
      throw new AuthError('token_parsing_error', `Failed to parse response: ${detail}`)
    }
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options)
  }
}

// ---------- the demo as one call (CLI `demo`, desktop "explore demo") ----------

export interface DemoSummary {
  tenant: TenantView
  /** true when this call created the Demo tenant */
  created: boolean
  scenario: DemoScenario
  run: RunSummary
  throttled: { count: number; waitSeconds: number }
  totalObjects: number
  categories: Array<{ key: string; label: string; types: number; objects: number }>
  /** policy types of the run that were not collected, with the reason */
  notCollected: Array<{ policyType: string; label: string; errorCode?: ErrorCode; errorMessage?: string }>
  /** missing objects, judged for the demo's selection (every category) */
  missing: MissingJudgement
}

export interface DemoHandle {
  tenant: TenantView
  created: boolean
  scenario: DemoScenario
  requestId: string
  done: Promise<DemoSummary>
}

/** Finds the Demo tenant, or creates it (labelled Demo, flagged isDemo, routed to the simulator). */
export async function ensureDemoTenant(api: AtlasApi): Promise<{ tenant: TenantView; created: boolean }> {
  const existing = api.listTenants().find((t) => t.isDemo)
  if (existing) return { tenant: existing, created: false }
  const tenant = await api.addTenant({
    displayName: uniqueDemoName(api),
    azureTenantId: DEMO_AZURE_TENANT_ID,
    clientId: DEMO_CLIENT_ID,
    cloud: 'custom',
    authorityHost: DEMO_LOGIN_ORIGIN,
    graphEndpoint: DEMO_GRAPH_ORIGIN,
    credential: { kind: 'secret', value: DEMO_CLIENT_SECRET },
    isDemo: true
  })
  return { tenant, created: true }
}

/**
 * Starts a sync of the Demo tenant over every category. The engine must have been built with a
 * DemoEnvironment's fetch, MSAL network and secret store, and `env.attach(api)` called. Returns at once
 * (synchronously after the sync is queued) so the caller can show progress and cancel; `done` resolves with
 * a summary that reads without the database.
 */
export function startDemoSync(api: AtlasApi, demo: { tenant: TenantView; created: boolean }): DemoHandle {
  const { tenant, created } = demo
  const scenario = scenarioFor(api, tenant.id)
  const selection = { categories: api.listCategories().map((c) => c.key) }
  let throttles = 0
  let waitSeconds = 0
  let requestId = ''
  const stop = api.onSyncEvent((e) => {
    if (e.kind === 'throttled' && e.requestId === requestId) {
      throttles++
      waitSeconds += e.waitSeconds
    }
  })
  try {
    requestId = api.startSync({ tenantId: tenant.id, selection, trigger: 'demo' }).requestId
  } catch (err) {
    stop()
    throw err
  }
  const done = api.waitForSync(requestId).then(
    (run) => {
      stop()
      return summarize(api, tenant, created, scenario, run, selection, { count: throttles, waitSeconds })
    },
    (err: unknown) => {
      stop()
      throw err
    }
  )
  return { tenant, created, scenario, requestId, done }
}

/** The desktop "explore demo" button: create or reuse the Demo tenant and sync it. */
export async function startDemo(api: AtlasApi): Promise<DemoHandle> {
  return startDemoSync(api, await ensureDemoTenant(api))
}

/** "Demo", unless the consultant already has a real tenant of that name. */
function uniqueDemoName(api: AtlasApi): string {
  const taken = new Set(api.listTenants().map((t) => t.displayName.toLowerCase()))
  if (!taken.has(DEMO_TENANT_NAME.toLowerCase())) return DEMO_TENANT_NAME
  for (let i = 2; ; i++)
    if (!taken.has(`${DEMO_TENANT_NAME} ${i}`.toLowerCase())) return `${DEMO_TENANT_NAME} ${i}`
}

function summarize(
  api: AtlasApi,
  tenant: TenantView,
  created: boolean,
  scenario: DemoScenario,
  run: RunSummary,
  selection: { categories: string[] },
  throttled: DemoSummary['throttled']
): DemoSummary {
  const labels = new Map(api.listPolicyTypes().map((t) => [t.key, t.label]))
  const categories = api.listCategories().map((c) => ({
    key: c.key,
    label: c.label,
    types: c.policyTypes.length,
    objects: c.policyTypes.length
      ? api.listInventory({ tenantId: tenant.id, policyTypes: c.policyTypes, limit: 1 }).total
      : 0
  }))
  const notCollected = Object.entries(run.typeOutcomes)
    .filter(([, o]) => o.status !== 'complete')
    .map(([key, o]) => ({
      policyType: key,
      label: labels.get(key) ?? key,
      ...(o.errorCode ? { errorCode: o.errorCode } : {}),
      ...(o.errorMessage ? { errorMessage: o.errorMessage } : {})
    }))
  return {
    tenant,
    created,
    scenario,
    run,
    throttled,
    totalObjects: api.listInventory({ tenantId: tenant.id, limit: 1 }).total,
    categories,
    notCollected,
    missing: api.getMissing({ tenantId: tenant.id, selection })
  }
}
