import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LocksRepo } from '../../db/repositories/locks-repo'
import { RunsRepo } from '../../db/repositories/runs-repo'
import { CATEGORIES } from '../../domain/policy-type'
import { isOwnerAlive } from '../../main/inventory/lock-owner'
import { normalizeSelection, selectionHash } from '../../main/inventory/selection'
import type { SyncEvent } from '../../main/inventory/sync-events'
import { BUILT_WORKER } from '../support/built-app'
import { createHarness, FAKE_GRAPH_ORIGIN, holdRequests, syncAndWait, type Harness } from '../support/harness'
import { isHiddenGlobalApp } from '../../main/graph/registry'
import type { GraphRoutes } from '../../main/sync-worker/protocol'

/**
 * The engine on the sync worker thread (createAtlas syncThread 'worker', as the desktop app and the CLI
 * run it): the same behaviour as inline. The worker reaches the Graph fake by its loopback route and asks
 * the API thread for tokens only.
 */
const ALL = { categories: [...CATEGORIES] }
const DEAD_PID = 2 ** 22 + 12345 // above Linux's default pid_max: never a live process
const MOBILE_APPS = '/deviceAppManagement/mobileApps'
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'

let h: Harness
afterEach(async () => h?.close())

const untilEvent = (h: Harness, test: (e: SyncEvent) => boolean): Promise<SyncEvent> =>
  new Promise((resolve) => {
    const stop = h.atlas.onSyncEvent((e) => {
      if (test(e)) {
        stop()
        resolve(e)
      }
    })
  })

