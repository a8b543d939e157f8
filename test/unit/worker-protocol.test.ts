import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MessageChannel } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import { RunsRepo, toRunSummary } from '../../db/repositories/runs-repo'
import { TenantsRepo } from '../../db/repositories/tenants-repo'
import { newLockOwner } from '../../main/inventory/lock-owner'
import { runVerdict } from '../../main/inventory/run-ledger'
import { finishedEvent } from '../../main/inventory/sync-events'
import {
  receiveFromWorker,
  receiveToWorker,
  type FromWorker,
  type Receiver,
  type ToWorker,
  type WorkerConfig
} from '../../main/sync-worker/protocol'
import { runSyncWorker } from '../../main/sync-worker/worker-main'
import { emptyTypeOutcome, runSummarySchema, type RunSummary } from '../../domain/run'

const selection = {
  categories: [],
  include_dependencies: true,
  include_foundations: true,
  policy_types: ['mobileApp']
}
const summary: RunSummary = {
  id: 7,
  tenantId: 't-1',
  selectionHash: 'abc',
  selection,
  status: 'partial',
  hadErrors: true,
  errorCodes: ['GRAPH_FORBIDDEN'],
  errorContext: { types: {} },
  itemsObservedCount: 3,
  itemsUpsertedCount: 2,
  errorsCount: 1,
  typeOutcomes: {
    mobileApp: {
      status: 'failed',
      pages: 1,
      observed: 3,
      skippedItems: 0,
      duplicateItems: 0,
      droppedKeys: 0,
      truncatedValues: 0,
      errorCode: 'GRAPH_FORBIDDEN'
    }
  },
  correlationId: 'c',
  trigger: 'test',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z'
}

/** What one end of the channel did with a message: handled it, answered its sender, logged. */
function received<In, Out>(
  receive: (raw: unknown, side: Receiver<In, Out>) => void,
  raw: unknown
): { handled: In[]; replied: Out[]; logged: string[] } {
  const out = { handled: [] as In[], replied: [] as Out[], logged: [] as string[] }
  receive(raw, {
    handle: (m) => out.handled.push(m),
    reply: (m) => out.replied.push(m),
    logger: { error: (obj, msg) => out.logged.push(`${msg}: ${String(obj.err)}`) }
  })
  return out
}
const toWorker = (raw: unknown) => received(receiveToWorker, raw)
const fromWorker = (raw: unknown) => received(receiveFromWorker, raw)
/** The failure a malformed message was answered with: its error message. */
const failureOf = (m: ToWorker | FromWorker | undefined): string => {
  const error = m?.t === 'answer' ? m.error : undefined
  expect(error?.code).toBe('INTERNAL')
  return error?.message ?? ''
}

