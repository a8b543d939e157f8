import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens
} from '@fluentui/react-components'
import { GRID_KEYS, SHORTCUTS } from '../keyboard/shortcuts'

const useStyles = makeStyles({
  keys: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: 'nowrap', width: '40%' }
})

/** The keyboard shortcuts, opened with `?` or from the header. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const styles = useStyles()
  const rows = [...SHORTCUTS.map(({ keys, what }) => ({ keys, what })), ...GRID_KEYS]
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogContent>
            <Table size="small" aria-label="Keyboard shortcuts">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Keys</TableHeaderCell>
                  <TableHeaderCell>What they do</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((r) => (
                  <TableRow key={r.keys}>
                    <TableCell className={styles.keys}>{r.keys}</TableCell>
                    <TableCell>{r.what}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
