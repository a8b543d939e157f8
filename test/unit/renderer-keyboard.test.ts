import { describe, expect, it } from 'vitest'
import { nextRow } from '../../renderer/src/keyboard/grid-keys'
import { nextRegion, shortcutFor, type KeyLike } from '../../renderer/src/keyboard/shortcuts'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods
})

describe('grid keys', () => {
  it('moves by row, by page and to the ends, never past them', () => {
    expect(nextRow('ArrowDown', 0, 5)).toBe(1)
    expect(nextRow('ArrowDown', 4, 5)).toBe(4)
    expect(nextRow('ArrowUp', 0, 5)).toBe(0)
    expect(nextRow('ArrowUp', 3, 5)).toBe(2)
    expect(nextRow('PageDown', 2, 30, 10)).toBe(12)
    expect(nextRow('PageDown', 25, 30, 10)).toBe(29)
    expect(nextRow('PageUp', 5, 30, 10)).toBe(0)
    expect(nextRow('Home', 7, 30)).toBe(0)
    expect(nextRow('End', 7, 30)).toBe(29)
  })

  it('leaves other keys, and empty grids, to the browser', () => {
    expect(nextRow('a', 0, 5)).toBeNull()
    expect(nextRow('Tab', 0, 5)).toBeNull()
    expect(nextRow('ArrowDown', 0, 0)).toBeNull()
  })
})

describe('window shortcuts', () => {
  it('maps F6, Ctrl+K, Ctrl+F, F5 and ? to their actions', () => {
    expect(shortcutFor(key('F6'), false)).toBe('regions')
    expect(shortcutFor(key('F6', { shiftKey: true }), false)).toBe('regionsBack')
    expect(shortcutFor(key('k', { ctrlKey: true }), false)).toBe('switcher')
    expect(shortcutFor(key('K', { metaKey: true }), true)).toBe('switcher')
    expect(shortcutFor(key('f', { ctrlKey: true }), true)).toBe('search')
    expect(shortcutFor(key('F5'), false)).toBe('sync')
    expect(shortcutFor(key('?', { shiftKey: true }), false)).toBe('help')
  })

  it('keeps ? a character in text fields and leaves reload and unrelated keys alone', () => {
    expect(shortcutFor(key('?', { shiftKey: true }), true)).toBeNull()
    expect(shortcutFor(key('r', { ctrlKey: true }), false)).toBeNull()
    expect(shortcutFor(key('F5', { ctrlKey: true }), false)).toBeNull()
    expect(shortcutFor(key('k'), false)).toBeNull()
    expect(shortcutFor(key('k', { ctrlKey: true, shiftKey: true }), false)).toBeNull()
  })

  it('cycles regions both ways and starts from the ends when focus is elsewhere', () => {
    expect(nextRegion(0, 3, false)).toBe(1)
    expect(nextRegion(2, 3, false)).toBe(0)
    expect(nextRegion(0, 3, true)).toBe(2)
    expect(nextRegion(-1, 3, false)).toBe(0)
    expect(nextRegion(-1, 3, true)).toBe(2)
    expect(nextRegion(0, 0, false)).toBe(-1)
  })
})
