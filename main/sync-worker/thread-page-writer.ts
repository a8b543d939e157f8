/**
 * Page commits on a thread of their own (spawned by the sync worker). Why: a commit of a 1000-item page
 * takes tens of milliseconds of synchronous SQLite work; on the thread that also receives Graph responses
 * it delays the next request of every other page chain, and the sync misses its goal against the ideal
 * bound (docs/benchmarks.md, "Does each thread boundary pay for itself?"). The commit stays one transaction
 * (the writer calls InventoryRepo.writePage), and the engine awaits it before it counts or reports the page.
 */
import { Worker } from 'node:worker_threads'
import { z } from 'zod'
import type { PageWrite } from '../../db/repositories/inventory-repo'
import { AtlasError } from '../../domain/error-codes'
import type { PageWriter } from '../inventory/collection-reader'
import { PendingCalls, type Answer } from './thread-calls'
import { WORKER_MARKER } from './protocol'

export type ToWriter = { t: 'write'; callId: number; page: PageWrite } | { t: 'close' }
export type FromWriter = { t: 'ready' } | Answer | { t: 'closed' }

// A commit's answer is checked as every answer is (PendingCalls); the page sent is not: it is the engine's
// own data, checked as it was built, and a schema over every item of every page would cost the sync CPU.
const writtenSchema = z.object({ upserted: z.int().nonnegative() })

interface Live {
  worker: Worker
  /** settles once the writer has opened its connection (or has stopped trying) */
  ready: Promise<void>
  commits: PendingCalls
}

export class ThreadPageWriter implements PageWriter {
  private live: Live | undefined
  private closing = false

  constructor(
    private readonly entry: string,
    private readonly databaseFile: string
  ) {}

  write(page: PageWrite): Promise<{ upserted: number }> {
    if (this.closing) return Promise.reject(new AtlasError('INTERNAL', 'The page writer is closing.'))
    const live = this.ensure()
    const { callId, result } = live.commits.open('write', writtenSchema)
    live.worker.postMessage({ t: 'write', callId, page } satisfies ToWriter)
    return result
  }

  /** Starts the writer now (with the sync worker), so no sync pays for loading it. */
  ready(): Promise<void> {
    return this.ensure().ready
  }

  /** After the runs ended: lets the writer close its connection, then stops it. */
  async close(): Promise<void> {
    this.closing = true
    const live = this.live
    this.live = undefined
    if (!live) return
    const closed = new Promise<void>((resolve) => {
      live.worker.on('message', (m: FromWriter) => m.t === 'closed' && resolve())
      live.worker.once('exit', () => resolve())
    })
    live.worker.postMessage({ t: 'close' } satisfies ToWriter)
    await closed
    await live.worker.terminate()
  }

  private ensure(): Live {
    if (this.live) return this.live
    const worker = new Worker(this.entry, {
      workerData: { marker: WORKER_MARKER, role: 'page-writer', databaseFile: this.databaseFile }
    })
    let settleReady!: () => void
    const ready = new Promise<void>((resolve) => (settleReady = resolve))
    const live: Live = { worker, ready, commits: new PendingCalls() }
    worker.on('message', (m: FromWriter) => {
      if (m.t === 'ready') settleReady()
      else if (m.t === 'answer') live.commits.settle(m)
    })
    // an error event is followed by exit: the pending commits are failed there
    worker.on('error', () => undefined)
    worker.on('exit', () => {
      settleReady()
      if (this.live === live) this.live = undefined // the next write starts a new writer
      live.commits.rejectAll(
        new AtlasError('INTERNAL', 'The page writer stopped before the page was committed.')
      )
    })
    this.live = live
    return live
  }
}
