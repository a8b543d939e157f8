/**
 * The sync worker thread: runs the whole sync engine (Graph requests, JSON parsing, normalising, page
 * transactions) on its own thread and database connection, so the thread that answers the UI and the CLI
 * never waits for a page. Tokens come from the API thread (relayed-tokens.ts); events and log lines go
 * back to it. Built as its own entry (out/main/sync-worker.js); in the source tree dev-entry.mjs loads it.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { z } from 'zod'
import { openDatabase } from '../../db/client'
import { routingFetch } from '../net/routing-fetch'
import { ownerAliveCheck } from '../inventory/lock-owner'
import { wireEngine } from '../inventory/sync-wiring'
import { systemClock } from '../util/clock'
import type { Logger } from '../util/logger'
import { InventoryRepo } from '../../db/repositories/inventory-repo'
import { answerWith, PendingCalls } from './thread-calls'
import { ThreadPageWriter, type FromWriter, type ToWriter } from './thread-page-writer'
import { RelayedTokens } from './relayed-tokens'
import { receiveToWorker, WORKER_MARKER, type FromWorker, type ToWorker, type WorkerConfig } from './protocol'

export function runSyncWorker(port: MessagePort, config: WorkerConfig): void {
  const post = (msg: FromWorker): void => port.postMessage(msg)
  const db = openDatabase({ file: config.databaseFile })
  const tokenCalls = new PendingCalls()

  const tokens = new RelayedTokens(
    (cfg, opts) => {
      const { callId, result } = tokenCalls.open('token', z.string())
      post({ t: 'token', callId, cfg, opts })
      return result
    },
    () => systemClock.now()
  )
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (obj: Record<string, unknown>, msg?: string): void =>
      post({ t: 'log', level, obj, ...(msg !== undefined ? { msg } : {}) })
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }

  const pageWriter = new ThreadPageWriter(config.entry, config.databaseFile)
  const engine = wireEngine({
    pageWriter,
    db,
    owner: config.owner,
    // a lock of another engine in this process: dead if it was one of this engine's lost workers; of any
    // other engine here (the API thread's registry is not visible from this thread) only the lease can say
    isOwnerAlive: ownerAliveCheck((instance) => !config.lostInstances.includes(instance)),
    fetch: routingFetch(config.routes),
    tokens,
    clock: systemClock,
    random: Math.random,
    logger,
    limits: config.limits,
    sync: config.sync,
    graph: config.graph,
    emit: (event) => post({ t: 'event', event })
  })

  const handle = (msg: ToWorker): void => {
    switch (msg.t) {
      case 'start':
        // a refusal thrown by start (unknown tenant) is its answer too
        return answerWith(msg.callId, () => engine.start(msg).done, post)
      case 'cancel':
        engine.cancel(msg.requestId)
        return
      case 'test-connection':
        return answerWith(msg.callId, () => engine.testConnection(msg), post)
      case 'forget-tenant':
        tokens.forget(msg.tenantKey)
        return
      case 'answer':
        return tokenCalls.settle(msg)
      case 'close':
        for (const s of engine.activeSyncs()) engine.cancel(s.requestId)
        void pageWriter.close().finally(() => {
          db.close()
          post({ t: 'closed' })
          port.close()
        })
        return
    }
  }
  // Requests wait in the port until the page writer thread has loaded, so no sync waits for it mid-run;
  // the engine closes what a crashed process or a lost worker left running before it takes requests.
  void pageWriter.ready().then(() => {
    const recovered = engine.service.recoverAbandoned()
    if (recovered.length > 0) logger.warn({ runs: recovered }, 'closed abandoned runs')
    port.on('message', (raw: unknown) => receiveToWorker(raw, { handle, reply: post, logger }))
    post({ t: 'ready' })
  })
}

/** The page writer thread (thread-page-writer.ts): commits pages on its own connection, one at a time. */
export function runPageWriter(port: MessagePort, databaseFile: string): void {
  const db = openDatabase({ file: databaseFile })
  const inventory = new InventoryRepo(db.sqlite)
  port.postMessage({ t: 'ready' } satisfies FromWriter)
  port.on('message', (msg: ToWriter) => {
    if (msg.t === 'close') {
      db.close()
      port.postMessage({ t: 'closed' } satisfies FromWriter)
      port.close()
      return
    }
    answerWith(
      msg.callId,
      () => inventory.writePage(msg.page),
      (answer) => port.postMessage(answer)
    )
  })
}

const data = workerData as
  { marker?: string; role?: string; config?: WorkerConfig; databaseFile?: string } | undefined
if (parentPort && data?.marker === WORKER_MARKER) {
  if (data.role === 'engine' && data.config) runSyncWorker(parentPort, data.config)
  else if (data.role === 'page-writer' && data.databaseFile) runPageWriter(parentPort, data.databaseFile)
}
