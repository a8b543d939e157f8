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
  const known = new Map((counts ?? []).map((c) => [c.value, c.count]))
  for (const value of chosen) if (!known.has(value)) known.set(value, 0)
  const options = [...known].sort((a, b) => valueLabel(a[0]).localeCompare(valueLabel(b[0])))
  return (
    <Menu
      checkedValues={{ [label]: [...chosen] }}
      onCheckedValueChange={(_, d) => onChange(d.checkedItems)}
      hasCheckmarks
    >
      <MenuTrigger disableButtonEnhancement>
        <MenuButton
          appearance={chosen.length > 0 ? 'primary' : 'secondary'}
          size="small"
          data-testid={`facet-${label}`}
        >
          {chosen.length > 0 ? `${label} (${chosen.length})` : label}
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList className={styles.list} aria-label={`${label} filter`}>
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
