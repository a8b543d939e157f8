import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import {
  makeStyles,
  Menu,
  MenuButton,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  tokens
} from '@fluentui/react-components'
import { formatCount } from '../format'

const useStyles = makeStyles({
  list: { maxHeight: '360px', overflowY: 'auto' },
  count: { color: tokens.colorNeutralForeground3, marginLeft: tokens.spacingHorizontalS }
})

/**
 * A multi-select facet: every value with the number of objects it would show under the other active
 * filters (the engine's counts, inventory:facets). Chosen values stay listed even when their count is 0.
 *
 * The counts follow typing (debounced), so they can arrive while the menu is open and replace the option
 * the focus was on: the browser then drops the focus to the page, where Fluent's Escape handling (on the
 * menu) no longer hears the key. So the menu puts the focus back on the same value (or the first one) when
 * an update lost it, and Escape anywhere closes an open menu, giving the focus back to its trigger.
 */
export function FacetMenu({
  label,
  counts,
  chosen,
  valueLabel,
  onChange
}: {
  label: string
  counts: Array<{ value: string; count: number }> | null
  chosen: readonly string[]
  valueLabel: (value: string) => string
  onChange: (values: string[]) => void
}) {
  const styles = useStyles()
  const [open, setOpen] = useState(false)
  const listRef = useRef<HTMLDivElement>(null)
  const triggerRef = useRef<HTMLButtonElement>(null)
  /** the value whose option last had the focus in the open menu */
  const focusedValue = useRef<string | null>(null)
  const known = new Map((counts ?? []).map((c) => [c.value, c.count]))
  for (const value of chosen) if (!known.has(value)) known.set(value, 0)
  const options = [...known].sort((a, b) => valueLabel(a[0]).localeCompare(valueLabel(b[0])))
  const optionKey = options.map(([value, count]) => `${value}\u0000${count}`).join('\u0001')

  // after a render that changed the options, an open menu whose focus fell to the page takes it back
  useLayoutEffect(() => {
    const list = listRef.current
    if (!open || !list || list.contains(document.activeElement)) return
    if (document.activeElement !== document.body && document.activeElement !== null) return
    const items = [...list.querySelectorAll<HTMLElement>('[role="menuitemcheckbox"]')]
    const same = items.find((el) => el.dataset.value === focusedValue.current)
    ;(same ?? items[0] ?? list).focus()
  }, [open, optionKey])

  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => {
      // inside the menu Fluent handles Escape itself (and stops it there)
      if (e.key !== 'Escape' || listRef.current?.contains(e.target as Node)) return
      setOpen(false)
      triggerRef.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [open])

  return (
    <Menu
      open={open}
      onOpenChange={(_, d) => {
        if (!d.open) focusedValue.current = null
        setOpen(d.open)
      }}
      checkedValues={{ [label]: [...chosen] }}
      onCheckedValueChange={(_, d) => onChange(d.checkedItems)}
      hasCheckmarks
    >
      <MenuTrigger disableButtonEnhancement>
        <MenuButton
          ref={triggerRef}
          appearance={chosen.length > 0 ? 'primary' : 'secondary'}
          size="small"
          data-testid={`facet-${label}`}
        >
          {chosen.length > 0 ? `${label} (${chosen.length})` : label}
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList
          ref={listRef}
          className={styles.list}
          aria-label={`${label} filter`}
          onFocus={(e) => {
            const value = (e.target as HTMLElement).dataset.value
            if (value !== undefined) focusedValue.current = value
          }}
        >
          {options.length === 0 ? (
            <MenuItemCheckbox name={label} value="" disabled>
              No values
            </MenuItemCheckbox>
          ) : (
            options.map(([value, count]) => (
              <MenuItemCheckbox
                key={value}
                name={label}
                value={value}
                data-testid="facet-option"
                data-value={value}
              >
                {valueLabel(value)}
                <span className={styles.count} data-testid="facet-count">
                  {formatCount(count)}
                </span>
              </MenuItemCheckbox>
            ))
          )}
        </MenuList>
      </MenuPopover>
    </Menu>
  )
}
