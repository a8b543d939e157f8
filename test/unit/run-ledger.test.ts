import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { LocksRepo, type LockOwner } from '../../db/repositories/locks-repo'
import { RunsRepo, toRunSummary } from '../../db/repositories/runs-repo'
import { TenantsRepo } from '../../db/repositories/tenants-repo'
import { emptyTypeOutcome, type RunSummary, type TypeOutcome } from '../../domain/run'
import { abandonedFinish, recoverAbandoned, runVerdict } from '../../main/inventory/run-ledger'
import { FakeClock } from '../support/fake-clock'

const outcome = (status: TypeOutcome['status'], extra: Partial<TypeOutcome> = {}): TypeOutcome => ({
  ...emptyTypeOutcome(),
  status,
  ...extra
})

const run = (typeOutcomes: Record<string, TypeOutcome>): RunSummary =>
  ({
    id: 1,
    status: 'running',
    itemsObservedCount: 40,
    itemsUpsertedCount: 30,
    errorsCount: 2,
    typeOutcomes
  }) as unknown as RunSummary

describe('runVerdict (pure)', () => {
  it('is success only when every type completed and nothing was fatal', () => {
    expect(runVerdict({ a: outcome('complete'), b: outcome('complete') }, undefined)).toEqual({
      status: 'success',
      hadErrors: false,
      errorCodes: [],
      errorContext: {},
      errorsCount: 0
    })
    const cancelled = runVerdict({ a: outcome('complete') }, { code: 'CANCELLED', message: 'stop' })
    expect(cancelled).toMatchObject({ status: 'partial', errorCodes: ['CANCELLED'], hadErrors: true })
    expect(cancelled.errorContext).toEqual({ fatal: { code: 'CANCELLED', message: 'stop' } })
  })

  it('is partial with some complete types, failed with none, and names every code once, sorted', () => {
    const forbidden = outcome('skipped', {
      errorCode: 'GRAPH_FORBIDDEN',
      errorMessage: 'no',
      missingScopes: ['X.Read.All']
    })
    const v = runVerdict(
      {
        a: outcome('complete', { skippedItems: 2 }),
        b: forbidden,
        c: outcome('failed', { errorCode: 'GRAPH_FORBIDDEN' })
      },
      undefined,
      { b: 'req-1' }
    )
    expect(v.status).toBe('partial')
    expect(v.errorCodes).toEqual(['GRAPH_FORBIDDEN', 'GRAPH_ITEM_INVALID'])
    expect(v.errorsCount).toBe(2 + 2) // two types not complete + two skipped items
    expect(v.errorContext.types).toEqual({
      b: { code: 'GRAPH_FORBIDDEN', message: 'no', missingScopes: ['X.Read.All'], requestId: 'req-1' },
      c: { code: 'GRAPH_FORBIDDEN', message: undefined }
    })
    expect(runVerdict({ a: forbidden }, undefined).status).toBe('failed')
    expect(runVerdict({ a: outcome('complete', { duplicateItems: 1 }) }, undefined)).toMatchObject({
      status: 'success',
      hadErrors: true,
      errorCodes: ['GRAPH_PAGING_INCONSISTENT']
    })
  })
})

describe('abandonedFinish (pure)', () => {
  it('keeps finished types, fails the others with ABANDONED, and is partial when something completed', () => {
    const f = abandonedFinish(
      run({
        a: outcome('complete', { pages: 3 }),
        b: outcome('running', { pages: 1 }),
        c: outcome('pending'),
        d: outcome('skipped', { errorCode: 'GRAPH_FORBIDDEN' })
      }),
      'gone',
      '2026-01-01T00:00:00.000Z'
    )
    expect(f.status).toBe('partial')
    expect(f.typeOutcomes.a).toEqual(outcome('complete', { pages: 3 }))
    expect(f.typeOutcomes.b).toEqual(
      outcome('failed', { pages: 1, errorCode: 'ABANDONED', errorMessage: 'gone' })
    )
    expect(f.typeOutcomes.c!.errorCode).toBe('ABANDONED')
    expect(f.typeOutcomes.d).toEqual(outcome('skipped', { errorCode: 'GRAPH_FORBIDDEN' }))
    expect(f).toMatchObject({
      hadErrors: true,
      errorCodes: ['ABANDONED'],
      errorContext: { fatal: { code: 'ABANDONED', message: 'gone' } },
      itemsObservedCount: 40,
      itemsUpsertedCount: 30,
      errorsCount: 3,
      finishedAt: '2026-01-01T00:00:00.000Z'
    })
  })

  it('is failed when no type completed', () => {
    expect(abandonedFinish(run({ a: outcome('running'), b: outcome('failed') }), 'x', 't').status).toBe(
      'failed'
    )
    expect(abandonedFinish(run({}), 'x', 't').status).toBe('failed')
  })
})

describe('recoverAbandoned', () => {
  let db: AtlasDatabase
  let runs: RunsRepo
  let locks: LocksRepo
  const clock = new FakeClock()
  const alive = new Set<string>()
  const owner = (instance: string): LockOwner => ({ host: 'h', pid: 1, instance })

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' })
    runs = new RunsRepo(db.orm)
    locks = new LocksRepo(db.orm, db.sqlite, (o) => alive.has(o.instance))
    const now = new Date(clock.now()).toISOString()
    new TenantsRepo(db.orm).insert({
      id: 't',
      displayName: 'T',
      azureTenantId: 't.onmicrosoft.com',
      cloud: 'public',
      clientId: 'c',
      authMethod: 'secret',
      createdAt: now,
      updatedAt: now
    })
  })
  afterEach(() => db.close())

  const startRun = (hash: string, instance: string): number => {
    const nowIso = new Date(clock.now()).toISOString()
    const lock = locks.acquire({
      tenantId: 't',
      selectionHash: hash,
      owner: owner(instance),
      nowIso,
      expiresIso: new Date(clock.now() + 60_000).toISOString()
    })
    if (!lock.acquired) throw new Error('lock not acquired')
    const row = runs.createRunning({
      tenantId: 't',
      selectionHash: hash,
      selection: {
        categories: [],
        include_dependencies: false,
        include_foundations: false,
        policy_types: ['a']
      },
      correlationId: hash,
      trigger: 'test',
      startedAt: nowIso,
      typeOutcomes: { a: outcome('running') }
    })
    locks.setHolder('t', hash, lock.token, row.id)
    return row.id
  }

  it('closes the runs whose lock holder is dead and frees their locks; live holders and runs here stay', () => {
    alive.clear()
    alive.add('live')
    const dead = startRun('h1', 'dead')
    const live = startRun('h2', 'live')
    const here = startRun('h3', 'dead')
    expect(recoverAbandoned({ runs, locks, clock }, (id) => id === here)).toEqual([dead])
    expect(toRunSummary(runs.get(dead)!)).toMatchObject({ status: 'failed', errorCodes: ['ABANDONED'] })
    expect(runs.get(live)!.status).toBe('running')
    expect(runs.get(here)!.status).toBe('running')
    const nowIso = new Date(clock.now()).toISOString()
    expect(locks.isLive(locks.get('t', 'h1')!, nowIso)).toBe(false)
    expect(locks.get('t', 'h1')!.expiresAt).toBe(nowIso)
  })
})
