import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { InventoryRepo } from '../../db/repositories/inventory-repo'
import { LocksRepo } from '../../db/repositories/locks-repo'
import { RunsRepo } from '../../db/repositories/runs-repo'
import { TenantsRepo } from '../../db/repositories/tenants-repo'
import { emptyTypeOutcome, type TypeOutcome, type TypeOutcomeStatus } from '../../domain/run'
import { MissingService } from '../../main/inventory/missing-service'
import { runVerdict } from '../../main/inventory/run-ledger'
import { normalizeSelection, selectionHash } from '../../main/inventory/selection'

/**
 * The missing judgement over a real in-memory database, fast enough to run for every mutant
 * (`npm run mutate`). Runs are written the way the engine writes them: a lock, a running row, pages of
 * observed items, then the verdict.
 */
const A = 'deviceConfiguration'
const B = 'compliancePolicy'
const C = 'mobileApp'
const SELECTION = { policy_types: [A, B, C] }
const HASH = selectionHash(normalizeSelection(SELECTION))
const T0 = Date.parse('2026-03-01T08:00:00.000Z')
const iso = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString()

interface RunSpec {
  /** per type: its outcome; a type left out was out of the run's selection (excluded for the tenant) */
  types: Partial<Record<string, TypeOutcomeStatus>>
  /** external ids seen, as "type:id" */
  seen?: string[]
  skippedItems?: number
  selection?: unknown
  /** leave the run 'running' (its engine stopped) instead of finishing it */
  leaveRunning?: boolean
  /** types not complete carry no error code */
  withoutCodes?: boolean
}

let db: AtlasDatabase
let runs: RunsRepo
let inventory: InventoryRepo
let locks: LocksRepo
let service: MissingService
let minute = 0
const started = new Map<number, string>()

function run(spec: RunSpec): number {
  const selection = normalizeSelection(spec.selection ?? SELECTION)
  const hash = selectionHash(selection)
  const startedAt = iso(minute++)
  const lock = locks.acquire({
    tenantId: 't',
    selectionHash: hash,
    owner: { host: 'h', pid: 1, instance: 'test' },
    nowIso: startedAt,
    expiresIso: iso(minute + 60)
  })
  if (!lock.acquired) throw new Error('lock not acquired')
  const outcomes: Record<string, TypeOutcome> = {}
  for (const [type, status] of Object.entries(spec.types)) {
    outcomes[type] = {
      ...emptyTypeOutcome(),
      status: status!,
      ...(status === 'complete' || spec.withoutCodes ? {} : { errorCode: 'GRAPH_UNAVAILABLE' as const })
    }
  }
  const first = Object.keys(outcomes)[0]
  if (first && spec.skippedItems) outcomes[first]!.skippedItems = spec.skippedItems
  const row = runs.createRunning({
    tenantId: 't',
    selectionHash: hash,
    selection,
    correlationId: `c${minute}`,
    trigger: 'test',
    startedAt,
    typeOutcomes: outcomes
  })
  locks.setHolder('t', hash, lock.token, row.id)
  const items = (spec.seen ?? []).map((key) => {
    const [policyType, externalId] = key.split(':') as [string, string]
    return {
      policyType,
      externalId,
      displayName: `Name ${externalId}`,
      category: 'configuration',
      platform: 'windows',
      metaJson: '{}'
    }
  })
  const nowIso = iso(minute++)
  inventory.writePage({
    tenantId: 't',
    selectionHash: hash,
    runId: row.id,
    nowIso,
    items,
    lock: { token: lock.token, expiresIso: iso(minute + 60) },
    progress: { itemsObserved: items.length, itemsUpserted: 0, typeOutcomesJson: JSON.stringify(outcomes) }
  })
  if (spec.leaveRunning) {
    // its lease lapses: the lock frees, the run row stays 'running'
    locks.release('t', hash, lock.token, iso(minute))
    return row.id
  }
  runs.finish(row.id, {
    ...runVerdict(outcomes, undefined),
    itemsObservedCount: items.length,
    itemsUpsertedCount: items.length,
    typeOutcomes: outcomes,
    finishedAt: iso(minute++)
  })
  locks.release('t', hash, lock.token, iso(minute))
  started.set(row.id, startedAt)
  return row.id
}

