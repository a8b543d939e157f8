/**
 * kill -9 at any point must leave a usable inventory (spec: "ABANDONED at next start", one transaction per
 * page). A child process runs the real engine against the Graph fake served from here; it is SIGKILLed at
 * page boundaries, at random SQLite statements inside the run (mid-transaction too) and during start-up,
 * and after the run ended. Random points are counted in statements, not time: no timers, and a seed
 * reproduces them exactly. After each kill
 * the database must be intact and hold whole pages only, and a fresh engine must close the killed run,
 * reclaim its lock and sync the same selection cleanly, with a "missing" answer the dead run did not poison.
 *
 * Every assertion holds whatever the kill point.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import { LocksRepo, parseOwner } from '../../db/repositories/locks-repo'
import { DATABASE_FILE, createAtlas } from '../../main/app/create-atlas'
import { createTestAtlas } from '../support/create-test-atlas'
import { isOwnerAlive } from '../../main/inventory/lock-owner'
import { MemorySecretStore } from '../../main/auth/secret-store'
import type { TypeOutcome } from '../../domain/run'
import { effectivePolicyTypes, normalizeSelection, selectionHash } from '../../main/inventory/selection'
import { routingFetch } from '../../main/net/routing-fetch'
import { startGraphFake, type GraphFake } from '../../main/demo/simulator/graph-fake'
import { generateTenant, type FakeTenantData } from '../../main/demo/simulator/tenant-generator'
import { BUILT_WORKER, CRASH_CHILD } from '../support/built-app'
import { HANG_GUARD_MS } from '../support/hang-guard'
import { seededRandom } from '../support/harness'
import { StaticTokenProvider } from '../support/static-token-provider'
import { collectionsOf, fakePageSize, wholeCollectionType } from './collections'
import { CRASH_GRAPH_ORIGIN, CRASH_LOGIN_ORIGIN, type ChildLine } from './protocol'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
// test/crash/child.ts bundled once by vitest's global setup (test/support/built-app.ts): no tsx per child
const CHILD = CRASH_CHILD
/** ~14k of the tenant's 20k objects: a 146-page chain of 25-item pages next to 1000-item app pages */
const SELECTION = {
  categories: ['configuration', 'security'],
  policy_types: ['mobileApp', 'compliancePolicy']
}
const NORMALIZED = normalizeSelection(SELECTION)
const HASH = selectionHash(NORMALIZED)
const TYPES = effectivePolicyTypes(NORMALIZED)
const COLLECTIONS = collectionsOf(TYPES)
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000)
const rand = seededRandom(SEED)

type KillPoint =
  | { kind: 'afterFinish' }
  | { kind: 'afterPage'; page: number }
  /** at a random statement of the run: start + fraction × the statements of the last measured run */
  | { kind: 'inRun'; n: number; fraction: number }
  /** at a random statement before the run starts (migrations, lock, run row) */
  | { kind: 'startup'; n: number; fraction: number }

const PAGE_POINTS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 150]
/** the first kill runs the whole sync: it counts start-up and run statements for the random kill points */
const KILL_POINTS: KillPoint[] = [
  { kind: 'afterFinish' },
  ...shuffle([
    ...PAGE_POINTS.map((page) => ({ kind: 'afterPage' as const, page })),
    ...Array.from({ length: 8 }, (_, i) => ({ kind: 'inRun' as const, n: i + 1, fraction: rand() * 0.9 })),
    ...Array.from({ length: 2 }, (_, i) => ({ kind: 'startup' as const, n: i + 1, fraction: rand() }))
  ])
]

function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[list[i], list[j]] = [list[j]!, list[i]!]
  }
  return list
}

function describePoint(p: KillPoint): string {
  switch (p.kind) {
    case 'afterFinish':
      return 'right after the run finished'
    case 'afterPage':
      return `right after page_stored #${p.page}`
    // names stay the same from run to run; the seed in a failure message says where exactly it was
    case 'inRun':
      return `at random statement ${p.n} inside the run`
    case 'startup':
      return `at random statement ${p.n} during start-up`
  }
}

let fake: GraphFake
let data: FakeTenantData
let dir: string
let tenantId: string
/** Counted by the first (whole-run) kill: statements before the run started, and during it. */
const work = { startup: 0, run: 0 }
let killsInsideRun = 0

