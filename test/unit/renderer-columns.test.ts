import { describe, expect, it } from 'vitest'
import { ALL_COLUMN_IDS, GRID_COLUMNS, gridTemplate } from '../../renderer/src/workspace/columns'

/** The inventory grid shares the row's width by column, but never cuts a date short. */
describe('gridTemplate', () => {
  it('gives one track per chosen column, in the chosen order', () => {
    expect(gridTemplate(['displayName', 'platform'])).toBe(
      `${GRID_COLUMNS.displayName.width}fr ${GRID_COLUMNS.platform.width}fr`
    )
    expect(gridTemplate([])).toBe('')
  })

  it('keeps the date columns at least as wide as a whole date and lets the others give way', () => {
    const tracks = gridTemplate(ALL_COLUMN_IDS).split(/ (?![^(]*\))/)
    expect(tracks).toHaveLength(ALL_COLUMN_IDS.length)
    ALL_COLUMN_IDS.forEach((id, i) => {
      const isDate = id === 'lastSeenAt' || id === 'firstSeenAt'
      expect(tracks[i]).toMatch(isDate ? /^minmax\(\d+(\.\d+)?rem, [\d.]+fr\)$/ : /^[\d.]+fr$/)
    })
  })
})
