/**
 * The process the crash suite kills. It runs the real engine (createAtlas on a data dir, real clock, real
 * SQLite file) against the Graph fake that the parent serves on loopback, and reports on stdout, one JSON
 * line each: the run it started, every page the engine reported as stored (after the commit), and the end.
 * stdout to a pipe is synchronous on Linux, so a line the parent reads was written before the kill.
 *
 * Usage: node <this file bundled> <dataDir> <fakePort> <tenantId> <selectionJson> [dieAt]
 * (the suite runs the bundle test/support/built-app.ts makes; `node --import tsx test/crash/child.ts` works
 * too). Env CRASH_ENGINE=worker runs the sync on the worker thread, CRASH_WORKER_ENTRY names its script
 * (the suite passes the built out/main/sync-worker.js, which a bundled child needs).
 * With `dieAt` = N the child SIGKILLs itself just before its N-th SQLite statement: a kill point placed by
 * counting work, not by timers, so it lands anywhere (inside a page transaction too) and repeats exactly.
 * After the run ends it stays alive: only a SIGKILL ends it, so every kill point is reachable.
 */
import Database from 'better-sqlite3'
import { createAtlas } from '../../main/app/create-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { routingFetch } from '../../main/net/routing-fetch'
import { StaticTokenProvider } from '../support/static-token-provider'
import { CRASH_GRAPH_ORIGIN, type ChildLine } from './protocol'

const [dataDir, port, tenantId, selectionJson, dieAtArg] = process.argv.slice(2)
if (!dataDir || !port || !tenantId || !selectionJson) {
  process.stderr.write('usage: child.ts <dataDir> <fakePort> <tenantId> <selectionJson>\n')
  process.exit(2)
}

let statements = 0
const dieAt = dieAtArg ? Number(dieAtArg) : Infinity
countStatements(() => {
  statements++
  if (statements >= dieAt) process.kill(process.pid, 'SIGKILL')
})

/** Calls `step` before every statement better-sqlite3 executes (prepared statements, exec, pragma). */
function countStatements(step: () => void): void {
  const probe = new Database(':memory:')
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>
  probe.close()
  const wrap = (proto: Record<string, unknown>, methods: string[]): void => {
    for (const name of methods) {
      const original = proto[name] as (...args: unknown[]) => unknown
      proto[name] = function (this: unknown, ...args: unknown[]) {
        step()
        return original.apply(this, args)
      }
    }
  }
  wrap(statementProto, ['run', 'get', 'all', 'iterate'])
  wrap(Database.prototype as unknown as Record<string, unknown>, ['exec', 'pragma'])
}

const say = (line: ChildLine): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

const graphUrl = `http://127.0.0.1:${port}`
const atlas = createAtlas({
  dataDir,
  secretStore: new MemorySecretStore(),
  tokenProvider: new StaticTokenProvider('crash-token'),
  // CRASH_ENGINE=worker: the engine on the sync worker thread, as the desktop app and the CLI run it (the
  // statement counter above sees only this thread's SQLite, so the parent kills it at page boundaries)
  ...(process.env.CRASH_ENGINE === 'worker'
    ? {
        syncThread: {
          kind: 'worker' as const,
          entry: process.env.CRASH_WORKER_ENTRY || undefined,
          routes: { [CRASH_GRAPH_ORIGIN]: graphUrl }
        }
      }
    : { fetch: routingFetch({ [CRASH_GRAPH_ORIGIN]: graphUrl }) })
})
say({ kind: 'ready', pid: process.pid })
atlas.onSyncEvent((e) => {
  if (e.kind === 'started') say({ kind: 'started', runId: e.runId, statements })
  else if (e.kind === 'page_stored') {
    say({
      kind: 'page',
      runId: e.runId,
      policyTypes: e.policyTypes,
      pageIndex: e.pageIndex,
      items: e.items,
      runObserved: e.runObserved
    })
  } else if (e.kind === 'finished') say({ kind: 'finished', runId: e.runId, status: e.status, statements })
})
const { requestId } = atlas.startSync({ tenantId, selection: JSON.parse(selectionJson), trigger: 'test' })
await atlas.waitForSync(requestId)
// keep the event loop alive until the parent kills us
setInterval(() => undefined, 1 << 30)
