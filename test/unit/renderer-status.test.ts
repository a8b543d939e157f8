import { describe, expect, it } from 'vitest'
import { confidenceReason } from '../../main/inventory/confidence'
import { confidenceSentence } from '../../renderer/src/status'

/**
 * The window says a confidence level once, with its badge (Low / Normal confidence); the engine's rule
 * text beside it must not say it again in other words ("high:" next to "Normal confidence").
 */
describe('confidenceSentence', () => {
  it('drops the engine level word and starts the sentence with a capital', () => {
    expect(confidenceSentence('low: the latest run was partial, 1 type not collected')).toBe(
      'The latest run was partial, 1 type not collected'
    )
    expect(confidenceSentence('high: the latest run collected all 39 types completely')).toBe(
      'The latest run collected all 39 types completely'
    )
  })

  it('reads every rule the engine writes without a level word', () => {
    const coverage = { a: 'complete', b: 'not_collected', c: 'out_of_selection' } as const
    const run = { runId: 3, status: 'partial' as const, hadErrors: false, finishedAt: null }
    const rules = [
      confidenceReason({ judgedBy: null, lowConfidence: true, typeCoverage: coverage }),
      confidenceReason({ judgedBy: run, lowConfidence: true, typeCoverage: coverage }),
      confidenceReason({
        judgedBy: { ...run, status: 'success' },
        lowConfidence: false,
        typeCoverage: coverage
      })
    ]
    for (const rule of rules) {
      const sentence = confidenceSentence(rule)
      expect(sentence).not.toMatch(/^(high|low|unknown)\b/i)
      expect(sentence.charAt(0)).toBe(sentence.charAt(0).toUpperCase())
      expect(rule.toLowerCase()).toContain(sentence.toLowerCase())
    }
  })

  it('leaves a sentence without a level word as it is', () => {
    expect(confidenceSentence('Nothing judged yet')).toBe('Nothing judged yet')
  })
})
