/** The shape of bench-results/latest.json: one entry per goal of the "Proof" issue. */

export interface GoalResult {
  /** stable id, e.g. 'sync20k.idealBound.cold' */
  id: string
  title: string
  /** the measured ratio the goal is judged on (never an absolute time) */
  ratio: number | null
  /** e.g. '<= 1.15' or '>= 4'; 'info' for a figure reported for context only */
  goal: string
  verdict: 'pass' | 'fail' | 'not measured' | 'info'
  /** what was divided by what, in words */
  definition: string
  /** absolute figures of this run, for context only: they depend on the machine and are never judged */
  context: Record<string, unknown>
  note?: string
}

export interface BenchSection {
  name: string
  goals: GoalResult[]
  /** setup facts (dataset, page counts, repetitions) so a reader can redo the arithmetic */
  setup: Record<string, unknown>
  /** findings worth the lead's attention (missed goals, limits, suggested fixes) */
  findings: string[]
}

export function judge(ratio: number | null, goal: string): GoalResult['verdict'] {
  if (ratio === null || !Number.isFinite(ratio)) return 'not measured'
  if (goal === 'info') return 'info'
  const m = /^(<=|>=)\s*([\d.]+)$/.exec(goal.trim())
  if (!m) throw new Error(`bad goal expression ${goal}`)
  const bound = Number(m[2])
  return (m[1] === '<=' ? ratio <= bound : ratio >= bound) ? 'pass' : 'fail'
}

export function goal(
  g: Omit<GoalResult, 'verdict' | 'ratio'> & { ratio: number | null },
  digits = 2
): GoalResult {
  // judged on the unrounded value: rounding must never turn a miss into a pass
  const ratio = g.ratio === null ? null : Math.round(g.ratio * 10 ** digits) / 10 ** digits
  return { ...g, ratio, verdict: judge(g.ratio, g.goal) }
}
