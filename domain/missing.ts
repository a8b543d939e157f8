import type { RunStatus } from './run'
import type { NormalizedSelection } from './selection'

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
  /**
   * How many finished runs of this selection since it was last observed enumerated its type completely and
   * did not see it: 1 is a fresh disappearance, 30 an old one. 0 for a not-collected item.
   */
  absentInCompleteRuns: number
}

/**
 * Per type, as judged by the run: enumerated completely, not collected (failed, skipped, cancelled), or out
 * of the run's selection (the tenant excludes the type): the last are not judged at all.
 */
export type TypeCoverage = 'complete' | 'not_collected' | 'out_of_selection'

export interface MissingJudgement {
  selection: NormalizedSelection
  selectionHash: string
  /** the run the answer is judged by; null when the selection never finished a run */
  judgedBy: { runId: number; status: RunStatus; hadErrors: boolean; finishedAt: string | null } | null
  lowConfidence: boolean
  /** the confidence and why, in words ("low: the latest run was partial, 2 types not collected") */
  confidenceReason: string
  /** per type: was it enumerated completely by the judging run? */
  typeCoverage: Record<string, TypeCoverage>
  items: MissingItem[]
}