beforeAll(async () => {
  data = generateTenant({ seed: 2026, size: 20_000 })
  // real clock, no request budget: the child and the parent make a few hundred requests per kill
  fake = await startGraphFake({ data, budget: false, latencyMs: 1 })
  dir = mkdtempSync(join(tmpdir(), 'atlas-crash-'))
  const atlas = createAtlas({ dataDir: dir, secretStore: new MemorySecretStore() })
  const tenant = await atlas.addTenant({
    displayName: 'Crash Test Ltd',
    azureTenantId: 'crash.onmicrosoft.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    cloud: 'custom',
    authorityHost: CRASH_LOGIN_ORIGIN,
    graphEndpoint: CRASH_GRAPH_ORIGIN,
    credential: { kind: 'secret', value: 'crash-suite-secret' }
  })
  tenantId = tenant.id
  await atlas.close()
})

afterAll(async () => {
  await fake?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

interface KilledChild {
  pid: number
  lines: ChildLine[]
}

type Engine = 'inline' | 'worker'

/** Spawns the engine child and SIGKILLs it at the kill point; resolves once the OS reaped it. */
function runChildAndKill(point: KillPoint, engine: Engine): Promise<KilledChild> {
  const port = new URL(fake.baseUrl).port
  const dieAt = dieAtStatement(point)
  const child = spawn(
    process.execPath,
    [CHILD, dir, port, tenantId, JSON.stringify(SELECTION), ...(dieAt ? [String(dieAt)] : [])],
    // the timeout is only a guard against a hung child; no kill point depends on time
    {
      cwd: ROOT,
      env: { ...process.env, CRASH_ENGINE: engine, CRASH_WORKER_ENTRY: BUILT_WORKER },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: HANG_GUARD_MS,
      killSignal: 'SIGKILL'
    }
  )
  const result: KilledChild = { pid: child.pid ?? -1, lines: [] }
  let stderr = ''
  let killed = false
  const kill = (): void => {
    if (killed) return
    killed = true
    child.kill('SIGKILL')
  }
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as ChildLine
    result.lines.push(line)
    if (line.kind === 'page' && point.kind === 'afterPage') {
      if (result.lines.filter((l) => l.kind === 'page').length >= point.page) kill()
    }
    // whatever the point: a run that ended is killed at once
    if (line.kind === 'finished') kill()
  })
  return new Promise((resolveExit, reject) => {
    child.on('error', reject)
    // 'close' comes after 'exit' and after stdout ended: every line the child wrote has been read, and
    // the pid is reaped (a zombie would still answer kill(pid, 0))
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`the child ended by itself (code ${code}, signal ${signal}):\n${stderr}`))
      } else resolveExit(result)
    })
  })
}

interface RunRowRaw {
  id: number
  status: string
  items_observed_count: number
  type_outcomes: string
  selection_hash: string
}

const count = (db: ReturnType<typeof openDatabase>, sql: string, ...params: unknown[]): number =>
  (db.sqlite.prepare(sql).get(...params) as { n: number }).n

describe(`kill -9 at ${KILL_POINTS.length} points, then recover`, () => {
  for (const point of KILL_POINTS) {
    it(`kill ${describePoint(point)}`, () => withSeed(() => killAndRecover(point, 'inline')))
  }

  it('most kills landed inside a running sync (the suite tests what it claims)', () => {
    // the 11 page-boundary kills and the 8 in-run statements do, unless a re-sync needs far fewer
    // statements than the measured first sync (a kill after the run ended is still valid, just less useful)
    expect(killsInsideRun).toBeGreaterThanOrEqual(15)
  })
})

/** Page-boundary points only: the statement counter cannot see the worker thread's SQLite. */
const WORKER_POINTS: KillPoint[] = [3, 17, 60].map((page) => ({ kind: 'afterPage' as const, page }))

describe(`kill -9 with the sync on the worker thread (the app's engine), ${WORKER_POINTS.length} points`, () => {
  const before = { inside: 0 }
  for (const point of WORKER_POINTS) {
    it(`kill ${describePoint(point)}`, async () => {
      before.inside = killsInsideRun
      await killAndRecover(point, 'worker')
      // a page-boundary kill always lands inside the run: the parent kills on the page's line
      expect(killsInsideRun).toBe(before.inside + 1)
    })
  }
})

