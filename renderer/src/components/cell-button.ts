import { makeStyles } from '@fluentui/react-components'

/**
 * A text button that is a table cell's content (a run number, a count, a row's title), drawn flush with
 * the column. Fluent's small button is at least 64 px wide with its label centred, so "#3" or "17" sat
 * well right of its column's header, and a count, a wider count and a dash in the same column each started
 * somewhere else. Flush, the label starts where the header's text starts and the column reads straight
 * down. The hover and focus styles stay the button's own.
 */
export const useCellButtonStyles = makeStyles({
  flush: {
    minWidth: 0,
    paddingLeft: 0,
    paddingRight: 0,
    justifyContent: 'flex-start',
    textAlign: 'left'
  }
})
