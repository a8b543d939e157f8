import type { INetworkModule } from '@azure/msal-node'
import type { AtlasApi } from '../app/atlas-api'
import type { CreateAtlasOptions } from '../app/create-atlas'
import type { DemoEnvironment } from '../demo/demo-tenant'
import type * as EngineModule from './engine'
import type { OutStream } from './output'

/** The engine modules (engine.ts), loaded once a command runs */
export type CliEngine = typeof EngineModule

/** The process edges a CLI run uses: real streams and env in production, buffers and fakes in tests. */
export interface CliIo {
  stdout: OutStream
  stderr: OutStream
  env: Readonly<Record<string, string | undefined>>
  /** stderr is a terminal: draw the progress bar instead of plain lines */
  isTTY: boolean
  /** terminal width for the progress line */
  columns?: number
  /** builds the engine (tests wrap it to route the network to fakes); default main/app/create-atlas */
  createAtlas?: (opts: CreateAtlasOptions) => AtlasApi
  /**
   * Subscribes to Ctrl-C; returns the unsubscribe function. Default: process SIGINT. Tests pass their own
   * to interrupt a sync deterministically.
   */
  onInterrupt?: (handler: () => void) => () => void
  /** demo simulator tuning (tests turn the real-time throttling off) */
  demo?: { throttleSeconds?: number }
  /** Graph origin → loopback base URL for other tenants (tests route custom clouds to their fakes) */
  graphRoutes?: Record<string, string>
  msalNetwork?: INetworkModule
  /** the sync worker's script: the built CLI passes out/main/sync-worker.js; default the source entry */
  syncWorkerEntry?: string | URL
}

export interface GlobalFlags {
  dataDir: string
  json: boolean
}

/**
 * One engine per CLI invocation, opened on first use and always closed (the SQLite handle, the lock
 * heartbeat, the demo simulator's socket), so a command that fails early still exits promptly.
 */
export class CliContext {
  private atlasInstance: AtlasApi | undefined
  private demoEnv: DemoEnvironment | undefined

  constructor(
    readonly io: CliIo,
    readonly flags: GlobalFlags,
    readonly engine: CliEngine
  ) {}

  get json(): boolean {
    return this.flags.json
  }

  atlas(): AtlasApi {
    if (this.atlasInstance) return this.atlasInstance
    // Every CLI engine can sync the Demo tenant: its origins are routed to the in-process simulator, all
    // other tenants go to the network untouched. The CLI has no OS vault: secrets come from env vars or
    // certificate files (refs), so the session-only memory store is enough.
    const { createDemoEnvironment, MemorySecretStore } = this.engine
    const demo = createDemoEnvironment({
      vault: new MemorySecretStore(),
      fallbackMsalNetwork: this.io.msalNetwork,
      throttleSeconds: this.io.demo?.throttleSeconds
    })
    const create = this.io.createAtlas ?? this.engine.createAtlas
    const atlas = create({
      dataDir: this.flags.dataDir,
      secretStore: demo.secretStore,
      msalNetwork: demo.msalNetwork,
      env: this.io.env,
      notice: (message) => this.io.stderr.write(`${message}\n`),
      // pages are fetched, parsed and stored on a worker thread: progress output and Ctrl+C stay prompt.
      // The Demo tenant's origin goes to the simulator's loopback server, started with the worker.
      syncThread: {
        kind: 'worker',
        entry: this.io.syncWorkerEntry,
        routes: async () => ({ ...this.io.graphRoutes, ...(await demo.graphRoutes()) })
      }
    })
    demo.attach(atlas)
    this.demoEnv = demo
    this.atlasInstance = atlas
    return atlas
  }

  async close(): Promise<void> {
    const atlas = this.atlasInstance
    this.atlasInstance = undefined
    await atlas?.close()
    await this.demoEnv?.close()
  }
}

/**
 * Wraps a command body: the runner in index.ts opens the engine, maps errors to exit codes and closes
 * everything. Bodies receive commander's parsed options (merged with the global ones) and positional args.
 */
export type Action = (
  // commander's options are untyped; each body declares the flag shape it registered
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: (ctx: CliContext, flags: any, ...args: any[]) => Promise<number> | number
) => (...commanderArgs: unknown[]) => Promise<void>
