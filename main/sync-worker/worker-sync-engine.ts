/**
 * The API thread's side of the sync worker: the same start / cancel / activeSyncs surface as SyncService,
 * with the engine running on a worker thread (worker-main.ts). The selection arrives validated (AtlasApi
 * normalises it once); an unknown tenant still throws here, synchronously, recording nothing. If the
 * worker dies, a new worker closes its runs as ABANDONED (the same recovery as after a process crash, done
 * by the engine that owns it) and the waiters are answered with the runs as stored.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { TokenProvider } from '../auth/token-provider'
import { AtlasError } from '../../domain/error-codes'
import { runSummarySchema, type RunSummary } from '../../domain/run'
import { ActiveSyncs, type ActiveSyncView } from '../inventory/active-syncs'
import type { LockOwner } from '../../db/repositories/locks-repo'
import { markInstanceLive, newLockOwner } from '../inventory/lock-owner'
import { finishedEvent, type SyncEvent } from '../inventory/sync-events'
import type { SyncEngine } from '../inventory/sync-engine'
import type { SyncHandle, SyncRequest } from '../inventory/sync-service'
import { connectionReportSchema, type ConnectionReport } from '../tenants/preflight'
import type { Logger } from '../util/logger'
import { redactDeep } from '../util/redact'
import { answerWith, PendingCalls, serializeError } from './thread-calls'
import {
  receiveFromWorker,
  WORKER_MARKER,
  type FromWorker,
  type ToWorker,
  type GraphRoutes,
  type WorkerConfig
} from './protocol'

export interface WorkerSyncEngineDeps {
  /** worker script: out/main/sync-worker.js in the desktop build, dev-entry.mjs in the source tree */
  entry: string | URL
  config: Omit<WorkerConfig, 'owner' | 'entry' | 'lostInstances' | 'routes'>
  /** a function is called as each worker starts: the demo starts its simulator's loopback server then */
  routes: GraphRoutes | (() => Promise<GraphRoutes>)
  tokens: TokenProvider
  tenantExists: (tenantId: string) => boolean
  newId: () => string
  emit: (event: SyncEvent) => void
  logger: Logger
  /** the stored run, to answer a waiter whose worker died */
  getRun: (runId: number) => RunSummary | undefined
}

interface Pending extends ActiveSyncView {
  /** the 'start' call the worker answers with the run */
  callId: number
  done: Promise<RunSummary>
}

interface LiveWorker {
  /**
   * the worker once made (only when its routes are known: the demo's), or undefined when it could
   * not be; messages wait for it
   */
  spawned: Promise<Worker | undefined>
  instance: string
  /** settles when the worker and its page writer thread have loaded, or the worker has died trying */
  ready: Promise<void>
  onReady: (err?: Error) => void
  /** the worker loaded, opened its database and closed the runs of lost workers */
  started?: boolean
  closed?: () => void
}

export class WorkerSyncEngine implements SyncEngine {
  private readonly pending = new ActiveSyncs<Pending>()
  /** runs and connection tests, answered by the worker */
  private readonly calls = new PendingCalls()
  private live: LiveWorker | undefined
  /** workers of this engine that died: their locks are dead, whatever the lease says */
  private readonly lostInstances: string[] = []
  private closing = false
  /** set once the close handshake begins: the worker's exit after it is expected */
  private stopping = false

  constructor(private readonly deps: WorkerSyncEngineDeps) {}

  start(req: SyncRequest): SyncHandle {
    if (this.closing) throw new AtlasError('INVALID_INPUT', 'The engine is shutting down.')
    if (!this.deps.tenantExists(req.tenantId))
      throw new AtlasError('NOT_FOUND', `No tenant with id ${req.tenantId}`)
    const requestId = this.deps.newId()
    const { tenantId, selection, trigger } = req
    const { callId, result } = this.calls.open('start', runSummarySchema)
    // a run is active until answered: its waiters see it gone
    const done = result.finally(() => this.pending.remove(requestId))
    this.pending.add({ requestId, tenantId, callId, done })
    this.post({ t: 'start', callId, requestId, tenantId, selection, trigger })
    return { requestId, tenantId, done }
  }

  cancel(id: string | number): boolean {
    const p = this.pending.find(id)
    if (p) this.post({ t: 'cancel', requestId: p.requestId })
    return p !== undefined
  }

  testConnection(input: { tenantId: string; policyTypes?: string[] }): Promise<ConnectionReport> {
    if (this.closing) return Promise.reject(new AtlasError('INVALID_INPUT', 'The engine is shutting down.'))
    const { callId, result } = this.calls.open('test-connection', connectionReportSchema)
    this.post({ t: 'test-connection', callId, tenantId: input.tenantId, policyTypes: input.policyTypes })
    // redacted here: only this thread knows the registered secret values
    return result.then((report) => redactDeep(report))
  }

  /** The worker drops what it keeps of a tenant (its token); nothing to do when no worker runs. */
  forgetTenant(tenantKey: string): void {
    if (this.live) send(this.live, { t: 'forget-tenant', tenantKey })
  }

  activeSyncs(): ActiveSyncView[] {
    return this.pending.list()
  }

  /** Cancels what runs, waits for the runs to be recorded, then stops the worker. */
  async close(): Promise<void> {
    this.closing = true
    const running = this.pending.all()
    for (const p of running) this.post({ t: 'cancel', requestId: p.requestId })
    await Promise.allSettled(running.map((p) => p.done))
    const live = this.live
    if (!live) return
    this.stopping = true
    const worker = await live.spawned
    if (worker) {
      const closed = new Promise<void>((resolve) => (live.closed = resolve))
      worker.postMessage({ t: 'close' } satisfies ToWorker)
      await Promise.race([closed, new Promise((resolve) => worker.once('exit', resolve))])
      await worker.terminate()
    }
    this.live = undefined
    markInstanceLive(live.instance, false)
  }

