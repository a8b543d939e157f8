import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { LocksRepo, type LockOwner } from '../../db/repositories/locks-repo'
import { TenantsRepo } from '../../db/repositories/tenants-repo'
import { RunLease, type LeaseDeps } from '../../main/inventory/run-lease'
import { silentLogger } from '../../main/util/logger'
import { FakeClock } from '../support/fake-clock'

describe('RunLease', () => {
  let db: AtlasDatabase
  let locks: LocksRepo
  const clock = new FakeClock()
  const alive = new Set<string>()
  const owner = (instance: string): LockOwner => ({ host: 'h', pid: 1, instance })
  /** the heartbeat timer, run by hand */
  let tick: (() => void) | undefined
  let cleared = 0
  const timers = {
    setInterval: ((fn: () => void) => {
      tick = fn
      return { unref() {} }
    }) as unknown as typeof setInterval,
    clearInterval: (() => void cleared++) as typeof clearInterval
  }
  const deps = (instance: string): LeaseDeps => ({
    locks,
    clock,
    logger: silentLogger,
    owner: owner(instance),
    ttlMs: 30_000,
    timers
  })
  const key = { tenantId: 't', selectionHash: 'h1' }

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' })
    locks = new LocksRepo(db.orm, db.sqlite, (o) => alive.has(o.instance))
    alive.clear()
    tick = undefined
    cleared = 0
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

  const acquired = (instance: string): RunLease => {
    const lease = RunLease.acquire(deps(instance), key)
    if (!(lease instanceof RunLease)) throw new Error('expected the lease')
    return lease
  }

  it('is refused while a live holder keeps it, and granted after the holder released it', () => {
    alive.add('a')
    const a = acquired('a')
    expect(RunLease.acquire(deps('b'), key)).toEqual({ acquired: false, holderRunId: null })
    a.release()
    const b = acquired('b')
    expect(b.token).toBeGreaterThan(a.token)
    expect(b.reclaimedRunId).toBeNull()
  })

  it('is reclaimed from a dead holder with a higher fencing token, naming the run it held', () => {
    alive.add('a')
    const a = acquired('a')
    locks.setHolder('t', 'h1', a.token, 42)
    alive.delete('a')
    const b = acquired('b')
    expect(b.token).toBe(a.token + 1)
    expect(b.reclaimedRunId).toBe(42)
  })

  it('keeps itself alive on the timer and tells when the lock is no longer its own', async () => {
    alive.add('a')
    const a = acquired('a')
    let lost = 0
    a.keepAlive(() => lost++)
    await clock.advance(25_000)
    tick!()
    expect(lost).toBe(0)
    // renewed: another engine 25 s later still sees a live holder
    await clock.advance(25_000)
    expect(RunLease.acquire(deps('b'), key)).toMatchObject({ acquired: false })
    // the holder's process is gone: b takes the lock over, a's next heartbeat finds it lost
    alive.delete('a')
    acquired('b')
    tick!()
    expect(lost).toBe(1)
  })

  it('stops its timer and expires the lock on release', () => {
    alive.add('a')
    const a = acquired('a')
    a.keepAlive(() => undefined)
    a.release()
    expect(cleared).toBe(1)
    expect(locks.get('t', 'h1')!.expiresAt).toBe(new Date(clock.now()).toISOString())
  })
})
