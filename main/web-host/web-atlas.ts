import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { INetworkModule } from '@azure/msal-node'
import type { DemoOutcome } from '../../preload/contract'
import type { AtlasApi } from '../app/atlas-api'
import { createAtlas, type AtlasInternals, type CreateAtlasOptions } from '../app/create-atlas'
import { MemorySecretStore } from '../auth/secret-store'
import { createDemoEnvironment, startDemo, type DemoEnvironment } from '../demo/demo-tenant'
import { createDispatch } from '../ipc/dispatch'
import { createHandlers, forwardSyncEvents } from '../ipc/handlers'
import type { Logger } from '../util/logger'
import { silentLogger } from '../util/logger'
import { nextFreePath } from './export-path'
import { startWebServer, type WebServer } from './server'

/**
 * The desktop app's main process without Electron: the real engine (createAtlas, sync worker, SQLite in
 * `dataDir`, the demo tenant) behind the same handlers and dispatch as IPC, served to a browser tab by
 * server.ts. Only the Electron-only edges differ, each injected here:
 * - the vault: no OS keyring is reachable from a plain Node process, so credentials stay in memory and
 *   appStatus carries the warning the app shows when its keyring is unavailable;
 * - the save dialog: exports go to a fixed folder (`exportDir`) under the name the dialog would propose,
 *   never overwriting a file;
 * - the sender check: the per-start token and the Host/Origin checks of server.ts.
 * Nothing in main/index.ts imports this folder, so the packaged app never contains it.
 */

export const WEB_VAULT_WARNING =
  'No system keyring is available to the web host (npm run web), so credentials are kept in memory only and must be entered again after a restart.'

export interface WebAtlasOptions {
  dataDir: string
  /** default <dataDir>/exports */
  exportDir?: string
  port?: number
  /** built renderer; default out/renderer of this checkout */
  rendererDir?: string
  /** built bridge script; default out/web-host/web-bridge.js of this checkout */
  bridgeFile?: string
  logger?: Logger
  /** token for the page (tests of refusals); default random per start */
  token?: string
  /** Graph origin → loopback base URL for tenants other than the demo (tests route custom clouds to fakes) */
  graphRoutes?: Record<string, string>
  msalNetwork?: INetworkModule
  /** Retry-After seconds of the demo simulator's 429s (0: none, fast tests) */
  demoThrottleSeconds?: number
  /** extra createAtlas options (tests: limits, sync tuning) */
  atlas?: Partial<Pick<CreateAtlasOptions, 'limits' | 'sync' | 'graph'>>
}

export interface WebAtlas {
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly dataDir: string
  readonly exportDir: string
  readonly api: AtlasApi & AtlasInternals
  readonly demo: DemoEnvironment
  readonly server: WebServer
  close(): Promise<void>
}

const CHECKOUT = resolve(import.meta.dirname, '..', '..')
export const DEFAULT_RENDERER_DIR = join(CHECKOUT, 'out', 'renderer')
export const DEFAULT_BRIDGE_FILE = join(CHECKOUT, 'out', 'web-host', 'web-bridge.js')

export async function startWebAtlas(opts: WebAtlasOptions): Promise<WebAtlas> {
  const logger = opts.logger ?? silentLogger
  const dataDir = resolve(opts.dataDir)
  const exportDir = resolve(opts.exportDir ?? join(dataDir, 'exports'))
  const bridgeFile = opts.bridgeFile ?? DEFAULT_BRIDGE_FILE
  if (!existsSync(bridgeFile)) {
    throw new Error(
      `No built web bridge at ${bridgeFile}: run \`npm run build:web\` first (npm run web does).`
    )
  }
  mkdirSync(dataDir, { recursive: true })

  const vault = Object.assign(new MemorySecretStore(), { warning: WEB_VAULT_WARNING })
  const demo = createDemoEnvironment({
    vault,
    fallbackMsalNetwork: opts.msalNetwork,
    throttleSeconds: opts.demoThrottleSeconds
  })
  const api = createAtlas({
    dataDir,
    secretStore: demo.secretStore,
    msalNetwork: demo.msalNetwork,
    logger,
    ...opts.atlas,
    // as in the desktop app: pages fetched, parsed and stored on the worker, the demo on its loopback route
    syncThread: {
      kind: 'worker',
      routes: async () => ({ ...opts.graphRoutes, ...(await demo.graphRoutes()) })
    }
  })
  demo.attach(api)
  let server: WebServer | undefined
  let stopEvents: (() => void) | undefined
  try {
    await api.syncEngineReady()
    const exploreDemo = async (): Promise<DemoOutcome> => {
      const handle = await startDemo(api)
      // the summary is for the CLI; the page follows the run through events and runs:get
      handle.done.catch(() => undefined)
      return { tenantId: handle.tenant.id, requestId: handle.requestId }
    }
    const chooseSavePath = async (suggestedName: string): Promise<string> => {
      mkdirSync(exportDir, { recursive: true })
      return nextFreePath(exportDir, suggestedName)
    }
    const dispatch = createDispatch({
      handlers: createHandlers({ api, exploreDemo, chooseSavePath }),
      logger
    })
    server = await startWebServer({
      dispatch,
      rendererDir: opts.rendererDir ?? DEFAULT_RENDERER_DIR,
      bridgeScript: readFileSync(bridgeFile, 'utf8'),
      port: opts.port,
      token: opts.token,
      logger
    })
    const web = server
    stopEvents = forwardSyncEvents(
      api,
      () => [{ isDestroyed: () => false, send: (channel, payload) => web.push(channel, payload) }],
      { logger }
    )
  } catch (err) {
    await api.close().catch(() => undefined)
    await demo.close().catch(() => undefined)
    throw err
  }
  const web = server
  let closing: Promise<void> | undefined
  return {
    url: web.url,
    origin: web.origin,
    token: web.token,
    dataDir,
    exportDir,
    api,
    demo,
    server: web,
    close: () =>
      (closing ??= (async () => {
        stopEvents?.()
        await web.close()
        await api.close()
        await demo.close()
      })())
  }
}
