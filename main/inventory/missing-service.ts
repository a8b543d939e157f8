import type { InventoryRepo, ItemRow } from '../../db/repositories/inventory-repo'
import type { RunRow, RunsRepo } from '../../db/repositories/runs-repo'
import { toRunSummary } from '../../db/repositories/runs-repo'
import type { RunStatus, TypeOutcome } from '../../domain/run'
import type { NormalizedSelection } from '../../domain/selection'
import { effectivePolicyTypes, normalizeSelection, selectionHash } from './selection'

export type MissingReason = 'absent' | 'not_collected'

export interface MissingItem {
  itemId: number
  policyType: string
  externalId: string
  displayName: string
  category: string
  platform: string
  reason: MissingReason
  firstSeenAt: string
  lastSeenAt: string
  /** when this selection last observed it */
  lastObservedAt: string
  lastObservedRunId: number
  /** start of the first run of this selection that did not observe it */
  missingSince: string | null
}

export interface MissingJudgement {
  selection: NormalizedSelection
  selectionHash: string
  /** the run the answer is judged by; null when the selection never finished a run */
  judgedBy: { runId: number; status: RunStatus; hadErrors: boolean; finishedAt: string | null } | null
  lowConfidence: boolean
  /** per type: was it enumerated completely by the judging run? */
  typeCoverage: Record<string, 'complete' | 'not_collected'>
  items: MissingItem[]
}

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
      return {
        selection,
        selectionHash: hash,
        judgedBy: null,
        lowConfidence: true,
        typeCoverage: Object.fromEntries(types.map((t) => [t, 'not_collected' as const])),
        items: []
      }
    }
    const run = toRunSummary(latest)
    const coverage = coverageOf(types, run.typeOutcomes)
    const since = missingSinceLookup(this.runs.terminalRunsOfSelection(tenantId, hash))
    const items: MissingItem[] = []
    for (const row of this.inventory.iterateMissing({
      tenantId,
      selectionHash: hash,
      judgingRunId: latest.id,
      policyTypes: filterTypes
    })) {
      items.push(toMissingItem(row, coverage, since))
    }
    return {
      selection,
      selectionHash: hash,
      judgedBy: judgedBy(latest),
      lowConfidence: run.status !== 'success' || run.hadErrors,
      typeCoverage: coverage,
      items
    }
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

function coverageOf(
  types: string[],
  outcomes: Record<string, TypeOutcome>
): Record<string, 'complete' | 'not_collected'> {
  return Object.fromEntries(
    types.map((t) => [
      t,
      outcomes[t]?.status === 'complete' ? ('complete' as const) : ('not_collected' as const)
    ])
  )
}

function toMissingItem(
  row: ItemRow & { lastObservedRunId: number; lastObservedAt: string },
  coverage: Record<string, 'complete' | 'not_collected'>,
  since: (afterRunId: number) => string | null
): MissingItem {
  return {
    itemId: row.id,
    policyType: row.policyType,
    externalId: row.externalId,
    displayName: row.displayName,
    category: row.category,
    platform: row.platform,
    reason: coverage[row.policyType] === 'complete' ? 'absent' : 'not_collected',
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    lastObservedAt: row.lastObservedAt,
    lastObservedRunId: row.lastObservedRunId,
    missingSince: since(row.lastObservedRunId)
  }
}

/** Binary search over the selection's terminal runs (few) instead of a correlated subquery per item. */
function missingSinceLookup(
  runs: Array<{ id: number; startedAt: string }>
): (afterRunId: number) => string | null {
  return (afterRunId) => {
    let lo = 0
    let hi = runs.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (runs[mid]!.id <= afterRunId) lo = mid + 1
      else hi = mid
    }
    return runs[lo]?.startedAt ?? null
  }
}
