import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import type { AddTenantInput, TenantView } from '../../../main/app/atlas-api'
import { startGraphFake, type FaultRule, type GraphFake } from '../../../main/demo/simulator/graph-fake'
import { FAKE_DEFAULT_ROLES, IdentityFake } from '../../../main/demo/simulator/identity-fake'
import { generateTenant, type FakeTenantData } from '../../../main/demo/simulator/tenant-generator'
import {
  DEFAULT_BRIDGE_FILE,
  DEFAULT_RENDERER_DIR,
  startWebAtlas,
  type WebAtlas,
  type WebAtlasOptions
} from '../../../main/web-host/web-atlas'
import { ensureRendererBuilt } from '../../support/renderer-build'

/**
 * The UI's e2e harness: `npm run web`'s host (real engine, sync worker, SQLite) started in this process on
 * a temp data dir, plus Debian's Chromium. Optionally a custom-cloud tenant whose https origins are routed
 * to in-process fakes (Graph simulator + identity fake), with a per-test fault script and latency, for the
 * workflows the demo tenant cannot show on demand (throttle countdown, missing permission, cancel, reload).
 */

const ROOT = join(import.meta.dirname, '..', '..', '..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

/** The https origins the fake tenant's custom cloud is configured with; routed to loopback fakes. */
export const FAKE_GRAPH_ORIGIN = 'https://graph.e2e.tenant-atlas.invalid'
export const FAKE_LOGIN_ORIGIN = 'https://login.e2e.tenant-atlas.invalid'
export const FAKE_CLIENT_ID = 'e2e00000-0000-4000-8000-0000000000e2'
export const FAKE_SECRET = 'e2e-fake-client-secret'
export const FAKE_AZURE_TENANT_ID = 'fabrikam-e2e.onmicrosoft.com'

export interface FakeTenantOptions {
  /** display name of the tenant the harness adds (default "Fabrikam") */
  name?: string
  /** false: do not add it (the test adds it through the UI with `fakes.tenantInput`) */
  add?: boolean
  /** Graph fake faults, e.g. a 429 with Retry-After on one type, a 403 with missing scopes */
  faults?: FaultRule[]
  /** delay before every Graph response (real time): a sync slow enough to cancel or reload mid-way */
  latencyMs?: number
  /** size and seed of the generated tenant (default 200 objects, seed 11) */
  size?: number
  seed?: number
  data?: FakeTenantData
  /** application permissions in the fake's tokens (default FAKE_DEFAULT_ROLES) */
  roles?: string[]
}

export interface FakeTenant {
  graph: GraphFake
  identity: IdentityFake
  /** the add-tenant input for the fake tenant (the form fields a test types) */
  tenantInput: AddTenantInput & { credential: { kind: 'secret'; value: string } }
  /** the tenant the harness added, unless `add: false` */
  tenant: TenantView | undefined
  /** lets another Azure tenant id / domain sign in with the fake app (for tenants added through the UI) */
  registerTenant(azureTenantId: string): void
}

export interface StartWebHostOptions {
  /** default: out/renderer, built when older than renderer/ sources */
  rendererDir?: string
  fakes?: FakeTenantOptions
  /** Retry-After seconds of the demo simulator's 429s (default 0: the demo does not throttle) */
  demoThrottleSeconds?: number
  token?: string
  atlas?: WebAtlasOptions['atlas']
}

export interface WebHostHandle {
  /** the page URL with the token in the fragment */
  url: string
  origin: string
  token: string
  dataDir: string
  exportDir: string
  web: WebAtlas
  fakes: FakeTenant | undefined
  close(): Promise<void>
}

/**
 * Builds what the host serves when its sources are newer than the build (renderer and bridge). Test files
 * run in parallel processes and may all find the build stale: one builds under a lock directory while the
 * others wait for it, so no process serves a half-written out/renderer.
 */
export function ensureWebBuilt(opts: { renderer?: boolean } = {}): void {
  withBuildLock(() => {
    if (opts.renderer !== false) {
      const error = ensureRendererBuilt(ROOT, join(ROOT, 'renderer'), DEFAULT_RENDERER_DIR)
      if (error) throw new Error(error)
    }
    const sources = [
      join(ROOT, 'main', 'web-host', 'web-bridge.ts'),
      join(ROOT, 'main', 'web-host', 'protocol.ts'),
      join(ROOT, 'preload', 'channel-names.ts')
    ]
    const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs))
    if (existsSync(DEFAULT_BRIDGE_FILE) && statSync(DEFAULT_BRIDGE_FILE).mtimeMs >= newest) return
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
    const config = join(ROOT, 'main', 'web-host', 'bridge.vite.config.ts')
    const res = spawnSync(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], {
      cwd: ROOT,
      encoding: 'utf8'
    })
    if (res.status !== 0)
      throw new Error(`web bridge build failed: ${(res.stderr || res.stdout).slice(-500)}`)
  })
}

