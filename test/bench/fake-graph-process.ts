import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { DEFAULT_BUDGET } from '../../main/demo/simulator/graph-fake'
import type { ChildMessage, DatasetSpec, FakeStats, ParentMessage } from './fake-graph-child'

export interface FakeGraphProcess {
  baseUrl: string
  /** items per collection path, as served */
  counts: Record<string, number>
  /** items per collection path that the registry stores (served minus what its `exclude` rules drop) */
  stored: Record<string, number>
  stats(tenant?: string): Promise<FakeStats>
  /** CPU time the fake's process has used so far, ms (differences tell what serving a phase cost) */
  cpuMs(): Promise<number>
  close(): Promise<void>
}

const CHILD = fileURLToPath(new URL('./fake-graph-child.ts', import.meta.url))

/** Starts the Graph fake in a child process (see fake-graph-child.ts for why) and waits until it listens. */
export async function startFakeGraphProcess(opts: {
  dataset: DatasetSpec
  latencyMs: number
  budget?: { maxRequests: number; windowMs: number }
}): Promise<FakeGraphProcess> {
  // tsx in the child too: the fake is TypeScript
  const child: ChildProcess = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const pending: Array<{ resolve: (m: ChildMessage) => void; reject: (e: Error) => void }> = []
  child.on('message', (m: unknown) => {
    const msg = m as ChildMessage
    const call = pending.shift()
    if (msg.kind === 'error') call?.reject(new Error(`fake Graph child failed: ${msg.message}`))
    else call?.resolve(msg)
  })
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      // a crashed child must fail the benchmark, not leave it waiting forever
      for (const call of pending.splice(0)) call.reject(new Error(`fake Graph child exited (${code})`))
      resolve()
    })
  )
  const request = (msg: ParentMessage): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      pending.push({ resolve, reject })
      child.send(msg)
    })

  const ready = await request({
    kind: 'start',
    dataset: opts.dataset,
    latencyMs: opts.latencyMs,
    budget: opts.budget ?? DEFAULT_BUDGET
  })
  if (ready.kind !== 'ready') throw new Error(`fake Graph child answered ${ready.kind}`)
  return {
    baseUrl: ready.baseUrl,
    counts: ready.counts,
    stored: ready.stored,
    async stats(tenant) {
      const reply = await request({ kind: 'stats', tenant })
      if (reply.kind !== 'stats') throw new Error(`fake Graph child answered ${reply.kind}`)
      return reply.stats
    },
    async cpuMs() {
      const reply = await request({ kind: 'cpu' })
      if (reply.kind !== 'cpu') throw new Error(`fake Graph child answered ${reply.kind}`)
      return reply.ms
    },
    async close() {
      if (child.exitCode === null && child.connected) child.send({ kind: 'exit' } satisfies ParentMessage)
      const timer = setTimeout(() => child.kill(), 5000)
      await exited
      clearTimeout(timer)
    }
  }
}