/** The statement the child kills itself at, for the random kill points (the others are killed from here). */
function dieAtStatement(point: KillPoint): number | undefined {
  if (point.kind === 'startup') return 1 + Math.floor(point.fraction * Math.max(1, work.startup - 1))
  if (point.kind === 'inRun') return work.startup + 1 + Math.floor(point.fraction * work.run)
  return undefined
}

/** Kill points are random: a failure names the seed that reproduces the order and the statements. */
async function withSeed(body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (err) {
    if (err instanceof Error) err.message += ` [kill points from CRASH_SEED=${SEED}]`
    throw err
  }
}

async function killAndRecover(point: KillPoint, engine: Engine): Promise<void> {
  const file = join(dir, DATABASE_FILE)
  const before = openDatabase({ file })
  const lastRunBefore = count(before, 'SELECT coalesce(max(id), 0) AS n FROM inventory_sync_runs')
  const tokenBefore = count(
    before,
    'SELECT coalesce(max(fencing_token), 0) AS n FROM inventory_sync_locks WHERE tenant_id = ? AND selection_hash = ?',
    tenantId,
    HASH
  )
  before.close()

  const child = await runChildAndKill(point, engine)
  if (point.kind === 'afterFinish' && engine === 'inline') {
    const started = child.lines.find((l) => l.kind === 'started')
    const finished = child.lines.find((l) => l.kind === 'finished')
    if (started?.kind === 'started' && finished?.kind === 'finished') {
      work.startup = started.statements
      work.run = finished.statements - started.statements
    }
  }
  const pages = child.lines.flatMap((l) => (l.kind === 'page' ? [l] : []))

  // ---- the file the dead process left behind ----
  const db = openDatabase({ file })
  let killedRun: RunRowRaw | undefined
  try {
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.sqlite.pragma('foreign_key_check')).toEqual([])
    const newRuns = db.sqlite
      .prepare('SELECT * FROM inventory_sync_runs WHERE id > ? ORDER BY id')
      .all(lastRunBefore) as RunRowRaw[]
    expect(newRuns.length).toBeLessThanOrEqual(1)
    killedRun = newRuns[0]
    if (pages.length > 0 || child.lines.some((l) => l.kind === 'started')) expect(killedRun).toBeDefined()
    if (point.kind === 'afterFinish') expect(killedRun?.status).toBe('success')
    if (killedRun) {
      expect(['running', 'success']).toContain(killedRun.status)
      checkWholePages(db, killedRun, pages)
    }
    // the dead child's lease is still in the table; only the fact that its pid is gone frees it
    const lock = new LocksRepo(db.orm, db.sqlite, isOwnerAlive).get(tenantId, HASH)
    if (lock && lock.fencingToken > tokenBefore) {
      expect(parseOwner(lock.owner).pid).toBe(child.pid)
      expect(isOwnerAlive(parseOwner(lock.owner))).toBe(false)
    }
  } finally {
    db.close()
  }
  if (killedRun?.status === 'running') killsInsideRun++

  // ---- a fresh engine on the same folder ----
  const atlas = createTestAtlas({
    dataDir: dir,
    secretStore: new MemorySecretStore(),
    tokenProvider: new StaticTokenProvider('parent-token'),
    fetch: routingFetch({ [CRASH_GRAPH_ORIGIN]: fake.baseUrl })
  })
  try {
    if (killedRun?.status === 'running') {
      const closed = atlas.getRun(killedRun.id)
      expect(['failed', 'partial']).toContain(closed.status)
      expect(closed.errorCodes).toContain('ABANDONED')
      expect(closed.finishedAt).not.toBeNull()
      const outcomes = Object.values(closed.typeOutcomes)
      expect(closed.status === 'partial').toBe(outcomes.some((o) => o.status === 'complete'))
      for (const o of outcomes) expect(['complete', 'failed', 'skipped']).toContain(o.status)
      // closing the run keeps what it stored
      expect(closed.itemsObservedCount).toBe(killedRun.items_observed_count)
      const lock = new LocksRepo(atlas.db.orm, atlas.db.sqlite, isOwnerAlive).get(tenantId, HASH)!
      expect(lock.holderRunId).toBeNull()
    }
    expect(
      atlas.db.sqlite.prepare(`SELECT id FROM inventory_sync_runs WHERE status = 'running'`).all()
    ).toEqual([])

    const { requestId } = atlas.startSync({ tenantId, selection: SELECTION, trigger: 'test' })
    const run = await atlas.waitForSync(requestId)
    expect(run.status).toBe('success')
    expect(run.hadErrors).toBe(false)
    for (const [path, defs] of COLLECTIONS) {
      for (const def of defs.filter(wholeCollectionType)) {
        expect(run.typeOutcomes[def.key]!.observed, def.key).toBe(data[path]!.length)
        expect(atlas.listInventory({ tenantId, policyTypes: [def.key], limit: 1 }).total).toBe(
          data[path]!.length
        )
      }
    }
    const lock = new LocksRepo(atlas.db.orm, atlas.db.sqlite, isOwnerAlive).get(tenantId, HASH)!
    expect(lock.fencingToken).toBeGreaterThan(tokenBefore)
    const missing = atlas.getMissing({ tenantId, selection: SELECTION })
    expect(missing.judgedBy?.runId).toBe(run.id)
    expect(missing.lowConfidence).toBe(false)
    expect(missing.items).toEqual([])
  } finally {
    await atlas.close()
  }
}