const judge = (opts: { policyTypes?: string[] } = {}) => service.judge('t', SELECTION, opts)
const ids = (j: ReturnType<typeof judge>): string[] => j.items.map((i) => `${i.policyType}:${i.externalId}`)

beforeEach(() => {
  db = openDatabase({ file: ':memory:' })
  runs = new RunsRepo(db.orm)
  inventory = new InventoryRepo(db.sqlite)
  locks = new LocksRepo(db.orm, db.sqlite, () => true)
  service = new MissingService(runs, inventory)
  minute = 0
  started.clear()
  new TenantsRepo(db.orm).insert({
    id: 't',
    displayName: 'T',
    azureTenantId: 't.onmicrosoft.com',
    cloud: 'public',
    clientId: 'c',
    authMethod: 'secret',
    createdAt: iso(-1),
    updatedAt: iso(-1)
  })
})
afterEach(() => db.close())

describe('MissingService.judge', () => {
  it('judges nothing before the selection finished a run', () => {
    const j = judge()
    expect(j.judgedBy).toBeNull()
    expect(j.lowConfidence).toBe(true)
    expect(j.typeCoverage).toEqual({ [A]: 'not_collected', [B]: 'not_collected', [C]: 'not_collected' })
    expect(j.items).toEqual([])
    expect(j.selectionHash).toBe(HASH)
    expect(j.selection.policy_types).toEqual([B, A, C]) // sorted: compliancePolicy first
    expect(j.confidenceReason).toMatch(/^unknown: /)
  })

  it('lists what the latest run did not see: absent where its type was complete, else not collected', () => {
    const r1 = run({
      types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' },
      seen: [`${A}:a1`, `${A}:a2`, `${B}:b1`]
    })
    const r2 = run({ types: { [A]: 'complete', [B]: 'failed', [C]: 'complete' }, seen: [`${A}:a1`] })
    const j = judge()
    expect(j.judgedBy).toEqual({ runId: r2, status: 'partial', hadErrors: true, finishedAt: iso(5) })
    expect(j.lowConfidence).toBe(true)
    expect(j.confidenceReason).toBe('low: the latest run was partial, 1 type not collected')
    expect(j.typeCoverage).toEqual({ [A]: 'complete', [B]: 'not_collected', [C]: 'complete' })
    expect(j.items).toHaveLength(2)
    // ordered by type, then name
    const [b1, a2] = j.items
    expect(a2).toStrictEqual({
      itemId: a2!.itemId,
      policyType: A,
      externalId: 'a2',
      displayName: 'Name a2',
      category: 'configuration',
      platform: 'windows',
      reason: 'absent',
      firstSeenAt: iso(1),
      lastSeenAt: iso(1),
      lastObservedAt: iso(1),
      lastObservedRunId: r1,
      missingSince: started.get(r2),
      absentInCompleteRuns: 1
    })
    expect(b1).toMatchObject({
      policyType: B,
      externalId: 'b1',
      reason: 'not_collected',
      lastObservedRunId: r1,
      missingSince: started.get(r2),
      absentInCompleteRuns: 0
    })
    expect(a2!.itemId).not.toBe(b1!.itemId)
  })

  it('is high confidence only after a clean success', () => {
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`] })
    const clean = judge()
    expect(clean.lowConfidence).toBe(false)
    expect(clean.confidenceReason).toBe('high: the latest run collected all 3 types completely')
    expect(clean.items).toEqual([])
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`], skippedItems: 1 })
    const withErrors = judge()
    expect(withErrors.judgedBy).toMatchObject({ status: 'success', hadErrors: true })
    expect(withErrors.lowConfidence).toBe(true)
  })

  it('says since when and after how many complete runs each item is missing', () => {
    // x1..x4 were last seen in runs 1..4; run 3 did not collect the type; run 6 judges
    const all = { [A]: 'complete', [B]: 'complete', [C]: 'complete' } as const
    const r: number[] = []
    r.push(run({ types: all, seen: [`${A}:x1`, `${A}:x2`, `${A}:x3`, `${A}:x4`] }))
    r.push(run({ types: all, seen: [`${A}:x2`, `${A}:x3`, `${A}:x4`] }))
    r.push(run({ types: { ...all, [A]: 'failed' }, seen: [] }))
    r.push(run({ types: all, seen: [`${A}:x4`] }))
    r.push(run({ types: all, seen: [] }))
    r.push(run({ types: all, seen: [] }))
    const j = judge()
    const byId = new Map(j.items.map((i) => [i.externalId, i]))
    // runs after the last observation that enumerated A completely: r3 failed, so it does not count
    expect(byId.get('x1')).toMatchObject({ lastObservedRunId: r[0], missingSince: started.get(r[1]!) })
    expect(byId.get('x1')!.absentInCompleteRuns).toBe(4)
    expect(byId.get('x2')).toMatchObject({ lastObservedRunId: r[1], missingSince: started.get(r[2]!) })
    expect(byId.get('x2')!.absentInCompleteRuns).toBe(3)
    expect(byId.get('x3')).toMatchObject({ lastObservedRunId: r[1], missingSince: started.get(r[2]!) })
    expect(byId.get('x4')).toMatchObject({ lastObservedRunId: r[3], missingSince: started.get(r[4]!) })
    expect(byId.get('x4')!.absentInCompleteRuns).toBe(2)
    expect(ids(j)).toEqual([`${A}:x1`, `${A}:x2`, `${A}:x3`, `${A}:x4`])
  })

  it('leaves types out of the run selection unjudged', () => {
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`, `${C}:c1`] })
    run({ types: { [A]: 'complete', [B]: 'complete' }, seen: [] })
    const j = judge()
    expect(j.typeCoverage).toEqual({ [A]: 'complete', [B]: 'complete', [C]: 'out_of_selection' })
    expect(ids(j)).toEqual([`${A}:a1`])
    expect(j.lowConfidence).toBe(false)
    expect(j.confidenceReason).toBe(
      'high: the latest run collected all 2 types completely (1 type excluded for this tenant)'
    )
  })

  it('narrows the list to the requested types', () => {
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`, `${B}:b1`] })
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [] })
    expect(ids(judge({ policyTypes: [B] }))).toEqual([`${B}:b1`])
    expect(ids(judge({ policyTypes: [] }))).toEqual([])
    expect(ids(judge())).toEqual([`${B}:b1`, `${A}:a1`])
  })

  it('counts a complete run after a first run that stopped without being closed', () => {
    // the first sync died mid-way and nothing has closed it yet (it stays 'running')
    const crashed = run({
      types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' },
      seen: [`${A}:a1`],
      leaveRunning: true
    })
    const r2 = run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [] })
    const [a1] = judge().items
    expect(a1).toMatchObject({
      externalId: 'a1',
      reason: 'absent',
      lastObservedRunId: crashed,
      missingSince: started.get(r2),
      absentInCompleteRuns: 1
    })
  })

  it('does not call missing what a sync of the selection, still running, has seen again', () => {
    // the consultant opens Missing while the next sync runs: the judgement stays the finished run's
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`, `${A}:a2`] })
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`] })
    const syncing = run({
      types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' },
      seen: [`${A}:a1`],
      leaveRunning: true
    })
    const j = judge()
    expect(j.judgedBy?.runId).toBeLessThan(syncing)
    expect(ids(j)).toEqual([`${A}:a2`])
  })

  it('is low confidence after a partial run even when it recorded no error code', () => {
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`] })
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'skipped' }, seen: [], withoutCodes: true })
    const j = judge()
    expect(j.judgedBy).toMatchObject({ status: 'partial', hadErrors: false })
    expect(j.lowConfidence).toBe(true)
  })

  it('is not changed by runs of another selection', () => {
    run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`, `${A}:a2`] })
    const r2 = run({ types: { [A]: 'complete', [B]: 'complete', [C]: 'complete' }, seen: [`${A}:a1`] })
    run({ types: { [A]: 'complete' }, seen: [], selection: { policy_types: [A] } })
    const j = judge()
    expect(j.judgedBy?.runId).toBe(r2)
    expect(ids(j)).toEqual([`${A}:a2`])
    expect(j.items[0]!.absentInCompleteRuns).toBe(1)
  })
})