describe('sync worker protocol: messages are parsed on receipt', () => {
  it('passes well-formed messages through unchanged, both ways', () => {
    const start = {
      t: 'start',
      callId: 1,
      requestId: 'r-1',
      tenantId: 't-1',
      selection,
      trigger: 'button'
    } as const
    const answer = { t: 'answer', callId: 3, value: 'eyJ.token' }
    for (const m of [start, answer]) expect(toWorker(m)).toEqual({ handled: [m], replied: [], logged: [] })
    const messages: FromWorker[] = [
      { t: 'answer', callId: 1, value: summary },
      { t: 'event', event: finishedEvent('r-1', summary) },
      {
        t: 'event',
        event: {
          kind: 'page_stored',
          requestId: 'r',
          tenantId: 't',
          runId: 1,
          policyTypes: ['x'],
          pageIndex: 0,
          items: 5,
          runObserved: 5
        }
      },
      { t: 'answer', callId: 2, error: { code: 'NOT_FOUND', name: 'AtlasError', message: 'no' } },
      {
        t: 'token',
        callId: 4,
        cfg: {
          tenantKey: 't',
          azureTenantId: 'contoso.onmicrosoft.com',
          clientId: 'c',
          cloud: 'global',
          credential: { kind: 'secret', secretRef: 'vault:t' }
        },
        opts: { forceRefresh: true }
      },
      { t: 'log', level: 'warn', obj: { a: 1 }, msg: 'm' }
    ]
    for (const m of messages) expect(fromWorker(m)).toEqual({ handled: [m], replied: [], logged: [] })
  })

  it('never acts on a malformed message: logs it, naming its kind and the bad field, and fails its call', () => {
    // a call from the API thread: its sender gets the failure as the call's answer
    const start = toWorker({
      t: 'start',
      callId: 1,
      requestId: 'r-1',
      tenantId: 't-1',
      selection: { policy_types: 'all' }
    })
    expect(start.handled).toEqual([])
    expect(start.replied).toMatchObject([{ t: 'answer', callId: 1 }])
    expect(failureOf(start.replied[0])).toMatch(
      /^Malformed API thread → worker message 'start' at selection\./
    )
    expect(start.logged[0]).toMatch(
      /^malformed API thread → worker message: Malformed .* 'start' at selection/
    )
    const probe = toWorker({ t: 'test-connection', callId: 4, tenantId: '' })
    expect(probe.replied).toMatchObject([{ t: 'answer', callId: 4 }])
    // an answer to the worker's own call: the call fails here, as if the answer were an error
    const reply = toWorker({ t: 'answer', callId: 5, error: { name: 7 } })
    expect(reply).toMatchObject({ replied: [], handled: [{ t: 'answer', callId: 5 }] })
    expect(failureOf(reply.handled[0])).toContain("'answer' at error.name")

    // from the worker: an answer fails its call here; a token call is answered in the worker
    const answer = fromWorker({ t: 'answer', callId: 9, error: 'no' })
    expect(answer.handled).toMatchObject([{ t: 'answer', callId: 9 }])
    const token = fromWorker({ t: 'token', callId: 8, cfg: { tenantKey: 't' }, opts: {} })
    expect(token).toMatchObject({ handled: [], replied: [{ t: 'answer', callId: 8 }] })
    expect(failureOf(token.replied[0])).toContain("'token' at cfg.")

    // nothing waits on these: logged only
    for (const raw of [
      { t: 'teleport' },
      null,
      { t: 'log', level: 'loud', obj: {} },
      { t: 'start', callId: -1 }
    ]) {
      const r = fromWorker(raw)
      expect(r).toMatchObject({ handled: [], replied: [] })
      expect(r.logged).toHaveLength(1)
    }
    expect(fromWorker({ t: 'teleport' }).logged[0]).toContain("'teleport'")
    expect(fromWorker(null).logged[0]).toContain('without a type')
  })

  it('refuses an event whose counts are not counts', () => {
    const event = {
      kind: 'page_stored',
      requestId: 'r',
      tenantId: 't',
      runId: 1,
      policyTypes: [],
      pageIndex: 0,
      items: -1,
      runObserved: 0
    }
    expect(fromWorker({ t: 'event', event }).logged[0]).toContain("'event' at event.items")
  })
})

describe('the run summary schema is the one definition of a stored run', () => {
  it('accepts every run the store reads back (running, finished with errors, refused) unchanged', () => {
    const db = openDatabase({ file: ':memory:' })
    const at = '2026-01-01T00:00:00.000Z'
    new TenantsRepo(db.orm).insert({
      id: 't-1',
      displayName: 'T',
      azureTenantId: 't.onmicrosoft.com',
      cloud: 'global',
      clientId: 'c',
      authMethod: 'secret',
      createdAt: at,
      updatedAt: at
    })
    const runs = new RunsRepo(db.orm)
    const base = {
      tenantId: 't-1',
      selectionHash: 'h',
      selection,
      correlationId: 'c',
      trigger: 'test' as const
    }
    const running = runs.createRunning({ ...base, startedAt: at, typeOutcomes: { a: emptyTypeOutcome() } })
    const typeOutcomes = {
      a: { ...emptyTypeOutcome(), status: 'complete' as const, pages: 2, observed: 3, skippedItems: 1 },
      b: {
        ...emptyTypeOutcome(),
        status: 'skipped' as const,
        errorCode: 'GRAPH_FORBIDDEN' as const,
        errorMessage: 'no',
        missingScopes: ['X.Read.All']
      }
    }
    const stored = [toRunSummary(running)]
    runs.finish(running.id, {
      ...runVerdict(typeOutcomes, undefined, { b: 'req-1' }),
      itemsObservedCount: 3,
      itemsUpsertedCount: 3,
      typeOutcomes,
      finishedAt: at
    })
    stored.push(toRunSummary(runs.get(running.id)!))
    const refused = runs.createSkipped({
      ...base,
      startedAt: at,
      status: 'skipped',
      code: 'LOCK_HELD',
      context: { holder: 'x' },
      typeOutcomes: {}
    })
    stored.push(toRunSummary(refused))
    db.close()

    expect(stored.map((r) => r.status)).toEqual(['running', 'partial', 'skipped'])
    for (const run of stored) expect(runSummarySchema.parse(run)).toEqual(run)
  })

  it('names the field of a run that is not one', () => {
    const bad = { ...summary, typeOutcomes: { a: { ...summary.typeOutcomes.mobileApp!, pages: -1 } } }
    const result = runSummarySchema.safeParse(bad)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['typeOutcomes', 'a', 'pages'])
    const extraKey = { ...summary, selection: { ...selection, tenant: 'x' } }
    expect(runSummarySchema.safeParse(extraKey).error?.issues[0]?.path).toEqual(['selection'])
  })
})