/**
 * "No half pages": the run row, its per-type progress, the items and the observations were written in one
 * transaction per page, so they agree with each other and with a page boundary of every collection.
 */
function checkWholePages(
  db: ReturnType<typeof openDatabase>,
  run: RunRowRaw,
  reported: Array<Extract<ChildLine, { kind: 'page' }>>
): void {
  const outcomes = JSON.parse(run.type_outcomes) as Record<string, TypeOutcome>
  const observed = run.items_observed_count
  // every page the child reported as stored is in the file
  for (const page of reported) expect(page.runId).toBe(run.id)
  const last = reported.at(-1)
  if (last) expect(last.runObserved).toBeLessThanOrEqual(observed)
  let storedPages = 0
  for (const defs of COLLECTIONS.values()) storedPages += outcomes[defs[0]!.key]?.pages ?? 0
  expect(storedPages).toBeGreaterThanOrEqual(reported.length)
  // run counters, per-type progress, items and observations tell the same story
  expect(Object.values(outcomes).reduce((n, o) => n + o.observed, 0)).toBe(observed)
  expect(count(db, 'SELECT count(*) AS n FROM inventory_items WHERE last_seen_run_id = ?', run.id)).toBe(
    observed
  )
  expect(
    count(
      db,
      'SELECT count(*) AS n FROM inventory_observations WHERE last_observed_run_id = ? AND selection_hash = ?',
      run.id,
      run.selection_hash
    )
  ).toBe(observed)
  for (const [path, defs] of COLLECTIONS) {
    const served = data[path] ?? []
    const pages = outcomes[defs[0]!.key]?.pages ?? 0
    // every type of one collection moves one page at a time, together
    for (const d of defs) expect(outcomes[d.key]?.pages ?? 0, d.key).toBe(pages)
    const prefix = served.slice(0, pages * fakePageSize(path)).map((i) => String(i.id))
    const storedIds = (
      db.sqlite
        .prepare(
          `SELECT external_id AS id FROM inventory_items WHERE last_seen_run_id = ?
           AND policy_type IN (SELECT value FROM json_each(?))`
        )
        .all(run.id, JSON.stringify(defs.map((d) => d.key))) as Array<{ id: string }>
    ).map((r) => r.id)
    // nothing beyond the last whole page landed
    const inPrefix = new Set(prefix)
    expect(
      storedIds.filter((id) => !inPrefix.has(id)),
      path
    ).toEqual([])
    for (const def of defs.filter(wholeCollectionType)) {
      // a type owning its collection holds exactly the items of its stored pages
      const o = outcomes[def.key]!
      expect(o.observed + o.skippedItems + o.duplicateItems, def.key).toBe(prefix.length)
      expect(new Set(storedIds), def.key).toEqual(inPrefix)
      // and a type marked complete got its last page
      if (o.status === 'complete') expect(prefix.length, def.key).toBe(served.length)
    }
  }
}
