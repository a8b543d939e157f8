import { useCallback, useId, useState, type KeyboardEvent } from 'react'
import { makeStyles, tokens } from '@fluentui/react-components'
import { nextRow } from './grid-keys'

/**
 * One grid, one Tab stop (ui-design.md §5): the table takes focus and keeps the active row in
 * aria-activedescendant, so arrows, Page Up/Down and Home/End move a visible highlight without moving DOM
 * focus, and Enter opens the active row. Controls inside rows are left out of the Tab order
 * (`tabIndex: -1` from `rowControl`): the row is the thing to act on. Shared by every data grid (runs,
 * ledger, missing, and the virtualised inventory, which scrolls the active index into view itself since
 * its row may not be in the DOM yet: `scrollTo`).
 */
const useStyles = makeStyles({
  grid: {
    '&:focus': { outlineStyle: 'none' },
    '&:focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: tokens.strokeWidthThin
    },
    // a brand tint, not the grey "selected": links in the row keep their contrast in dark (axe)
    '& [data-active="true"]': { backgroundColor: tokens.colorBrandBackground2 },
    '&:focus-visible [data-active="true"]': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: `-${tokens.strokeWidthThick}`
    }
  }
})

export interface GridKeyboard {
  /** spread on the Table: role grid, the Tab stop, the active row and the key handling */
  gridProps: {
    role: 'grid'
    tabIndex: 0
    'aria-activedescendant': string | undefined
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => void
    onFocus: () => void
    /** the focus ring of the grid and the highlight of its active row (merge with the table's own) */
    className: string
  }
  /** spread on each body row */
  rowProps: (index: number) => {
    id: string
    'data-active': boolean
    onClick: () => void
  }
  /** spread on buttons and links inside a row */
  rowControl: { tabIndex: -1 }
  active: number
}

export interface GridKeyboardOptions {
  /** brings row `index` on screen; default: scrollIntoView of its element (every row rendered) */
  scrollTo?: (index: number) => void
  /** rows Page Up/Down move, asked when the key is pressed (default 10) */
  pageSize?: () => number
}

export function useGridKeyboard(
  count: number,
  onOpen?: (index: number) => void,
  opts: GridKeyboardOptions = {}
): GridKeyboard {
  const styles = useStyles()
  const base = useId()
  const [active, setActive] = useState(-1)
  const current = count === 0 ? -1 : Math.min(active, count - 1)
  const rowId = useCallback((i: number) => `${base}-row-${i}`, [base])

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    // keys typed into a control inside the grid stay with it
    if (e.target !== e.currentTarget) return
    if (e.key === 'Enter' && current >= 0 && onOpen) {
      e.preventDefault()
      onOpen(current)
      return
    }
    const moved = nextRow(e.key, Math.max(current, 0), count, opts.pageSize?.())
    if (moved === null || e.altKey || e.shiftKey) return
    e.preventDefault()
    // with no active row yet, the first arrow lands on the first row
    const next = current < 0 && (e.key === 'ArrowDown' || e.key === 'ArrowUp') ? 0 : moved
    setActive(next)
    if (opts.scrollTo) opts.scrollTo(next)
    else document.getElementById(rowId(next))?.scrollIntoView({ block: 'nearest' })
  }

  return {
    gridProps: {
      role: 'grid',
      tabIndex: 0,
      'aria-activedescendant': current >= 0 ? rowId(current) : undefined,
      onKeyDown,
      // the first Tab into the grid shows where the arrows start
      onFocus: () => setActive((a) => (a < 0 && count > 0 ? 0 : a)),
      className: styles.grid
    },
    rowProps: (index) => ({
      id: rowId(index),
      'data-active': index === current,
      onClick: () => setActive(index)
    }),
    rowControl: { tabIndex: -1 },
    active: current
  }
}
