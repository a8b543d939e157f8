import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import {
  InventoryRepo,
  LockLostError,
  type PageWrite,
  type StoredItemInput
} from '../../db/repositories/inventory-repo'
import { LocksRepo } from '../../db/repositories/locks-repo'
import { RunsRepo } from '../../db/repositories/runs-repo'
import { TenantsRepo } from '../../db/repositories/tenants-repo'

const SEL = {
  categories: [],
  include_dependencies: false,
  include_foundations: false,
  policy_types: ['compliancePolicy']
}
const owner = { host: 'h', pid: 1, instance: 'i' }

function item(id: string, name = `Policy ${id}`, meta = '{"a":1}'): StoredItemInput {
  return {
    policyType: 'compliancePolicy',
    externalId: id,
    displayName: name,
    category: 'compliance',
    platform: 'windows',
    metaJson: meta
  }
}

describe('InventoryRepo.writePage', () => {
  let db: AtlasDatabase
  let repo: InventoryRepo
  let runs: RunsRepo
  let locks: LocksRepo
  let token = 0

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' })
    new TenantsRepo(db.orm).insert({
      id: 't1',
      displayName: 'T1',
      azureTenantId: 'x.onmicrosoft.com',
      cloud: 'global',
      clientId: 'c',
      authMethod: 'client_secret',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z'
    })
    repo = new InventoryRepo(db.sqlite)
    runs = new RunsRepo(db.orm)
    locks = new LocksRepo(db.orm, db.sqlite, () => true)
  })
  afterEach(() => db.close())

  function newRun(at: string): number {
    const lock = locks.acquire({
      tenantId: 't1',
      selectionHash: 'h',
      owner,
      nowIso: at,
      expiresIso: '2099-01-01T00:00:00.000Z'
    })
    if (!lock.acquired) throw new Error('lock')
    token = lock.token
    const run = runs.createRunning({
      tenantId: 't1',
      selectionHash: 'h',
      selection: SEL,
      correlationId: 'c',
      trigger: 'test',
      startedAt: at,
      typeOutcomes: {}
    })
    locks.setHolder('t1', 'h', token, run.id)
    return run.id
  }
  function page(runId: number, at: string, items: StoredItemInput[]): PageWrite {
    return {
      tenantId: 't1',
      selectionHash: 'h',
      runId,
      nowIso: at,
      items,
      lock: { token, expiresIso: '2099-01-01T00:00:00.000Z' },
      progress: { itemsObserved: items.length, itemsUpserted: 0, typeOutcomesJson: '{}' }
    }
  }
  const dump = (): unknown[] => db.sqlite.prepare('SELECT * FROM inventory_items ORDER BY id').all()
  const dumpObs = (): unknown[] =>
    db.sqlite.prepare('SELECT * FROM inventory_observations ORDER BY item_id').all()

  it('inserts new items and re-applying the same page in the same run changes nothing', () => {
    const run = newRun('2026-01-01T00:00:00.000Z')
    const first = repo.writePage(page(run, '2026-01-01T00:00:01.000Z', [item('a'), item('b')]))
    expect(first.upserted).toBe(2)
    const before = { items: dump(), obs: dumpObs() }
    const again = repo.writePage(page(run, '2026-01-01T00:00:09.000Z', [item('a'), item('b')]))
    expect(again.upserted).toBe(0)
    expect({ items: dump(), obs: dumpObs() }).toEqual(before)
    expect(repo.countForTenant('t1')).toBe(2)
  })

  it('a later run moves last_seen, keeps first_seen, and only touches updated_at when content changed', () => {
    const run1 = newRun('2026-01-01T00:00:00.000Z')
    repo.writePage(page(run1, '2026-01-01T00:00:01.000Z', [item('a'), item('b')]))
    locks.release('t1', 'h', token, '2026-01-01T00:00:02.000Z')
    const run2 = newRun('2026-01-02T00:00:00.000Z')
    const r = repo.writePage(page(run2, '2026-01-02T00:00:01.000Z', [item('a'), item('b', 'Renamed')]))
    expect(r.upserted).toBe(1)
    const rows = repo.list({ tenantId: 't1' })
    const a = rows.find((x) => x.externalId === 'a')!
    const b = rows.find((x) => x.externalId === 'b')!
    expect(a).toMatchObject({
      firstSeenRunId: run1,
      firstSeenAt: '2026-01-01T00:00:01.000Z',
      lastSeenRunId: run2,
      lastSeenAt: '2026-01-02T00:00:01.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z'
    })
    expect(b).toMatchObject({
      displayName: 'Renamed',
      firstSeenRunId: run1,
      lastSeenRunId: run2,
      updatedAt: '2026-01-02T00:00:01.000Z'
    })
  })

  it('refuses the whole page when the lock token is no longer ours (fencing)', () => {
    const run = newRun('2026-01-01T00:00:00.000Z')
    const stale = page(run, '2026-01-01T00:00:01.000Z', [item('a')])
    stale.lock.token = token + 99
    expect(() => repo.writePage(stale)).toThrow(LockLostError)
    expect(dump()).toEqual([])
    expect(dumpObs()).toEqual([])
  })

  it('writes run progress in the same transaction as the page', () => {
    const run = newRun('2026-01-01T00:00:00.000Z')
    const p = page(run, '2026-01-01T00:00:01.000Z', [item('a')])
    p.progress = { itemsObserved: 7, itemsUpserted: 3, typeOutcomesJson: '{"compliancePolicy":{"pages":1}}' }
    repo.writePage(p)
    const row = runs.get(run)!
    expect(row.itemsObservedCount).toBe(7)
    expect(row.itemsUpsertedCount).toBe(4)
    expect(JSON.parse(row.typeOutcomes)).toEqual({ compliancePolicy: { pages: 1 } })
  })

  it('search matches names literally, including LIKE wildcards', () => {
    const run = newRun('2026-01-01T00:00:00.000Z')
    repo.writePage(
      page(run, '2026-01-01T00:00:01.000Z', [
        item('a', '50% rollout'),
        item('b', '50 percent'),
        item('c', 'a_b')
      ])
    )
    expect(repo.list({ tenantId: 't1', search: '50%' }).map((r) => r.externalId)).toEqual(['a'])
    expect(repo.list({ tenantId: 't1', search: '_' }).map((r) => r.externalId)).toEqual(['c'])
    expect(repo.count({ tenantId: 't1', search: '50' })).toBe(2)
  })
})
