/**
 * Child-process entry: the Graph fake for the benchmarks, on REAL time (systemClock), so its latency is a
 * real 50 ms wait and its budget a real 1000 requests per 20 s. It runs in its own process because real
 * Graph is on another machine: serialising 100k items must not be billed to the engine's event loop (the
 * machine has 2 cores, one for each side).
 *
 * Protocol (process IPC): parent sends `start`, child answers `ready` with the base URL, the item count
 * of each collection and how many of them the registry keeps (`stored`); `stats` answers with what the
 * fake saw; `cpu` with the CPU time the child has used; `exit` ends the process.
 */
import { startGraphFake, type GraphFake } from '../../main/demo/simulator/graph-fake'
import type { FakeTenantData } from '../../main/demo/simulator/graph-catalog'
import { generateTenant, type TenantProfile } from '../../main/demo/simulator/tenant-generator'
import { systemClock } from '../../main/util/clock'
import { POLICY_TYPES, routeItem } from '../../main/graph/registry'

export interface DatasetSpec {
  seed: number
  size: number
  profile: TenantProfile
  /** keep only these collections (others are served empty) */
  paths?: string[]
}

export type ParentMessage =
  | {
      kind: 'start'
      dataset: DatasetSpec
      latencyMs: number
      budget: { maxRequests: number; windowMs: number }
    }
  | { kind: 'stats'; tenant?: string }
  | { kind: 'cpu' }
  | { kind: 'exit' }

export interface FakeStats {
  requests: number
  status429: number
  /** requests that arrived while a Retry-After the fake handed out was still running */
  violations: number
  statuses: Record<string, number>
}

export type ChildMessage =
  | {
      kind: 'ready'
      baseUrl: string
      counts: Record<string, number>
      /** items per collection that the registry stores (its `exclude` rules drop the others) */
      stored: Record<string, number>
    }
  | { kind: 'stats'; stats: FakeStats }
  /** CPU time this process has used so far (user + system, all threads), ms */
  | { kind: 'cpu'; ms: number }
  | { kind: 'error'; message: string }

function buildData(spec: DatasetSpec): FakeTenantData {
  const all = generateTenant({ seed: spec.seed, size: spec.size, profile: spec.profile })
  if (!spec.paths) return all
  const keep = new Set(spec.paths)
  return Object.fromEntries(Object.entries(all).map(([path, items]) => [path, keep.has(path) ? items : []]))
}

let fake: GraphFake | undefined

function send(msg: ChildMessage): void {
  process.send?.(msg)
}

process.on('message', (raw: unknown) => {
  const msg = raw as ParentMessage
  void (async () => {
    try {
      if (msg.kind === 'start') {
        const data = buildData(msg.dataset)
        fake = await startGraphFake({
          // every engine of the bench uses its own tenant key (see bench-engine.ts): same data for all
          data: () => data,
          clock: systemClock,
          latencyMs: msg.latencyMs,
          budget: msg.budget,
          maxRecordedRequests: 1_000_000,
          // real Graph serialises on Microsoft's machines, not on the 2 cores the client under test runs
          // on: each page's items are serialised once, then the same bytes are sent to every engine
          cachePages: true
        })
        const counts = Object.fromEntries(Object.entries(data).map(([p, items]) => [p, items.length]))
        const stored = Object.fromEntries(
          Object.entries(data).map(([p, items]) => {
            const types = POLICY_TYPES.filter((t) => t.path === p)
            return [p, items.filter((item) => routeItem(types, item) !== undefined).length]
          })
        )
        send({ kind: 'ready', baseUrl: fake.baseUrl, counts, stored })
      } else if (msg.kind === 'stats') {
        const requests = (fake?.requests ?? []).filter((r) => !msg.tenant || r.tenant === msg.tenant)
        const statuses: Record<string, number> = {}
        for (const r of requests) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1
        send({
          kind: 'stats',
          stats: {
            requests: requests.length,
            status429: requests.filter((r) => r.status === 429).length,
            violations: (fake?.violations ?? []).filter((v) => !msg.tenant || v.tenant === msg.tenant).length,
            statuses
          }
        })
      } else if (msg.kind === 'cpu') {
        const used = process.cpuUsage()
        send({ kind: 'cpu', ms: (used.user + used.system) / 1000 })
      } else if (msg.kind === 'exit') {
        await fake?.close()
        process.exit(0)
      }
    } catch (err) {
      send({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) })
    }
  })()
})

// the parent died without saying goodbye: do not linger
process.on('disconnect', () => process.exit(0))
