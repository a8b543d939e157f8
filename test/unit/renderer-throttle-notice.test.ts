import { describe, expect, it } from 'vitest'
import { throttleNotice } from '../../renderer/src/throttle-notice'

/**
 * The live panel's throttle banner once read "Graph asked to wait 40 s: Fabrikam, Device configuration
 * profile, Windows update ring, HTTP 429": tenant, types and status code in one comma list. It now leads
 * with the countdown and says in a sentence which types wait and that nothing needs doing.
 */
describe('throttleNotice', () => {
  it('leads with the countdown and names the held types in a sentence', () => {
    expect(throttleNotice(40, 429, ['Device configuration profile', 'Windows update ring'])).toEqual({
      title: 'Waiting 40 s',
      body: 'Graph asked to wait (HTTP 429). Device configuration profile and Windows update ring resume by themselves.'
    })
  })

  it('says one held type resumes by itself', () => {
    expect(throttleNotice(3, 503, ['App']).body).toBe(
      'Graph asked to wait (HTTP 503). App resumes by itself.'
    )
  })

  it('counts the held types past the third instead of listing them all', () => {
    const labels = ['A', 'B', 'C', 'D', 'E']
    expect(throttleNotice(12, 429, labels).body).toBe(
      'Graph asked to wait (HTTP 429). A, B, C, and 2 more types resume by themselves.'
    )
    expect(throttleNotice(12, 429, labels.slice(0, 4)).body).toContain('C, and 1 more type resume')
  })

  it('still says the sync goes on when no type is held', () => {
    expect(throttleNotice(9, 429, [])).toEqual({
      title: 'Waiting 9 s',
      body: 'Graph asked to wait (HTTP 429). The sync resumes by itself.'
    })
  })
})
