import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * Focus goes back to what opened a drawer or dialog once it closes (ui-design.md §5; WCAG H102). The
 * shell's surfaces unmount on close, and Fluent then left the focus on <body>: the next Tab started again
 * at the top of the window, and a screen reader said nothing about where the user was.
 */

/** What the user acted from, read at the moment of the action (before the surface takes the focus). */
export function focusOrigin(active: Element | null = document.activeElement): HTMLElement | null {
  if (!(active instanceof HTMLElement) || active === document.body) return null
  // a menu item goes away with its menu: the button that opened the menu stands in for it
  if (active.closest('[role="menu"]'))
    return document.querySelector<HTMLElement>('[aria-haspopup="menu"][aria-expanded="true"]')
  return active
}

/** Back to the origin; when that is gone or disabled (a removed tenant's row), to the page itself. */
export function returnFocus(origin: HTMLElement | null): void {
  if (origin?.isConnected) {
    origin.focus()
    if (document.activeElement === origin) return
  }
  document.querySelector<HTMLElement>('[data-region="main"]')?.focus()
}

/**
 * useState for what a surface shows (null: closed), remembering where the focus was when it opened from
 * closed and returning it there once it is closed again. Switching from one surface to another (the sync
 * picker handing over to the live panel) keeps the first origin.
 */
export function useFocusReturningState<T>(): [T | null, (next: T | null) => void] {
  const [value, setValue] = useState<T | null>(null)
  const open = useRef(false)
  const origin = useRef<HTMLElement | null>(null)
  const set = useCallback((next: T | null) => {
    if (next !== null && !open.current) origin.current = focusOrigin()
    open.current = next !== null
    setValue(next)
  }, [])
  useEffect(() => {
    if (value !== null || !origin.current) return
    const from = origin.current
    origin.current = null
    returnFocus(from)
  }, [value])
  return [value, set]
}
