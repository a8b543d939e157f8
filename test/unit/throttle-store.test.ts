import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { ThrottleRepo } from '../../db/repositories/throttle-repo'
import { SharedBudget, type ThrottleStore } from '../../main/graph/throttle-store'

const WINDOW = { maxRequests: 25, windowMs: 1000 }
let dir = ''
let db: AtlasDatabase
let repo: ThrottleRepo

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-throttle-unit-'))
  db = openDatabase({ file: join(dir, 'atlas.db') })
  repo = new ThrottleRepo(db.sqlite)
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const ask = (now: number, want: number, previous?: { id: number; used: number }) =>
  repo.grant({ tenantKey: 't1', now, countedAt: now + 50, want, ...WINDOW, previous })

describe('ThrottleRepo', () => {
  it('keeps the latest end of a tenant pause, per tenant', () => {
    expect(repo.pausedUntil('t1')).toBe(0)
    repo.pauseUntil('t1', 5000.2)
    repo.pauseUntil('t1', 3000)
    repo.pauseUntil('t2', 100)
    expect(repo.pausedUntil('t1')).toBe(5001)
    expect(repo.pausedUntil('t2')).toBe(100)
  })

  it('grants starts until the window is full, then says when the oldest grant leaves it', () => {
    expect(ask(0, 10)).toMatchObject({ kind: 'granted', granted: 10 })
    expect(ask(10, 10)).toMatchObject({ kind: 'granted', granted: 10 })
    expect(ask(20, 10)).toMatchObject({ kind: 'granted', granted: 5 })
    // the first grant is counted at 0 + 50, so it leaves the window at 1050
    expect(ask(30, 10)).toEqual({ kind: 'granted', id: 0, granted: 0, retryAt: 1050 })
    expect(ask(1050, 10)).toMatchObject({ granted: 10 })
    // other tenants have their own budget
    expect(repo.grant({ tenantKey: 't2', now: 30, countedAt: 80, want: 10, ...WINDOW })).toMatchObject({
      granted: 10
    })
  })

  it('takes back what a grant left unused', () => {
    const first = ask(0, 10)
    ask(0, 10)
    ask(0, 5)
    expect(ask(1, 10)).toMatchObject({ granted: 0 })
    if (first.kind !== 'granted') throw new Error('expected a grant')
    expect(ask(2, 10, { id: first.id, used: 4 })).toMatchObject({ granted: 6 })
  })

  it('answers busy at once while another connection writes, and keeps its busy timeout', () => {
    const other = new Database(join(dir, 'atlas.db'))
    try {
      other.exec('BEGIN IMMEDIATE')
      const started = Date.now()
      expect(ask(0, 10)).toEqual({ kind: 'busy' })
      expect(Date.now() - started).toBeLessThan(1000) // not the 5 s busy timeout
      other.exec('COMMIT')
      expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000)
      expect(ask(0, 10)).toMatchObject({ granted: 10 })
    } finally {
      other.close()
    }
  })
})

