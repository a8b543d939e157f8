import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, type CliIo } from '../../main/cli/index'
import { startGraphFake, type GraphFake } from '../../main/demo/simulator/graph-fake'
import { IdentityFake } from '../../main/demo/simulator/identity-fake'
import { generateTenant, type FakeTenantData } from '../../main/demo/simulator/tenant-generator'

/** The https origins a custom-cloud test tenant is configured with; the transport maps them to fakes. */
export const GRAPH_ORIGIN = 'https://graph.cli.test'
export const LOGIN_ORIGIN = 'https://login.cli.test'
export const CLIENT_ID = '11111111-2222-3333-4444-555555555555'
export const SECRET = 'cli-test-secret-value'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON (throws when it is not exactly one document) */
  json<T = Record<string, unknown>>(): T
}

export interface CliWorld {
  dir: string
  graph: GraphFake
  identity: IdentityFake
  data: FakeTenantData
  /**
   * The environment the engine resolves `env:` credential refs from. create-atlas reads process.env (its
   * CredentialStore has no env seam), so this is process.env itself; variables set here are removed on close.
   */
  env: NodeJS.ProcessEnv
  /** runs one command in-process against the temp data dir, with the network routed to the fakes */
  run(argv: string[], extra?: Partial<CliIo>): Promise<CliRun>
  /** `tenants add` for a custom-cloud tenant on the fakes, with its secret in env var `SECRET_<n>` */
  addTenant(name: string, azureTenantId?: string): Promise<CliRun>
  close(): Promise<void>
}

/**
 * A temp data dir plus a Graph fake (loopback http) and an identity fake (MSAL network module), reached
 * through the https origins of a `custom` cloud exactly as the engine would reach a real national cloud.
 * The real MSAL token provider runs; nothing in the engine is replaced except the clock (auto-advancing,
 * so Retry-After waits cost no real time).
 */
export async function createCliWorld(opts: { data?: FakeTenantData; size?: number } = {}): Promise<CliWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-cli-'))
  const data = opts.data ?? generateTenant({ seed: 7, size: opts.size ?? 120 })
  const identity = new IdentityFake()
  const graph = await startGraphFake({ data, budget: false })
  const env = process.env
  const before = new Set(Object.keys(env))
  const world: CliWorld = {
    dir,
    graph,
    identity,
    data,
    env,
    run: (argv, extra = {}) =>
      runInProcess(['--data-dir', dir, ...argv], {
        env,
        graphRoutes: { [GRAPH_ORIGIN]: graph.baseUrl },
        msalNetwork: identity,
        demo: { throttleSeconds: 0 },
        ...extra
      }),
    async addTenant(name, azureTenantId = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.onmicrosoft.com`) {
      const variable = `SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
      env[variable] = SECRET
      identity.registerApp({ tenant: azureTenantId, clientId: CLIENT_ID, secret: SECRET })
      return world.run([
        'tenants',
        'add',
        '--tenant',
        name,
        '--tenant-id',
        azureTenantId,
        '--client-id',
        CLIENT_ID,
        '--client-secret-env',
        variable,
        '--cloud',
        'custom',
        '--authority-host',
        LOGIN_ORIGIN,
        '--graph-endpoint',
        GRAPH_ORIGIN
      ])
    },
    async close() {
      for (const key of Object.keys(env)) if (!before.has(key) && key.startsWith('SECRET_')) delete env[key] // also SECRET_PFX_PASS
      await graph.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return world
}

export async function runInProcess(argv: string[], io: Partial<CliIo> = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    isTTY: false,
    // never the process's SIGINT: tests interrupt through their own hook
    onInterrupt: () => () => undefined,
    ...io
  })
  return {
    code,
    stdout,
    stderr,
    json: <T>() => JSON.parse(stdout) as T
  }
}