describe('the sync worker thread', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  /** runSyncWorker on this thread, over a channel, with a migrated empty database and a writer script. */
  function startWorker(writerEntry?: (dir: string) => string) {
    dir = mkdtempSync(join(tmpdir(), 'atlas-protocol-'))
    const databaseFile = join(dir, 'tenant-atlas.db')
    openDatabase({ file: databaseFile }).close() // migrated, empty
    const { port1, port2 } = new MessageChannel()
    const received: FromWorker[] = []
    const first = (match: (m: FromWorker) => boolean): Promise<FromWorker> =>
      new Promise((resolve) => {
        const look = (): void => {
          const hit = received.find(match)
          if (hit) resolve(hit)
          else setImmediate(look)
        }
        look()
      })
    port2.on('message', (m: FromWorker) => received.push(m))
    const config: WorkerConfig = {
      databaseFile,
      entry: writerEntry ? writerEntry(dir) : join(dir, 'unused-entry.mjs'),
      owner: newLockOwner(),
      limits: { global: 1, perTenant: 1, maxQueue: 1 },
      sync: { typeConcurrency: 1, lockTtlMs: 60_000 },
      graph: {},
      routes: {},
      lostInstances: []
    }
    runSyncWorker(port1, config)
    const next = (t: FromWorker['t']) => first((m) => m.t === t)
    const close = async (): Promise<void> => {
      port2.postMessage({ t: 'close' })
      await next('closed')
      port2.close()
    }
    return { received, first, next, post: (m: unknown) => port2.postMessage(m), close, databaseFile }
  }

  it("fails a 'start' whose selection is malformed, records no run, and keeps serving", async () => {
    const w = startWorker()
    await w.next('ready')
    w.post({
      t: 'start',
      callId: 1,
      requestId: 'r-1',
      tenantId: 't-1',
      selection: { policy_types: 7 },
      trigger: 'test'
    })
    const failed = await w.next('answer')
    expect(failed).toMatchObject({ t: 'answer', callId: 1, error: { code: 'INTERNAL' } })
    expect(failureOf(failed)).toContain("'start' at selection")
    const log = await w.next('log')
    expect(log).toMatchObject({ level: 'error', msg: 'malformed API thread → worker message' })

    // still serving: a well-formed request for an unknown tenant gets its own answer
    w.post({ t: 'start', callId: 2, requestId: 'r-2', tenantId: 'nobody', selection, trigger: 'test' })
    const refused = await w.first((m) => m.t === 'answer' && m.callId === 2)
    expect(refused).toMatchObject({ error: { code: 'NOT_FOUND' } })
    await w.close()
    const db = openDatabase({ file: w.databaseFile })
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM inventory_sync_runs').get()).toEqual({ n: 0 })
    db.close()
  })

  it('takes requests only once its page writer thread has loaded, so no sync waits for it', async () => {
    // a stand-in writer that says it is ready only when the test opens its gate
    const gateName = `atlas-writer-gate-${process.pid}-${Date.now()}`
    const gate = new BroadcastChannel(gateName)
    const loaded = new Promise<void>((resolve) => (gate.onmessage = () => resolve()))
    const w = startWorker((d) => {
      const entry = join(d, 'gated-writer.mjs')
      writeFileSync(
        entry,
        `import { parentPort } from 'node:worker_threads'
const gate = new BroadcastChannel(${JSON.stringify(gateName)})
gate.onmessage = () => { gate.close(); parentPort.postMessage({ t: 'ready' }) }
parentPort.on('message', (m) => {
  if (m.t === 'close') { parentPort.postMessage({ t: 'closed' }); parentPort.close() }
})
gate.postMessage('loaded')
`
      )
      return entry
    })
    w.post({ t: 'start', callId: 1, requestId: 'r-1', tenantId: 'nobody', selection, trigger: 'test' })
    await loaded
    expect(w.received).toEqual([]) // neither ready nor an answer while the writer is loading

    gate.postMessage('go')
    await w.next('answer')
    expect(w.received.map((m) => m.t)).toEqual(['ready', 'answer'])
    gate.close()
    await w.close()
  })
})
