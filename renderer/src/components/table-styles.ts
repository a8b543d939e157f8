import { makeStyles, tokens } from '@fluentui/react-components'

/** How the screens' data tables (tenants, runs, missing, compare) lay out their cells: one place for all. */
export const useTableStyles = makeStyles({
  /**
   * Columns sized by what they hold; widths a screen sets are hints. Fluent's fixed layout gives every
   * column the same share, so dates wrapped "PM" onto a second line and a badge ran on under the next
   * column once the table was narrow.
   */
  autoTable: { backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'auto' },
  /** A value that reads as one ("Dec 4, 2026, 12:41 PM", "< 1 s"): it never wraps. */
  oneLine: { whiteSpace: 'nowrap' },
  /**
   * A text button that is a cell's content (a run number, a count, a row's title), drawn flush with the
   * column. Fluent's small button is at least 64 px wide with its label centred, so "#3" or "17" sat well
   * right of its column's header, and a count, a wider count and a dash in one column each started
   * somewhere else. Flush, the label starts where the header's text starts. Hover and focus stay the
   * button's own.
   */
  flushButton: {
    minWidth: 0,
    paddingLeft: 0,
    paddingRight: 0,
    justifyContent: 'flex-start',
    textAlign: 'left'
  }
})
