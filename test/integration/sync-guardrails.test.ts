import { readFileSync, readdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { INVENTORY_TABLES } from '../../db/schema'
import { LocksRepo } from '../../db/repositories/locks-repo'
import { RunsRepo } from '../../db/repositories/runs-repo'
import { CATEGORIES } from '../../domain/policy-type'
import { selectionHash, normalizeSelection } from '../../main/inventory/selection'
import type { FetchLike } from '../../main/graph/graph-client'
import type { Logger } from '../../main/util/logger'
import { createHarness, holdRequests, syncAndWait, type Harness } from '../support/harness'

const ALL = { categories: [...CATEGORIES] }
const COMPLIANCE_ONLY = { policy_types: ['compliancePolicy'] }
const DEAD_PID = 2 ** 22 + 12345 // above Linux's default pid_max: never a live process

let h: Harness
afterEach(async () => h?.close())

const nextEvent = (hh: Harness, kind: string): Promise<void> =>
  new Promise((resolve) => {
    const off = hh.atlas.onSyncEvent((e) => {
      if (e.kind === kind) {
        off()
        resolve()
      }
    })
  })

describe('lock', () => {
  it('refuses a second sync of the same tenant and selection while one runs (skipped, LOCK_HELD)', async () => {
    h = await createHarness({ size: 100 })
    const gate = holdRequests(h.fake)
    const first = h.atlas.startSync({ tenantId: h.tenant.id, selection: COMPLIANCE_ONLY })
    await gate.arrived
    const second = await syncAndWait(h, { policy_types: ['compliancePolicy'], categories: [] })
    expect(second).toMatchObject({ status: 'skipped', hadErrors: true, errorCodes: ['LOCK_HELD'] })
    expect(second.errorContext.fatal).toMatchObject({ code: 'LOCK_HELD' })
    gate.open()
    const done = await h.atlas.waitForSync(first.requestId)
    expect(done.status).toBe('success')
    // a different selection of the same tenant is not blocked by the lock
    const other = await syncAndWait(h, { policy_types: ['mobileApp'] })
    expect(other.status).toBe('success')
  })

  it('reclaims the lock of a process that died (kill -9) and closes its run as ABANDONED', async () => {
    h = await createHarness({ size: 100 })
    const hash = selectionHash(normalizeSelection(COMPLIANCE_ONLY))
    const locks = new LocksRepo(h.atlas.db.orm, h.atlas.db.sqlite, () => true)
    const runs = new RunsRepo(h.atlas.db.orm)
    const now = new Date(h.clock.now()).toISOString()
    const far = new Date(h.clock.now() + 3_600_000).toISOString()
    const dead = locks.acquire({
      tenantId: h.tenant.id,
      selectionHash: hash,
      owner: { host: hostname(), pid: DEAD_PID, instance: 'x' },
      nowIso: now,
      expiresIso: far
    })
    if (!dead.acquired) throw new Error('setup')
    const orphan = runs.createRunning({
      tenantId: h.tenant.id,
      selectionHash: hash,
      selection: normalizeSelection(COMPLIANCE_ONLY),
      correlationId: 'c',
      trigger: 'test',
      startedAt: now,
      typeOutcomes: {
        compliancePolicy: {
          status: 'running',
          pages: 2,
          observed: 50,
          skippedItems: 0,
          duplicateItems: 0,
          droppedKeys: 0,
          truncatedValues: 0
        }
      }
    })
    locks.setHolder(h.tenant.id, hash, dead.token, orphan.id)

    const run = await syncAndWait(h, COMPLIANCE_ONLY)
    expect(run.status).toBe('success')
    const closed = h.atlas.getRun(orphan.id)
    expect(closed).toMatchObject({ status: 'failed', errorCodes: ['ABANDONED'] })
    expect(closed.typeOutcomes.compliancePolicy).toMatchObject({ status: 'failed', errorCode: 'ABANDONED' })
    const lock = locks.get(h.tenant.id, hash)!
    expect(lock.fencingToken).toBeGreaterThan(dead.token)
  })

  it('respects a live lease of another host, and reclaims it once its heartbeat lapsed', async () => {
    h = await createHarness({ size: 100 })
    const hash = selectionHash(normalizeSelection(COMPLIANCE_ONLY))
    const locks = new LocksRepo(h.atlas.db.orm, h.atlas.db.sqlite, () => true)
    const now = h.clock.now()
    locks.acquire({
      tenantId: h.tenant.id,
      selectionHash: hash,
      owner: { host: 'other-host', pid: 1, instance: 'y' },
      nowIso: new Date(now).toISOString(),
      expiresIso: new Date(now + 60_000).toISOString()
    })
    expect((await syncAndWait(h, COMPLIANCE_ONLY)).errorCodes).toEqual(['LOCK_HELD'])
    h.clock.set(now + 60_001)
    expect((await syncAndWait(h, COMPLIANCE_ONLY)).status).toBe('success')
  })

  it('closes runs left running by a dead process when the engine starts (ABANDONED at next start)', async () => {
    h = await createHarness({ size: 100 })
    const hash = selectionHash(normalizeSelection(ALL))
    const locks = new LocksRepo(h.atlas.db.orm, h.atlas.db.sqlite, () => true)
    const runs = new RunsRepo(h.atlas.db.orm)
    const now = new Date(h.clock.now()).toISOString()
    const lock = locks.acquire({
      tenantId: h.tenant.id,
      selectionHash: hash,
      owner: { host: hostname(), pid: DEAD_PID, instance: 'z' },
      nowIso: now,
      expiresIso: new Date(h.clock.now() + 3_600_000).toISOString()
    })
    if (!lock.acquired) throw new Error('setup')
    const orphan = runs.createRunning({
      tenantId: h.tenant.id,
      selectionHash: hash,
      selection: normalizeSelection(ALL),
      correlationId: 'c',
      trigger: 'cli',
      startedAt: now,
      typeOutcomes: {}
    })
    locks.setHolder(h.tenant.id, hash, lock.token, orphan.id)

    const second = h.reopen()
    expect(second.getRun(orphan.id)).toMatchObject({
      status: 'failed',
      errorCodes: ['ABANDONED'],
      hadErrors: true
    })
    expect(locks.get(h.tenant.id, hash)!.holderRunId).toBeNull()
  })

  it('does not abandon a run that a live engine in another instance is still running', async () => {
    h = await createHarness({ size: 100 })
    const gate = holdRequests(h.fake)
    const { requestId } = h.atlas.startSync({ tenantId: h.tenant.id, selection: COMPLIANCE_ONLY })
    await gate.arrived
    const runningId = h.atlas.activeSyncs()[0]!.runId!
    h.reopen() // e.g. the CLI starting next to the desktop app
    expect(h.atlas.getRun(runningId).status).toBe('running')
    gate.open()
    expect((await h.atlas.waitForSync(requestId)).status).toBe('success')
  })
})

describe('concurrency limiter', () => {
  it('records a refused sync as skipped with CONCURRENCY_LIMIT_TENANT / _GLOBAL', async () => {
    h = await createHarness({
      size: 100,
      atlas: { limits: { global: 1, perTenant: 1, maxQueue: 0 } }
    })
    const gate = holdRequests(h.fake)
    const first = h.atlas.startSync({ tenantId: h.tenant.id, selection: COMPLIANCE_ONLY })
    await gate.arrived
    const sameTenant = await syncAndWait(h, { policy_types: ['mobileApp'] })
    expect(sameTenant).toMatchObject({
      status: 'skipped',
      hadErrors: true,
      errorCodes: ['CONCURRENCY_LIMIT_TENANT']
    })
    const other = await h.addTenant('Fabrikam', 'another-secret')
    const otherRun = await syncAndWait({ atlas: h.atlas, tenant: other }, COMPLIANCE_ONLY)
    expect(otherRun).toMatchObject({ status: 'skipped', errorCodes: ['CONCURRENCY_LIMIT_GLOBAL'] })
    gate.open()
    expect((await h.atlas.waitForSync(first.requestId)).status).toBe('success')
  })

  it('shows waiting syncs as queued and lets the user cancel them (failed, CANCELLED)', async () => {
    h = await createHarness({
      size: 100,
      atlas: { limits: { global: 1, perTenant: 1, maxQueue: 5 } }
    })
    const gate = holdRequests(h.fake)
    const first = h.atlas.startSync({ tenantId: h.tenant.id, selection: COMPLIANCE_ONLY })
    await gate.arrived
    const queued = nextEvent(h, 'queued')
    const second = h.atlas.startSync({ tenantId: h.tenant.id, selection: { policy_types: ['mobileApp'] } })
    await queued
    expect(h.atlas.cancelSync(second.requestId)).toBe(true)
    const cancelled = await h.atlas.waitForSync(second.requestId)
    expect(cancelled).toMatchObject({ status: 'failed', errorCodes: ['CANCELLED'] })
    gate.open()
    expect((await h.atlas.waitForSync(first.requestId)).status).toBe('success')
  })

  it('cancelling a running sync ends it as failed/CANCELLED and releases lock and permit', async () => {
    h = await createHarness({
      size: 100,
      atlas: { limits: { global: 1, perTenant: 1, maxQueue: 0 } }
    })
    const gate = holdRequests(h.fake)
    const started = h.atlas.startSync({ tenantId: h.tenant.id, selection: COMPLIANCE_ONLY })
    await gate.arrived
    h.atlas.cancelSync(started.requestId)
    gate.open()
    const run = await h.atlas.waitForSync(started.requestId)
    expect(run.status).toBe('failed')
    expect(run.errorCodes).toContain('CANCELLED')
    // lock and permit are free again
    expect((await syncAndWait(h, COMPLIANCE_ONLY)).status).toBe('success')
  })
})

describe('guardrails', () => {
  it('a sync writes no table outside the inventory tables', async () => {
    h = await createHarness({ size: 300 })
    h.fake.script({
      path: '/deviceManagement/deviceCompliancePolicies',
      times: 2,
      fault: { kind: 'status429', retryAfter: 'int', seconds: 1 }
    })
    h.fake.script({
      path: '/deviceAppManagement/mobileApps',
      times: 1,
      fault: { kind: 'forbidden', scopes: ['DeviceManagementApps.Read.All'] }
    })
    const db = h.atlas.db.sqlite
    const tables = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
        .all() as Array<{ name: string }>
    ).map((t) => t.name)
    const guarded = tables.filter((t) => !(INVENTORY_TABLES as readonly string[]).includes(t))
    expect(guarded).toEqual(expect.arrayContaining(['tenants', '__drizzle_migrations']))
    for (const t of guarded) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(
          `CREATE TEMP TRIGGER guard_${op}_${t} BEFORE ${op} ON main."${t}" BEGIN SELECT RAISE(ABORT, 'sync wrote ${t}'); END`
        )
      }
    }
    const run = await syncAndWait(h, ALL)
    expect(run.status).toBe('partial') // the forbidden type; the point is that nothing raised
    expect(run.errorCodes).toEqual(['GRAPH_FORBIDDEN'])
    // the triggers really fire (the test can fail)
    expect(() => db.prepare(`UPDATE tenants SET display_name = 'x'`).run()).toThrow(/sync wrote tenants/)
  })

  it.each([
    ['inline', false],
    ['on the sync worker thread (errors and log lines cross threads)', true]
  ])(
    'never persists or returns a secret or token, even when errors echo them (canary), %s',
    async (_mode, worker) => {
      const token = 'eyJhbGciOiJSUzI1NiJ9.eyJDQU5BUlkiOiJ0b2tlbiJ9.CANARY-signature'
      const logged: string[] = []
      const logger: Logger = {
        debug: (o, m) => logged.push(JSON.stringify(o) + m),
        info: (o, m) => logged.push(JSON.stringify(o) + m),
        warn: (o, m) => logged.push(JSON.stringify(o) + m),
        error: (o, m) => logged.push(JSON.stringify(o) + m)
      }
      const echo = (authorization: string): string =>
        `${authorization} client_secret=CANARY-secret-1234 (echo: CANARY-secret-1234)`
      h = await createHarness({
        size: 150,
        tokenValue: token,
        worker,
        atlas: { logger, graph: { retry: { maxAttempts: 2 } } },
        // inline: a transport error that echoes the request's credentials; the worker fetches for itself,
        // so there Graph's answer echoes them (the secret as a form field: the worker never holds it)
        ...(worker
          ? {}
          : {
              wrapFetch:
                (f: FetchLike): FetchLike =>
                (url, init) => {
                  if (url.includes('deviceCompliancePolicies')) {
                    throw new TypeError(`fetch failed: ${echo(init.headers.Authorization!)} calling ${url}`)
                  }
                  return f(url, init)
                }
            })
      })
      if (worker) {
        const message = echo(`Bearer ${token}`).replace(' (echo: CANARY-secret-1234)', '')
        h.fake.script({
          path: '/deviceManagement/deviceCompliancePolicies',
          times: Infinity,
          fault: {
            kind: 'status',
            status: 400,
            body: JSON.stringify({ error: { code: 'BadRequest', message } })
          }
        })
      }
      const tenant = await h.addTenant('Canary Ltd', 'CANARY-secret-1234')
      h.fake.script({ path: '/deviceAppManagement/mobileApps', times: 1, fault: { kind: 'unauthorized' } })
      const run = await syncAndWait({ atlas: h.atlas, tenant }, ALL)
      expect(run.status).toBe('partial')
      expect(run.typeOutcomes.compliancePolicy).toMatchObject({
        status: 'failed',
        errorCode: worker ? 'GRAPH_BAD_REQUEST' : 'GRAPH_NETWORK'
      })
      const returned = JSON.stringify([
        run,
        h.atlas.listRuns({ tenantId: tenant.id }),
        h.atlas.listTenants(),
        h.events
      ])
      expect(returned).not.toContain('CANARY')
      expect(logged.join('\n')).not.toContain('CANARY')
      const exportPath = join(h.dir, 'runs.csv')
      await h.atlas.exportCsv({ view: 'runs', tenant: { all: true }, path: exportPath })
      expect(readFileSync(exportPath, 'utf8')).not.toContain('CANARY')
      h.atlas.db.sqlite.pragma('wal_checkpoint(PASSIVE)')
      for (const f of readdirSync(h.dir)) {
        expect(readFileSync(join(h.dir, f)).toString('latin1'), f).not.toContain('CANARY')
      }
    }
  )
})
