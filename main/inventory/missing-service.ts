import type { InventoryRepo, ItemRow } from '../../db/repositories/inventory-repo'
import type { RunRow, RunsRepo } from '../../db/repositories/runs-repo'
import { toRunSummary } from '../../db/repositories/runs-repo'
import type { RunStatus, TypeOutcome } from '../../domain/run'
import type { MissingItem, MissingJudgement, TypeCoverage } from '../../domain/missing'
import { confidenceReason } from './confidence'
import { effectivePolicyTypes, normalizeSelection, selectionHash } from './selection'

// defined in domain/ so that the tenants overview (main/tenants) can read a judgement without importing the engine
export type { MissingItem, MissingJudgement, MissingReason, TypeCoverage } from '../../domain/missing'

/**
 * Missing items are derived, never stored (spec "Missing"). For (tenant, selection): take the latest
 * terminal run of that selection; an item is missing when this selection observed it before but not in
 * that run. Observation is tracked per selection (inventory_observations), so runs of other selections
 * — also overlapping ones — never change the answer. `deleted` is reserved: nothing produces it.
 */
export class MissingService {
  constructor(
    private readonly runs: RunsRepo,
    private readonly inventory: InventoryRepo
  ) {}

  judge(tenantId: string, rawSelection: unknown, opts: { policyTypes?: string[] } = {}): MissingJudgement {
    const selection = normalizeSelection(rawSelection)
    const hash = selectionHash(selection)
    const types = effectivePolicyTypes(selection)
    const filterTypes = opts.policyTypes ? types.filter((t) => opts.policyTypes!.includes(t)) : types
    const latest = this.runs.latestTerminal(tenantId, hash)
    if (!latest) {
      const typeCoverage = Object.fromEntries(types.map((t) => [t, 'not_collected' as const]))
      return {
        selection,
        selectionHash: hash,
        judgedBy: null,
        lowConfidence: true,
        confidenceReason: confidenceReason({ judgedBy: null, lowConfidence: true, typeCoverage }),
        typeCoverage,
        items: []
      }
    }
    const run = toRunSummary(latest)
    const coverage = coverageOf(types, run.typeOutcomes)
    const history = this.runs.terminalRunsOfSelection(tenantId, hash)
    const since = missingSinceLookup(history)
    const absentRuns = absentInCompleteRunsLookup(history)
    const items: MissingItem[] = []
    for (const row of this.inventory.iterateMissing({
      tenantId,
      selectionHash: hash,
      judgingRunId: latest.id,
      policyTypes: filterTypes.filter((t) => coverage[t] !== 'out_of_selection')
    })) {
      items.push(toMissingItem(row, coverage, since, absentRuns))
    }
    const verdict = {
      judgedBy: judgedBy(latest),
      lowConfidence: run.status !== 'success' || run.hadErrors,
      typeCoverage: coverage
    }
    return { selection, selectionHash: hash, ...verdict, confidenceReason: confidenceReason(verdict), items }
  }
}

function judgedBy(run: RunRow): MissingJudgement['judgedBy'] {
  return {
    runId: run.id,
    status: run.status as RunStatus,
    hadErrors: run.hadErrors,
    finishedAt: run.finishedAt
  }
}

/** A run records an outcome for every type it set out to enumerate; a type without one was not selected. */
function coverageOf(types: string[], outcomes: Record<string, TypeOutcome>): Record<string, TypeCoverage> {
  return Object.fromEntries(types.map((t) => [t, coverageOfType(outcomes[t])]))
}

function coverageOfType(outcome: TypeOutcome | undefined): TypeCoverage {
  if (!outcome) return 'out_of_selection'
  return outcome.status === 'complete' ? 'complete' : 'not_collected'
}

function toMissingItem(
  row: ItemRow & { lastObservedRunId: number; lastObservedAt: string },
  coverage: Record<string, TypeCoverage>,
  since: (afterRunId: number) => string | null,
  absentRuns: (policyType: string, afterRunId: number) => number
): MissingItem {
  const absent = coverage[row.policyType] === 'complete'
  return {
    itemId: row.id,
    policyType: row.policyType,
    externalId: row.externalId,
    displayName: row.displayName,
    category: row.category,
    platform: row.platform,
    reason: absent ? 'absent' : 'not_collected',
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    lastObservedAt: row.lastObservedAt,
    lastObservedRunId: row.lastObservedRunId,
    missingSince: since(row.lastObservedRunId),
    absentInCompleteRuns: absent ? absentRuns(row.policyType, row.lastObservedRunId) : 0
  }
}

/**
 * For a type and the run that last observed an item: how many later finished runs of the selection
 * enumerated that type completely. Counts are precomputed per type as suffix sums over the runs (few), so
 * each item is one binary search.
 */
function absentInCompleteRunsLookup(
  runs: Array<{ id: number; typeOutcomes: string }>
): (policyType: string, afterRunId: number) => number {
  const completeTypes = runs.map((r) => {
    const outcomes = JSON.parse(r.typeOutcomes) as Record<string, TypeOutcome>
    return new Set(Object.keys(outcomes).filter((t) => outcomes[t]?.status === 'complete'))
  })
  const suffix = new Map<string, number[]>()
  const countsFor = (type: string): number[] => {
    let counts = suffix.get(type)
    if (!counts) {
      counts = new Array<number>(runs.length + 1).fill(0)
      for (let i = runs.length - 1; i >= 0; i--)
        counts[i] = counts[i + 1]! + (completeTypes[i]!.has(type) ? 1 : 0)
      suffix.set(type, counts)
    }
    return counts
  }
  return (policyType, afterRunId) => countsFor(policyType)[indexAfter(runs, afterRunId)]!
}

/** Index of the first of the selection's terminal runs (ascending ids) that came after `runId`. */
function indexAfter(runs: ReadonlyArray<{ id: number }>, runId: number): number {
  // binary search over the selection's runs (few) instead of a correlated subquery per item
  let lo = 0
  let hi = runs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (runs[mid]!.id <= runId) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** When an item went missing: the start of the first terminal run after the one that last observed it. */
function missingSinceLookup(
  runs: Array<{ id: number; startedAt: string }>
): (afterRunId: number) => string | null {
  return (afterRunId) => runs[indexAfter(runs, afterRunId)]?.startedAt ?? null
}
