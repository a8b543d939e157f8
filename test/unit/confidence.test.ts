import { describe, expect, it } from 'vitest'
import { confidenceReason } from '../../main/inventory/confidence'

const run = (status: 'success' | 'partial' | 'failed', hadErrors = false) => ({
  runId: 4,
  status,
  hadErrors,
  finishedAt: '2026-12-03T10:00:00.000Z'
})

describe('confidence in words', () => {
  it('says why it is low: the run status and how many types were not collected', () => {
    expect(
      confidenceReason({
        judgedBy: run('partial', true),
        lowConfidence: true,
        typeCoverage: { a: 'complete', b: 'not_collected', c: 'not_collected' }
      })
    ).toBe('low: the latest run was partial, 2 types not collected')
  })

  it('names recorded errors when every type completed', () => {
    expect(
      confidenceReason({
        judgedBy: run('success', true),
        lowConfidence: true,
        typeCoverage: { a: 'complete' }
      })
    ).toBe('low: the latest run recorded errors (objects skipped or changing while paging)')
  })

  it('is high after a clean complete run, unknown before any', () => {
    expect(
      confidenceReason({
        judgedBy: run('success'),
        lowConfidence: false,
        typeCoverage: { a: 'complete', b: 'complete' }
      })
    ).toBe('high: the latest run collected all 2 types completely')
    // types the tenant excludes are neither counted as collected nor a reason for doubt
    expect(
      confidenceReason({
        judgedBy: run('success'),
        lowConfidence: false,
        typeCoverage: { a: 'complete', b: 'out_of_selection' }
      })
    ).toBe('high: the latest run collected all 1 type completely (1 type excluded for this tenant)')
    expect(
      confidenceReason({ judgedBy: null, lowConfidence: true, typeCoverage: { a: 'not_collected' } })
    ).toMatch(/^unknown: /)
  })
})