const BUILD_LOCK = join(ROOT, 'out', '.web-build.lock')
/** a lock older than this was left by a killed process */
const STALE_LOCK_MS = 5 * 60_000

function withBuildLock(build: () => void): void {
  mkdirSync(join(ROOT, 'out'), { recursive: true })
  const deadline = Date.now() + STALE_LOCK_MS
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK)
      break
    } catch {
      const age = existsSync(BUILD_LOCK) ? Date.now() - statSync(BUILD_LOCK).mtimeMs : 0
      if (age > STALE_LOCK_MS || Date.now() > deadline) rmSync(BUILD_LOCK, { recursive: true, force: true })
      // a synchronous wait for the other process's build (this runs in test setup, not in a test)
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250)
    }
  }
  try {
    build()
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true })
  }
}

export async function startWebHost(opts: StartWebHostOptions = {}): Promise<WebHostHandle> {
  ensureWebBuilt({ renderer: opts.rendererDir === undefined })
  const dataDir = mkdtempSync(join(tmpdir(), 'atlas-web-'))
  let fakes: FakeTenant | undefined
  let graph: GraphFake | undefined
  let web: WebAtlas | undefined
  try {
    const identity = new IdentityFake()
    if (opts.fakes) {
      const f = opts.fakes
      graph = await startGraphFake({
        data: f.data ?? generateTenant({ seed: f.seed ?? 11, size: f.size ?? 200 }),
        budget: false,
        ...(f.latencyMs ? { latencyMs: f.latencyMs } : {})
      })
      for (const rule of f.faults ?? []) graph.script(rule)
    }
    const roles = opts.fakes?.roles ?? FAKE_DEFAULT_ROLES
    const registerTenant = (azureTenantId: string): void =>
      identity.registerApp({ tenant: azureTenantId, clientId: FAKE_CLIENT_ID, secret: FAKE_SECRET, roles })
    registerTenant(FAKE_AZURE_TENANT_ID)
    web = await startWebAtlas({
      dataDir,
      rendererDir: opts.rendererDir,
      token: opts.token,
      demoThrottleSeconds: opts.demoThrottleSeconds ?? 0,
      atlas: opts.atlas,
      ...(graph ? { graphRoutes: { [FAKE_GRAPH_ORIGIN]: graph.baseUrl }, msalNetwork: identity } : {})
    })
    if (graph && opts.fakes) {
      const tenantInput = {
        displayName: opts.fakes.name ?? 'Fabrikam',
        azureTenantId: FAKE_AZURE_TENANT_ID,
        clientId: FAKE_CLIENT_ID,
        cloud: 'custom' as const,
        authorityHost: FAKE_LOGIN_ORIGIN,
        graphEndpoint: FAKE_GRAPH_ORIGIN,
        credential: { kind: 'secret' as const, value: FAKE_SECRET }
      }
      const tenant = opts.fakes.add === false ? undefined : await web.api.addTenant(tenantInput)
      fakes = { graph, identity, tenantInput, tenant, registerTenant }
    }
  } catch (err) {
    await web?.close().catch(() => undefined)
    await graph?.close().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
  const host = web
  return {
    url: host.url,
    origin: host.origin,
    token: host.token,
    dataDir,
    exportDir: host.exportDir,
    web: host,
    fakes,
    async close() {
      await host.close()
      await graph?.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** Debian's Chromium (never a downloaded one), headless, with the flags this machine needs. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs it (apt)`)
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] })
}
