/**
 * Goal: judging "missing" over 100k items (MissingService.judge through the API) costs at most 1.5× one
 * hand-written SQL statement producing the same rows: the items the selection observed before but not in
 * its latest terminal run, with the reason and the "missing since" time, in the same order.
 */
import type Database from 'better-sqlite3'
import { TERMINAL_RUN_STATUSES } from '../../domain/run'
import { goal, type BenchSection } from './bench-types'
import { ALL_SELECTION, type PopulatedAtlas } from './populated-atlas'
import { interleaved, median, round } from './measure'

interface RawMissingRow {
  itemId: number
  policyType: string
  reason: string
  missingSince: string | null
}

/**
 * The baseline: latest terminal run first (one indexed row), then one statement. "complete" types come
 * from that run's type_outcomes via json_each; "missing since" is the start of the first terminal run of
 * the selection after the item's last observation (a correlated lookup on a handful of runs).
 */
function rawMissing(sqlite: Database.Database, tenantId: string, hash: string): RawMissingRow[] {
  const statuses = JSON.stringify(TERMINAL_RUN_STATUSES)
  const judge = sqlite
    .prepare(
      `SELECT id, type_outcomes AS outcomes FROM inventory_sync_runs
       WHERE tenant_id = ? AND selection_hash = ? AND finished_at IS NOT NULL
         AND status IN (SELECT value FROM json_each(?))
       ORDER BY finished_at DESC, id DESC LIMIT 1`
    )
    .get(tenantId, hash, statuses) as { id: number; outcomes: string } | undefined
  if (!judge) return []
  return sqlite
    .prepare(
      `WITH complete AS (
         SELECT key AS policy_type FROM json_each(@outcomes) WHERE json_extract(value, '$.status') = 'complete'
       ), terminal AS (
         SELECT id, started_at FROM inventory_sync_runs
         WHERE tenant_id = @tenant AND selection_hash = @hash AND status IN (SELECT value FROM json_each(@statuses))
       )
       SELECT i.id AS itemId, i.policy_type AS policyType, i.external_id AS externalId,
         i.display_name AS displayName, i.category, i.platform,
         CASE WHEN i.policy_type IN (SELECT policy_type FROM complete) THEN 'absent' ELSE 'not_collected' END
           AS reason,
         i.first_seen_at AS firstSeenAt, i.last_seen_at AS lastSeenAt,
         o.last_observed_at AS lastObservedAt, o.last_observed_run_id AS lastObservedRunId,
         (SELECT t.started_at FROM terminal t WHERE t.id > o.last_observed_run_id ORDER BY t.id LIMIT 1)
           AS missingSince
       FROM inventory_observations o JOIN inventory_items i ON i.id = o.item_id
       WHERE o.tenant_id = @tenant AND o.selection_hash = @hash AND o.last_observed_run_id < @judge
       ORDER BY i.policy_type, i.display_name COLLATE NOCASE, i.external_id`
    )
    .all({ tenant: tenantId, hash, judge: judge.id, outcomes: judge.outcomes, statuses }) as RawMissingRow[]
}

export async function benchMissing(opts: {
  fixture: PopulatedAtlas
  runs: number
  warmup: number
}): Promise<BenchSection> {
  const { atlas, tenant, selectionHash } = opts.fixture
  const sqlite = atlas.db.sqlite
  const engine = (): number =>
    atlas.getMissing({ tenantId: tenant.id, selection: ALL_SELECTION }).items.length
  const raw = (): number => rawMissing(sqlite, tenant.id, selectionHash).length

  // same answer first, or the timing compares different work
  const judgement = atlas.getMissing({ tenantId: tenant.id, selection: ALL_SELECTION })
  const rawRows = rawMissing(sqlite, tenant.id, selectionHash)
  const same =
    judgement.items.length === rawRows.length &&
    judgement.items.every((it, i) => {
      const r = rawRows[i]!
      return it.itemId === r.itemId && it.reason === r.reason && it.missingSince === r.missingSince
    })
  if (!same || rawRows.length !== opts.fixture.missing) {
    throw new Error(
      `missing baseline disagrees with the engine: ${judgement.items.length} vs ${rawRows.length} rows ` +
        `(expected ${opts.fixture.missing})`
    )
  }

  const { a: e, b: r } = await interleaved(opts.runs, opts.warmup, engine, raw)
  const em = median(e)
  const rm = median(r)
  const g = goal({
    id: 'missing100k',
    title: `Missing judgement on ${opts.fixture.items} items (${opts.fixture.missing} missing)`,
    ratio: em / rm,
    goal: '<= 1.5',
    definition:
      'median atlas.getMissing (MissingService.judge) time / median hand-written SQL (.all()) time, same rows',
    context: {
      engineMedianMs: round(em, 1),
      rawMedianMs: round(rm, 1),
      engineSamplesMs: e.map((v) => round(v, 1)),
      rawSamplesMs: r.map((v) => round(v, 1))
    }
  })
  return {
    name: `Missing query (${opts.fixture.items} items)`,
    goals: [g],
    findings: g.verdict === 'fail' ? [`${g.title}: ${g.ratio}× (goal ${g.goal}).`] : [],
    setup: {
      items: opts.fixture.items,
      missing: opts.fixture.missing,
      runs: opts.runs,
      warmup: opts.warmup,
      note: 'both sides checked to return the same item ids, reasons and missing-since values in the same order'
    }
  }
}
