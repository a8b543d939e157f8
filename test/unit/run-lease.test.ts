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

  it('beats every third of its lease, never more often than once a second', () => {
    const intervals: number[] = []
    const spy = {
      setInterval: ((_fn: () => void, ms: number) => {
        intervals.push(ms)
        return 1 // a handle without unref (as a browser's or a fake's): still fine
      }) as unknown as typeof setInterval,
      clearInterval: (() => undefined) as typeof clearInterval
    }
    alive.add('a')
    for (const ttlMs of [30_000, 600]) {
      const lease = RunLease.acquire(
        { ...deps('a'), ttlMs, timers: spy },
        { ...key, selectionHash: `h${ttlMs}` }
      )
      if (!(lease instanceof RunLease)) throw new Error('expected the lease')
      lease.keepAlive(() => undefined)
      lease.release()
    }
    expect(intervals).toEqual([10_000, 1000])
  })

  it('runs on real timers when given none, and release stops them', () => {
    alive.add('a')
    const lease = RunLease.acquire({ ...deps('a'), timers: undefined }, key)
    if (!(lease instanceof RunLease)) throw new Error('expected the lease')
    expect(() => lease.keepAlive(() => undefined)).not.toThrow()
    lease.release()
    expect(locks.get('t', 'h1')!.expiresAt).toBe(new Date(clock.now()).toISOString())
  })

  it('writes its expiry one lease after the time given', () => {
    alive.add('a')
    const a = acquired('a')
    expect(a.expiresIso(clock.now())).toBe(new Date(clock.now() + 30_000).toISOString())
  })

  it('logs a heartbeat the store refused (busy) and keeps the run going', () => {
    alive.add('a')
    const warnings: Array<{ obj: Record<string, unknown>; msg?: string }> = []
    const logger = {
      ...silentLogger,
      warn: (obj: Record<string, unknown>, msg?: string) => warnings.push({ obj, msg })
    }
    const lease = RunLease.acquire({ ...deps('a'), logger }, key)
    if (!(lease instanceof RunLease)) throw new Error('expected the lease')
    let lost = 0
    db.close() // the next write throws, as SQLITE_BUSY would
    expect(() => lease.heartbeat(() => lost++)).not.toThrow()
    expect(lost).toBe(0)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.msg).toBe('lease heartbeat failed')
    expect(String(warnings[0]!.obj.err)).toMatch(/database/i)
    db = openDatabase({ file: ':memory:' }) // for afterEach
  })
})
