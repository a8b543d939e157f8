/**
 * One of the two processes of throttle-processes.test.ts: the real engine (createAtlas inline, real clock)
 * on the shared data dir, syncing one selection of the tenant against the parent's Graph fake with a small
 * request budget, then printing one JSON line: the run, when each request started (epoch ms, taken when the
 * engine hands it to fetch) and each Retry-After pause the engine learned of (when, and until when).
 *
 * Usage: node --import tsx test/integration/throttle-child.ts <dataDir> <fakeBaseUrl> <tenantId> <selectionJson> <maxRequests> <windowMs>
 */
import { createAtlas } from '../../main/app/create-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { routingFetch } from '../../main/net/routing-fetch'
import { FAKE_GRAPH_ORIGIN } from '../support/harness'
import { StaticTokenProvider } from '../support/static-token-provider'

const [dataDir, fakeBaseUrl, tenantId, selectionJson, maxRequests, windowMs] = process.argv.slice(2)
if (!dataDir || !fakeBaseUrl || !tenantId || !selectionJson || !maxRequests || !windowMs) {
  process.stderr.write(
    'usage: throttle-child.ts <dataDir> <fakeBaseUrl> <tenantId> <selection> <max> <windowMs>\n'
  )
  process.exit(2)
}
const starts: number[] = []
const pauses: Array<{ learnedAt: number; until: number }> = []
const toFake = routingFetch({ [FAKE_GRAPH_ORIGIN]: fakeBaseUrl })
const atlas = createAtlas({
  dataDir,
  secretStore: new MemorySecretStore(),
  tokenProvider: new StaticTokenProvider('throttle-token'),
  fetch: (url, init) => {
    starts.push(Date.now())
    return toFake(url, init)
  },
  graph: { pacing: { maxRequests: Number(maxRequests), windowMs: Number(windowMs) } }
})
atlas.onSyncEvent((e) => {
  if (e.kind === 'throttled') pauses.push({ learnedAt: Date.now(), until: Date.now() + e.waitSeconds * 1000 })
})
const { requestId } = atlas.startSync({
  tenantId,
  selection: JSON.parse(selectionJson) as unknown,
  trigger: 'test'
})
const run = await atlas.waitForSync(requestId)
process.stdout.write(`${JSON.stringify({ run, starts, pauses })}\n`)
await atlas.close()