  /**
   * Starts the worker now instead of at the first sync (the desktop app does it at launch, so the first
   * click does not wait for the worker to load). Rejects when the worker cannot start.
   */
  ready(): Promise<void> {
    return this.closing ? Promise.resolve() : this.ensureWorker().ready
  }

  /** Stops the worker at once, as a crash would (no close handshake): its runs are recovered as lost. */
  async terminate(): Promise<void> {
    await (await this.live?.spawned)?.terminate()
  }

  private post(msg: ToWorker): void {
    send(this.ensureWorker(), msg)
  }

  private ensureWorker(): LiveWorker {
    if (this.live) return this.live
    const owner = newLockOwner()
    markInstanceLive(owner.instance, true)
    let onReady!: (err?: Error) => void
    const ready = new Promise<void>((resolve, reject) => {
      onReady = (err) => (err ? reject(err) : resolve())
    })
    ready.catch(() => undefined) // also reported through the runs it fails
    const live: LiveWorker = { spawned: Promise.resolve(undefined), instance: owner.instance, ready, onReady }
    this.live = live
    const { routes } = this.deps
    live.spawned = new Promise<GraphRoutes>((resolve) =>
      resolve(typeof routes === 'function' ? routes() : routes)
    )
      .then((r) => this.spawn(live, owner, r))
      .catch((err: unknown) => {
        // as if the worker had died starting: its waiters are answered, the next sync tries again
        this.deps.logger.error({ err: String(err) }, 'the sync worker could not start')
        this.onExit(live)
        return undefined
      })
    return live
  }

  private spawn(live: LiveWorker, owner: LockOwner, routes: GraphRoutes): Worker {
    const entry = this.deps.entry instanceof URL ? fileURLToPath(this.deps.entry) : this.deps.entry
    const lostInstances = [...this.lostInstances]
    const config: WorkerConfig = { ...this.deps.config, routes, owner, entry, lostInstances }
    const worker = new Worker(entry, { workerData: { marker: WORKER_MARKER, role: 'engine', config } })
    worker.on('message', (raw: unknown) =>
      receiveFromWorker(raw, {
        handle: (msg) => this.onMessage(live, msg),
        reply: (msg) => worker.postMessage(msg),
        logger: this.deps.logger
      })
    )
    worker.on('error', (err) => this.deps.logger.error({ err: String(err) }, 'sync worker failed'))
    worker.on('exit', () => this.onExit(live))
    return worker
  }

  private onMessage(live: LiveWorker, msg: FromWorker): void {
    const { deps } = this
    switch (msg.t) {
      case 'ready':
        live.started = true
        live.onReady()
        return
      case 'event': {
        const e = msg.event
        const p = this.pending.get(e.requestId)
        if (p && 'runId' in e) p.runId = e.runId
        deps.emit(e)
        return
      }
      case 'answer':
        return this.calls.settle(msg)
      case 'token':
        return answerWith(
          msg.callId,
          () => deps.tokens.getToken(msg.cfg, msg.opts),
          (a) => send(live, a)
        )
      case 'log':
        deps.logger[msg.level](msg.obj, msg.msg)
        return
      case 'closed':
        live.closed?.()
        return
    }
  }

  /** The worker stopped. Unless we closed it, its runs are closed as ABANDONED and their waiters answered. */
  private onExit(live: LiveWorker): void {
    live.onReady(new AtlasError('INTERNAL', 'The sync worker stopped while starting.'))
    markInstanceLive(live.instance, false)
    const waiters = this.pending.all()
    // a connection test fails now; a run is answered once it is closed (below)
    const lost = new AtlasError('INTERNAL', 'The sync engine stopped during the connection test.')
    this.calls.rejectAll(lost, new Set(waiters.map((p) => p.callId)))
    if (this.live !== live || this.stopping) return // closed on purpose
    this.live = undefined
    this.lostInstances.push(live.instance)
    this.deps.logger.error({ active: waiters.length }, 'sync worker stopped unexpectedly')
    if (waiters.length === 0) return // the next worker closes the lost one's runs when it starts
    // the engine owns recovery: a new worker closes the lost one's runs as it starts (a worker that never
    // started ran nothing), then each waiter is answered with its run as stored
    const recovered = live.started ? this.ensureWorker().ready : Promise.resolve()
    void recovered
      .catch((err: unknown) =>
        this.deps.logger.error({ err: String(err) }, 'no sync worker to close the lost runs')
      )
      .then(() => this.answerLost(waiters))
  }

  /** Waiters of a worker that died get their run as stored (closed ABANDONED), or an error without one. */
  private answerLost(waiters: Pending[]): void {
    for (const p of waiters) {
      if (!this.pending.get(p.requestId)) continue // answered meanwhile
      const run = p.runId !== undefined ? this.deps.getRun(p.runId) : undefined
      if (run) this.deps.emit(finishedEvent(p.requestId, run))
      const unrecorded = new AtlasError('INTERNAL', 'The sync engine stopped before the run was recorded.')
      this.calls.settle(
        run ? { callId: p.callId, value: run } : { callId: p.callId, error: serializeError(unrecorded) }
      )
    }
  }
}

/** To the worker as soon as it is made, in the order sent. */
function send(live: LiveWorker, msg: ToWorker): void {
  void live.spawned.then((worker) => worker?.postMessage(msg))
}
