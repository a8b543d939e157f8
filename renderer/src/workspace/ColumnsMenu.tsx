import {
  Menu,
  MenuButton,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger
} from '@fluentui/react-components'
import { ColumnTripleRegular } from '@fluentui/react-icons'
import type { InventoryColumnId } from '../../../preload/contract'
import { ALL_COLUMN_IDS, GRID_COLUMNS } from './columns'

/**
 * The column chooser. A column switched on is added at the end (the grid keeps the order the user built);
 * the last column cannot be switched off.
 */
export function ColumnsMenu({
  columns,
  onChange
}: {
  columns: readonly InventoryColumnId[]
  onChange: (next: InventoryColumnId[]) => void
}) {
  return (
    <Menu
      checkedValues={{ columns: [...columns] }}
      onCheckedValueChange={(_, d) => {
        const on = new Set(d.checkedItems)
        if (on.size === 0) return
        const kept = columns.filter((id) => on.has(id))
        const added = ALL_COLUMN_IDS.filter((id) => on.has(id) && !columns.includes(id))
        onChange([...kept, ...added])
      }}
    >
      <MenuTrigger disableButtonEnhancement>
        <MenuButton size="small" icon={<ColumnTripleRegular />} data-testid="columns-menu">
          Columns
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList aria-label="Columns shown">
          {ALL_COLUMN_IDS.map((id) => (
            <MenuItemCheckbox key={id} name="columns" value={id} data-testid="column-option">
              {GRID_COLUMNS[id].label}
            </MenuItemCheckbox>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  )
}
