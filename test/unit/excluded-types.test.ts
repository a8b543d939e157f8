import { describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import { checkExcludedTypes, parseExcludedTypes } from '../../main/tenants/excluded-types'

describe('parseExcludedTypes', () => {
  it('reads the JSON list, keeping strings only', () => {
    expect(parseExcludedTypes('["mobileApp","compliancePolicy"]')).toEqual(['mobileApp', 'compliancePolicy'])
    expect(parseExcludedTypes('["a", 1, null, {"b": 2}, "c"]')).toEqual(['a', 'c'])
  })

  it('treats a missing, empty or unreadable column as no exclusion', () => {
    for (const raw of [null, undefined, '[]', '', 'not json', '{"a":1}', '"a"', '42']) {
      expect(parseExcludedTypes(raw), String(raw)).toEqual([])
    }
  })
})

describe('checkExcludedTypes', () => {
  it('stores each known type once, sorted', () => {
    expect(checkExcludedTypes(['mobileApp', 'compliancePolicy', 'mobileApp'])).toEqual([
      'compliancePolicy',
      'mobileApp'
    ])
    expect(checkExcludedTypes([])).toEqual([])
  })

  it('refuses an unknown type key by name', () => {
    let err: unknown
    try {
      checkExcludedTypes(['mobileApp', 'noSuchType'])
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(AtlasError)
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"noSuchType"') })
  })
})
