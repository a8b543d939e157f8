import { describe, expect, it } from 'vitest'
import { propertiesChanged, stableMetaJson } from '../../domain/item-properties'

const base = {
  displayName: 'Win - Baseline',
  category: 'configuration',
  platform: 'windows',
  metaJson: JSON.stringify({
    description: 'd',
    lastModifiedDateTime: '2026-01-01T00:00:00Z',
    settings: { a: 1, b: [1, 2] },
    version: 3
  })
}

describe('change detection on stored properties', () => {
  it('the same content is no change', () => {
    expect(propertiesChanged(base, { ...base })).toBe(false)
  })

  it('property order does not count, at any depth', () => {
    const reordered = JSON.stringify({
      version: 3,
      settings: { b: [1, 2], a: 1 },
      lastModifiedDateTime: '2026-01-01T00:00:00Z',
      description: 'd'
    })
    expect(propertiesChanged(base, { ...base, metaJson: reordered })).toBe(false)
  })

  it('volatile timestamps and version moving alone are not a change', () => {
    const restamped = JSON.stringify({
      description: 'd',
      lastModifiedDateTime: '2026-06-01T09:30:00Z',
      modifiedDateTime: '2026-06-01T09:30:00Z',
      settings: { a: 1, b: [1, 2] },
      version: 9
    })
    expect(propertiesChanged(base, { ...base, metaJson: restamped })).toBe(false)
  })

  it('a changed value, a new key, a nested edit, an array order, name, category or platform are changes', () => {
    const meta = (m: Record<string, unknown>): string =>
      JSON.stringify({ description: 'd', settings: { a: 1, b: [1, 2] }, ...m })
    expect(propertiesChanged(base, { ...base, metaJson: meta({ description: 'e' }) })).toBe(true)
    expect(propertiesChanged(base, { ...base, metaJson: meta({ isAssigned: true }) })).toBe(true)
    expect(propertiesChanged(base, { ...base, metaJson: meta({ settings: { a: 2, b: [1, 2] } }) })).toBe(true)
    // array order is data (an ordered list of rules), not formatting
    expect(propertiesChanged(base, { ...base, metaJson: meta({ settings: { a: 1, b: [2, 1] } }) })).toBe(true)
    expect(propertiesChanged(base, { ...base, displayName: 'Win - Baseline 2' })).toBe(true)
    expect(propertiesChanged(base, { ...base, category: 'security' })).toBe(true)
    expect(propertiesChanged(base, { ...base, platform: 'multi' })).toBe(true)
  })

  it('keeps only top-level volatile keys out: a nested "version" is content', () => {
    expect(stableMetaJson('{"app":{"version":"1.2"},"version":4}')).toBe('{"app":{"version":"1.2"}}')
  })

  it('compares unparseable text as text instead of throwing', () => {
    expect(stableMetaJson('not json')).toBe('not json')
    expect(propertiesChanged({ ...base, metaJson: 'x' }, { ...base, metaJson: 'y' })).toBe(true)
  })
})