describe('SharedBudget', () => {
  const spent = (): number =>
    (db.sqlite.prepare(`SELECT sum(count) AS n FROM graph_request_grants`).get() as { n: number }).n

  it('spends grants in memory, shares the window between processes, and gives back what expired unused', () => {
    // two processes' budgets for one tenant; a grant is 10 starts valid for 1/20 of the window (50 ms)
    const app = new SharedBudget(repo, 't1', WINDOW)
    const cli = new SharedBudget(repo, 't1', WINDOW)
    for (let i = 0; i < 4; i++) expect(app.take(0)).toBe(0)
    expect(spent()).toBe(10) // one grant for the first starts
    expect(cli.take(0)).toBe(0)
    expect(spent()).toBe(20)
    // half of app's grant is spent: it reserves the next one, which gets the last 5 of the window
    expect(app.take(0)).toBe(0)
    expect(spent()).toBe(25)
    // a third process finds the window full: wait until the first grant (counted at 50) leaves it
    expect(new SharedBudget(repo, 't1', WINDOW).take(20)).toBe(1030)
    // both of app's grants expired: the reserved one, never used, is given back with the next ask (which
    // gets those 5); the 5 starts left of the first stay counted, on the safe side
    expect(app.take(60)).toBe(0)
    expect(spent()).toBe(25)
    // cli's expired with 9 of 10 unused: given back, and its next ask gets them
    expect(cli.take(60)).toBe(0)
    expect(spent()).toBe(10 + 1 + 5 + 9)
  })

  it('reserves the next grant ahead, so a store busy with a page commit costs no wait', () => {
    const budget = new SharedBudget(repo, 't1', { maxRequests: 100, windowMs: 1000 })
    // the page writer's connection: it holds the write lock for every commit
    const writer = new Database(join(dir, 'atlas.db'))
    try {
      for (let i = 0; i < 4; i++) expect(budget.take(0)).toBe(0)
      writer.exec('BEGIN IMMEDIATE')
      // the rest of the grant is used while every try to reserve the next one finds the store busy
      for (let i = 4; i < 10; i++) expect(budget.take(1)).toBe(0)
      // nothing left in hand: now the start has to wait for the store
      expect(budget.take(1)).toBe(2)
      writer.exec('COMMIT')
      expect(budget.take(3)).toBe(0)
      expect(spent()).toBe(20)
      // with the lock free for a moment the next grant is reserved ahead...
      for (let i = 1; i < 5; i++) expect(budget.take(3)).toBe(0)
      expect(spent()).toBe(30)
      // ...so the whole rest of this grant and the reserved one go out while the writer holds the lock
      writer.exec('BEGIN IMMEDIATE')
      for (let i = 0; i < 15; i++) expect(budget.take(4)).toBe(0)
      writer.exec('COMMIT')
    } finally {
      writer.close()
    }
  })

  /** A store that answers from a script and records each ask (grant validity here: 1000 / 20 = 50 ms). */
  function scriptedStore(answers: Array<{ granted: number; retryAt?: number } | 'busy'>) {
    const asks: Array<{ now: number; previous?: { id: number; used: number } }> = []
    let id = 0
    const store: ThrottleStore = {
      pausedUntil: () => 0,
      pauseUntil: () => undefined,
      grant(req) {
        asks.push({ now: req.now, ...(req.previous ? { previous: req.previous } : {}) })
        const a = answers.shift() ?? { granted: 10 }
        if (a === 'busy') return { kind: 'busy' }
        return a.granted === 0
          ? { kind: 'granted', id: 0, granted: 0, retryAt: a.retryAt ?? req.now + 100 }
          : { kind: 'granted', id: ++id, granted: a.granted, retryAt: 0 }
      }
    }
    return { store, asks }
  }
  const takes = (budget: SharedBudget, now: number, n: number): number[] =>
    Array.from({ length: n }, () => budget.take(now))

  it('uses a grant only before it expires, to the millisecond', () => {
    const { store, asks } = scriptedStore([])
    const budget = new SharedBudget(store, 't1', WINDOW)
    expect(takes(budget, 0, 2)).toEqual([0, 0])
    expect(budget.take(49)).toBe(0)
    expect(asks).toHaveLength(1)
    expect(budget.take(50)).toBe(0) // expired at 50: asked again, giving back what it left unused
    expect(asks).toEqual([{ now: 0 }, { now: 50, previous: { id: 1, used: 3 } }])
  })

  it('reserves one grant ahead only, and gives back a reserved grant that expired unused', () => {
    const { store, asks } = scriptedStore([])
    const budget = new SharedBudget(store, 't1', WINDOW)
    takes(budget, 0, 5)
    expect(asks).toHaveLength(2) // the fifth start left 5: the next grant is reserved
    takes(budget, 0, 5)
    expect(asks).toHaveLength(2) // one reserved grant is enough
    // the first grant is spent and the reserved one expired at 50 without a start: given back whole
    expect(budget.take(50)).toBe(0)
    expect(asks[2]).toEqual({ now: 50, previous: { id: 2, used: 0 } })
  })

  it('reserves the next grant as soon as a small reserved grant comes into use', () => {
    // the window was nearly full when the second grant was asked: it holds 3 starts
    const { store, asks } = scriptedStore([{ granted: 10 }, { granted: 3 }, { granted: 10 }])
    const budget = new SharedBudget(store, 't1', WINDOW)
    takes(budget, 0, 10)
    expect(asks).toHaveLength(2)
    expect(budget.take(1)).toBe(0) // the 3-start grant comes into use with 2 left: reserve at once
    expect(asks).toHaveLength(3)
  })

  it('never keeps an empty or busy answer as the reserved grant', () => {
    const busy = Array<'busy'>(5).fill('busy')
    const { store, asks } = scriptedStore([{ granted: 10 }, { granted: 0, retryAt: 900 }, ...busy])
    const budget = new SharedBudget(store, 't1', WINDOW)
    // from the fifth start on, each start tries to reserve: the window is full, then the store is busy
    takes(budget, 0, 10)
    expect(asks).toHaveLength(7)
    // nothing reserved: the next start asks the store, giving back the spent grant
    expect(budget.take(0)).toBe(0)
    expect(asks).toHaveLength(8)
    expect(asks[7]).toEqual({ now: 0, previous: { id: 1, used: 10 } })
  })

  it('asks again after an empty answer without giving back a grant it never had', () => {
    const { store, asks } = scriptedStore([{ granted: 0, retryAt: 700 }, { granted: 10 }])
    const budget = new SharedBudget(store, 't1', WINDOW)
    expect(budget.take(600)).toBe(100)
    expect(budget.take(700)).toBe(0)
    expect(asks).toEqual([{ now: 600 }, { now: 700 }])
  })
})
