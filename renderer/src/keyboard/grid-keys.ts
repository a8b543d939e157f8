/**
 * Where a grid's active row moves for a key (w3.org/WAI/ARIA/apg/patterns/grid): arrows by one row,
 * Page Up/Down by a page, Home/End (or Ctrl+Home/End) to the ends. Pure, so it is unit-tested; null for a
 * key the grid does not handle, so the browser keeps it.
 */
export function nextRow(key: string, index: number, count: number, pageSize = 10): number | null {
  if (count <= 0) return null
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i))
  switch (key) {
    case 'ArrowDown':
      return clamp(index + 1)
    case 'ArrowUp':
      return clamp(index - 1)
    case 'PageDown':
      return clamp(index + pageSize)
    case 'PageUp':
      return clamp(index - pageSize)
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}