describe('sync on the worker thread', () => {
  it('stores every object and reports progress in order, exactly like an inline sync', async () => {
    h = await createHarness({ size: 400, seed: 11, worker: true })
    const run = await syncAndWait(h, ALL)
    expect(run.status).toBe('success')
    const total = Object.values(h.data).reduce((n, items) => n + items.length, 0)
    expect(run.itemsObservedCount).toBeGreaterThan(0)
    expect(run.itemsObservedCount).toBeLessThanOrEqual(total)
    // the API thread reads what the worker wrote, through its own connection
    expect(h.atlas.listInventory({ tenantId: h.tenant.id, limit: 1 }).total).toBe(run.itemsObservedCount)
    expect(h.atlas.getRun(run.id)).toEqual(run)

    const kinds = h.events.map((e) => e.kind)
    expect(kinds[0]).toBe('started')
    expect(kinds.at(-1)).toBe('finished')
    expect(kinds.filter((k) => k === 'finished')).toHaveLength(1)
    const observed = h.events.flatMap((e) => (e.kind === 'page_stored' ? [e.runObserved] : []))
    expect([...observed].sort((a, b) => a - b)).toEqual(observed)
    expect(observed.at(-1)).toBe(run.itemsObservedCount)
    // every Graph request carried the token the API thread's provider handed out
    expect(h.fake.requests.length).toBeGreaterThan(10)
    expect(h.fake.requests.every((r) => r.tokenSeen === 'test-token')).toBe(true)
    expect(h.tokens.calls.length).toBeGreaterThan(0)

    // a second sync reuses the same worker and sees the same inventory (nothing new upserted), and the
    // worker reuses the token it was handed (one ask of the API thread for both runs)
    const asked = h.tokens.calls.length
    const again = await syncAndWait(h, ALL)
    expect(again.status).toBe('success')
    expect(again.itemsUpsertedCount).toBe(0)
    expect(h.tokens.calls.length).toBe(asked)
  })

  it('refuses invalid input on the calling thread, synchronously, and records nothing', async () => {
    h = await createHarness({ size: 50, worker: true })
    expect(() => h.atlas.startSync({ tenantId: h.tenant.id, selection: { policy_types: ['nope'] } })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' })
    )
    expect(() => h.atlas.startSync({ tenantId: 'no-such-tenant', selection: ALL })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' })
    )
    expect(h.atlas.listRuns({ tenantId: h.tenant.id })).toEqual([])
    expect(h.atlas.activeSyncs()).toEqual([])
  })

  it('cancels by request id or run id: the request in flight is aborted and the run is recorded', async () => {
    h = await createHarness({ size: 100, worker: true })
    const gate = holdRequests(h.fake)
    const { requestId } = h.atlas.startSync({ tenantId: h.tenant.id, selection: ALL })
    const started = await untilEvent(h, (e) => e.kind === 'started')
    await gate.arrived
    const runId = started.kind === 'started' ? started.runId : -1
    expect(h.atlas.activeSyncs()).toEqual([{ requestId, tenantId: h.tenant.id, runId }])
    expect(h.atlas.cancelSync(runId)).toBe(true)
    const run = await h.atlas.waitForSync(requestId)
    expect(run.status).toBe('failed')
    expect(run.errorCodes).toContain('CANCELLED')
    expect(h.atlas.activeSyncs()).toEqual([])
    expect(h.atlas.cancelSync(requestId)).toBe(false)
    gate.open()
  })

  it('a worker that dies mid-sync: the run is closed as ABANDONED, the lock freed, and the next sync works', async () => {
    h = await createHarness({ size: 200, worker: true })
    const gate = holdRequests(h.fake)
    const { requestId } = h.atlas.startSync({ tenantId: h.tenant.id, selection: ALL })
    await untilEvent(h, (e) => e.kind === 'started')
    await gate.arrived
    const probe = h.atlas.testConnection({ tenantId: h.tenant.id })
    await h.atlas.testHooks.killSyncWorker()

    // the connection test fails at once; the run waits for the next worker to close it
    await expect(probe).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'The sync engine stopped during the connection test.'
    })
    const run = await h.atlas.waitForSync(requestId)
    expect(run.status).toBe('failed')
    expect(run.errorCodes).toEqual(['ABANDONED'])
    expect(h.events.filter((e) => e.kind === 'finished' && e.requestId === requestId)).toHaveLength(1)
    const lock = new LocksRepo(h.atlas.db.orm, h.atlas.db.sqlite, isOwnerAlive).get(
      h.tenant.id,
      run.selectionHash
    )
    expect(lock?.holderRunId ?? null).toBeNull()
    expect(h.atlas.activeSyncs()).toEqual([])

    gate.open()
    const next = await syncAndWait(h, ALL)
    expect(next.status).toBe('success')
    // missing is judged by the new run, not poisoned by the abandoned one
    const missing = h.atlas.getMissing({ tenantId: h.tenant.id, selection: ALL })
    expect(missing.items).toEqual([])
    expect(missing.lowConfidence).toBe(false)
  })

  it('the worker closes a run a dead process left running as it starts, before any sync', async () => {
    h = await createHarness({ size: 50, worker: true })
    const selection = normalizeSelection({ policy_types: ['mobileApp'] })
    const hash = selectionHash(selection)
    const now = new Date().toISOString()
    const locks = new LocksRepo(h.atlas.db.orm, h.atlas.db.sqlite, () => true)
    const dead = locks.acquire({
      tenantId: h.tenant.id,
      selectionHash: hash,
      owner: { host: hostname(), pid: DEAD_PID, instance: 'x' },
      nowIso: now,
      expiresIso: new Date(Date.now() + 3_600_000).toISOString()
    })
    if (!dead.acquired) throw new Error('setup')
    const orphan = new RunsRepo(h.atlas.db.orm).createRunning({
      tenantId: h.tenant.id,
      selectionHash: hash,
      selection,
      correlationId: 'c',
      trigger: 'test',
      startedAt: now,
      typeOutcomes: {}
    })
    locks.setHolder(h.tenant.id, hash, dead.token, orphan.id)
    // the API thread holds no engine: nothing closes the run until the worker is there
    expect(h.atlas.getRun(orphan.id).status).toBe('running')
    await h.atlas.syncEngineReady()
    expect(h.atlas.getRun(orphan.id)).toMatchObject({ status: 'failed', errorCodes: ['ABANDONED'] })
    expect(locks.get(h.tenant.id, hash)?.holderRunId ?? null).toBeNull()
  })

  it('close() while a sync runs: the run is recorded as cancelled before the worker stops', async () => {
    h = await createHarness({ size: 100, worker: true })
    const gate = holdRequests(h.fake)
    const { requestId } = h.atlas.startSync({
      tenantId: h.tenant.id,
      selection: { policy_types: ['mobileApp'] }
    })
    const done = h.atlas.waitForSync(requestId)
    await gate.arrived
    await h.atlas.close()
    const run = await done
    expect(run.errorCodes).toContain('CANCELLED')
    const reopened = h.reopen()
    expect(reopened.getRun(run.id).status).toBe('failed')
    expect(reopened.activeSyncs()).toEqual([])
    gate.open()
    expect(h.fake.requests.filter((r) => r.path.endsWith(MOBILE_APPS)).length).toBeLessThanOrEqual(1)
  })

  it("the desktop build's worker script (out/main/sync-worker.js) runs the same engine", async () => {
    // built once before the suites by vitest's global setup (test/support/built-app.ts)
    const entry = BUILT_WORKER
    h = await createHarness({ size: 150, worker: true, atlas: { syncThread: { kind: 'worker', entry } } })
    const run = await syncAndWait(h, { policy_types: ['mobileApp', 'compliancePolicy'] })
    expect(run.status).toBe('success')
    expect(h.atlas.listInventory({ tenantId: h.tenant.id, limit: 1 }).total).toBe(run.itemsObservedCount)
    const shownApps = h.data[MOBILE_APPS]!.filter((a) => !isHiddenGlobalApp(a))
    expect(run.itemsObservedCount).toBe(shownApps.length + h.data[COMPLIANCE]!.length)
  })

  it('an injected fetch cannot reach the worker: refused when the engine is built, naming the routes', async () => {
    h = await createHarness({ size: 20, worker: true })
    expect(() =>
      h.reopen({ fetch: (url, init) => fetch(url, init), syncThread: { kind: 'worker' } })
    ).toThrow(/network routes/)
  })

  it('a network known only as the worker starts (the demo route): syncs wait for it, a failed one fails them', async () => {
    h = await createHarness({ size: 50, worker: true })
    const selection = { policy_types: ['compliancePolicy'] }
    let give!: (routes: GraphRoutes) => void
    const late = h.reopen({
      syncThread: { kind: 'worker', routes: () => new Promise<GraphRoutes>((r) => (give = r)) }
    })
    const { requestId } = late.startSync({ tenantId: h.tenant.id, selection })
    expect(late.activeSyncs()).toEqual([{ requestId, tenantId: h.tenant.id }])
    expect(h.fake.requests).toEqual([])
    give({ [FAKE_GRAPH_ORIGIN]: h.fake.baseUrl })
    const run = await late.waitForSync(requestId)
    expect(run.status).toBe('success')
    expect(run.itemsObservedCount).toBe(h.data[COMPLIANCE]!.length)
    await late.close()

    const broken = h.reopen({
      syncThread: { kind: 'worker', routes: () => Promise.reject(new Error('no loopback port')) }
    })
    const failing = broken.startSync({ tenantId: h.tenant.id, selection })
    await expect(broken.waitForSync(failing.requestId)).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(broken.activeSyncs()).toEqual([])
    await broken.close()
  })

  it('a worker that cannot start: syncEngineReady and the waiting sync reject with INTERNAL, nothing hangs', async () => {
    h = await createHarness({
      size: 20,
      worker: true,
      atlas: { syncThread: { kind: 'worker', entry: join(h0Dir(), 'no-such-worker.mjs') } }
    })
    await expect(h.atlas.syncEngineReady()).rejects.toMatchObject({ code: 'INTERNAL' })
    const { requestId } = h.atlas.startSync({ tenantId: h.tenant.id, selection: ALL })
    await expect(h.atlas.waitForSync(requestId)).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(h.atlas.activeSyncs()).toEqual([])
    expect(h.atlas.listRuns({ tenantId: h.tenant.id })).toEqual([])
  })

  it.each([
    ['inline', false],
    ['on the worker, commits on its page-writer thread', true]
  ])(
    'a lock taken over mid-run: the next commit is refused, the run ends LOCK_LOST, committed pages stay (%s)',
    async (_mode, worker) => {
      h = await createHarness({ size: 300, seed: 5, worker })
      // the first request goes through; the others wait at the fake until the lock has been stolen
      const { open: release } = holdRequests(h.fake, 1)
      const { requestId } = h.atlas.startSync({
        tenantId: h.tenant.id,
        selection: { policy_types: ['mobileApp', 'compliancePolicy'] }
      })
      const first = await untilEvent(h, (e) => e.kind === 'page_stored')
      // another process takes the lock over: a higher fencing token
      h.atlas.db.sqlite
        .prepare('UPDATE inventory_sync_locks SET fencing_token = fencing_token + 1 WHERE tenant_id = ?')
        .run(h.tenant.id)
      release()
      const run = await h.atlas.waitForSync(requestId)
      expect(run.errorCodes).toContain('LOCK_LOST')
      expect(['failed', 'partial']).toContain(run.status)
      const stored = first.kind === 'page_stored' ? first.items : -1
      expect(stored).toBeGreaterThan(0)
      expect(run.itemsObservedCount).toBe(stored)
      expect(h.atlas.listInventory({ tenantId: h.tenant.id, limit: 1 }).total).toBe(stored)
    }
  )
})

function h0Dir(): string {
  return join(import.meta.dirname, '..', '..', 'main', 'sync-worker')
}
