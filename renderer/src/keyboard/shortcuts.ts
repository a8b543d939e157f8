/**
 * The window's keyboard shortcuts (ui-design.md §5), as the help dialog lists them and the shell handles
 * them. Ctrl+R stays the browser's (and Electron's) reload, so syncing is F5 as in the design brief; a
 * shortcut never fires while a modal surface (drawer, dialog) has the keyboard.
 */
export type ShortcutAction = 'regions' | 'regionsBack' | 'switcher' | 'search' | 'sync' | 'help'

export const SHORTCUTS: ReadonlyArray<{ keys: string; action: ShortcutAction; what: string }> = [
  { keys: 'F6', action: 'regions', what: 'Move between the navigation, the page and the live syncs panel' },
  { keys: 'Shift+F6', action: 'regionsBack', what: 'The same, backwards' },
  { keys: 'Ctrl+K', action: 'switcher', what: 'Go to the tenant switcher' },
  { keys: 'Ctrl+F', action: 'search', what: 'Go to this page’s search or filter' },
  { keys: 'F5', action: 'sync', what: 'Sync the current tenant with its last selection' },
  { keys: '?', action: 'help', what: 'Show these shortcuts' }
]

/** Grid keys, listed in the help too: they belong to the focused table, not to the window. */
export const GRID_KEYS: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: '↑ ↓', what: 'Move the active row of a table' },
  { keys: 'Page Up / Page Down, Home / End', what: 'Move by a page, or to the first or last row' },
  { keys: 'Enter', what: 'Open the active row' },
  { keys: 'Esc', what: 'Close a panel or dialog' }
]

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

/**
 * The action a key press asks for, or null. `typing` is true when the focus is in a text field, where `?`
 * is a character and not a shortcut.
 */
export function shortcutFor(e: KeyLike, typing: boolean): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey
  if (e.key === 'F6' && !mod && !e.altKey) return e.shiftKey ? 'regionsBack' : 'regions'
  if (e.key === 'F5' && !mod && !e.altKey && !e.shiftKey) return 'sync'
  if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') return 'switcher'
  if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') return 'search'
  if (e.key === '?' && !mod && !e.altKey && !typing) return 'help'
  return null
}

/** The next region for F6 (wrapping), from the one holding the focus (-1: none of them). */
export function nextRegion(current: number, count: number, back: boolean): number {
  if (count <= 0) return -1
  if (current < 0) return back ? count - 1 : 0
  return (current + (back ? count - 1 : 1)) % count
}
