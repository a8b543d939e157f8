import { useEffect, useRef } from 'react'
import { nextRegion, shortcutFor } from './shortcuts'

/**
 * The window's shortcuts on one keydown listener. Regions are the elements marked `data-region` in
 * document order (navigation, page, live panel when open); F6 focuses the next one's entry point: its
 * element marked `data-region-entry`, else its first control, else the region itself.
 */
export interface ShortcutHandlers {
  /** focus the tenant switcher */
  switcher: () => void
  /** sync the current tenant with its remembered selection */
  sync: () => void
  /** open the keyboard shortcuts help */
  help: () => void
}

const CONTROL =
  'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])'

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement) return true
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type)
}

/** A modal drawer or dialog keeps the keyboard: the window's shortcuts wait until it closes. */
function modalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"], [role="alertdialog"]') !== null
}

function focusRegion(region: HTMLElement): void {
  const entry =
    region.querySelector<HTMLElement>('[data-region-entry]') ?? region.querySelector<HTMLElement>(CONTROL)
  ;(entry ?? region).focus()
}

export function useWindowShortcuts(handlers: ShortcutHandlers): void {
  // the latest handlers without re-adding the listener on every render
  const latest = useRef(handlers)
  latest.current = handlers

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e, typingIn(e.target))
      if (!action || modalOpen()) return
      switch (action) {
        case 'regions':
        case 'regionsBack': {
          const regions = [...document.querySelectorAll<HTMLElement>('[data-region]')]
          const at = regions.findIndex((r) => r.contains(document.activeElement))
          const next = regions[nextRegion(at, regions.length, action === 'regionsBack')]
          if (next) focusRegion(next)
          break
        }
        case 'search': {
          const box = document.querySelector<HTMLElement>(
            '[data-region="main"] input[type="search"], [data-region="main"] [data-filter]'
          )
          // a page without a search box leaves Ctrl+F to the browser's find
          if (!box) return
          box.focus()
          break
        }
        case 'switcher':
          latest.current.switcher()
          break
        case 'sync':
          latest.current.sync()
          break
        case 'help':
          latest.current.help()
          break
      }
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
