import type { MissingJudgement } from './missing-service'

/**
 * The confidence rule of a missing judgement in words, for the banner above the missing list and the
 * tenant overview ("low: the latest run was partial, 2 types not collected"). Same rule as
 * `lowConfidence` (missing-service.ts): anything short of a clean, complete run is low.
 */
export function confidenceReason(
  j: Pick<MissingJudgement, 'judgedBy' | 'lowConfidence' | 'typeCoverage'>
): string {
  const types = Object.values(j.typeCoverage)
  const notCollected = types.filter((c) => c === 'not_collected').length
  // types the tenant excludes are out of selection: not judged, and no reason for doubt
  const excluded = types.filter((c) => c === 'out_of_selection').length
  if (!j.judgedBy) return 'unknown: this selection has no finished sync yet, so nothing can be judged missing'
  if (!j.lowConfidence) {
    return (
      `high: the latest run collected all ${plural(types.length - excluded, 'type')} completely` +
      (excluded > 0 ? ` (${plural(excluded, 'type')} excluded for this tenant)` : '')
    )
  }
  const why: string[] = []
  if (j.judgedBy.status !== 'success') why.push(`the latest run was ${j.judgedBy.status}`)
  if (notCollected > 0) why.push(`${plural(notCollected, 'type')} not collected`)
  if (why.length === 0) why.push('the latest run recorded errors (objects skipped or changing while paging)')
  return `low: ${why.join(', ')}`
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`
}
