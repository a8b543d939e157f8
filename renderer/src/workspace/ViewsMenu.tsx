import { useState } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Menu,
  MenuButton,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger
} from '@fluentui/react-components'
import { BookmarkRegular, DeleteRegular, SaveRegular } from '@fluentui/react-icons'
import type { SavedView } from '../../../preload/contract'

/** The longest name views:save accepts (domain/inventory-query.ts VIEW_LIMITS). */
const NAME_MAX = 80

/**
 * Saved views: apply one, save the current filter + columns + sort under a name (an existing name is
 * replaced), delete the applied one. The list lives in the engine's settings store (views:*).
 */
export function ViewsMenu({
  views,
  current,
  onApply,
  onSave,
  onDelete
}: {
  views: readonly SavedView[]
  current: string | null
  onApply: (view: SavedView) => void
  onSave: (name: string) => Promise<boolean>
  onDelete: (name: string) => void
}) {
  const [saving, setSaving] = useState(false)
  const [name, setName] = useState('')
  const trimmed = name.trim()
  const tooLong = trimmed.length > NAME_MAX
  const submit = async () => {
    if (trimmed === '' || tooLong) return
    if (await onSave(trimmed)) setSaving(false)
  }
  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <MenuButton size="small" icon={<BookmarkRegular />} data-testid="views-menu">
            {current ? `View: ${current}` : 'Views'}
          </MenuButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuGroup>
              <MenuGroupHeader>Saved views</MenuGroupHeader>
              {views.length === 0 ? <MenuItem disabled>None saved yet</MenuItem> : null}
              {views.map((v) => (
                <MenuItem key={v.name} onClick={() => onApply(v)} data-testid="view-option">
                  {v.name}
                </MenuItem>
              ))}
            </MenuGroup>
            <MenuDivider />
            <MenuItem
              icon={<SaveRegular />}
              onClick={() => {
                setName(current ?? '')
                setSaving(true)
              }}
            >
              Save view as…
            </MenuItem>
            {current ? (
              <MenuItem icon={<DeleteRegular />} onClick={() => onDelete(current)}>
                Delete “{current}”
              </MenuItem>
            ) : null}
          </MenuList>
        </MenuPopover>
      </Menu>
      <Dialog open={saving} onOpenChange={(_, d) => setSaving(d.open)}>
        <DialogSurface aria-describedby={undefined}>
          <form
            onSubmit={(e) => {
              e.preventDefault()
              void submit()
            }}
          >
            <DialogBody>
              <DialogTitle>Save view</DialogTitle>
              <DialogContent>
                <Field
                  label="Name"
                  hint="The filters, columns and sort on screen now. A view with the same name is replaced."
                  validationMessage={tooLong ? `At most ${NAME_MAX} characters.` : undefined}
                >
                  <Input
                    value={name}
                    onChange={(_, d) => setName(d.value)}
                    autoFocus
                    data-testid="view-name"
                  />
                </Field>
              </DialogContent>
              <DialogActions>
                <Button appearance="secondary" onClick={() => setSaving(false)}>
                  Cancel
                </Button>
                <Button appearance="primary" type="submit" disabled={trimmed === '' || tooLong}>
                  Save
                </Button>
              </DialogActions>
            </DialogBody>
          </form>
        </DialogSurface>
      </Dialog>
    </>
  )
}
