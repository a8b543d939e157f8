import { useEffect, useState } from 'react'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle
} from '@fluentui/react-components'
import { toShownError, unwrap, type ShownError, type TenantView } from '../atlas-client'
import { formatCount, plural, visibleText } from '../format'
import type { Workspace } from '../state/use-workspace'
import { ErrorBar } from './ErrorBar'

/** Destructive, so a Dialog that says exactly what goes: runs, inventory, the stored credential. */
export function RemoveTenantDialog({
  ws,
  tenant,
  onClose
}: {
  ws: Workspace
  tenant: TenantView
  onClose: () => void
}) {
  const [counts, setCounts] = useState<{ runs: number; items: number } | null>(null)
  const [error, setError] = useState<ShownError | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    Promise.all([
      unwrap(ws.atlas.listRuns({ tenantId: tenant.id, limit: 1000 })),
      unwrap(ws.atlas.listInventory({ tenantId: tenant.id, limit: 1 }))
    ])
      .then(([runs, inv]) => setCounts({ runs: runs.length, items: inv.total }))
      .catch((err: unknown) => setError(toShownError(err)))
  }, [ws.atlas, tenant.id])

  const remove = async () => {
    setBusy(true)
    try {
      await unwrap(ws.atlas.removeTenant({ idOrName: tenant.id }))
      await ws.refreshTenants()
      onClose()
    } catch (err) {
      setError(toShownError(err))
      setBusy(false)
    }
  }
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Remove {visibleText(tenant.displayName)}?</DialogTitle>
          <DialogContent>
            {error ? <ErrorBar error={error} /> : null}
            <p data-testid="remove-summary">
              This deletes from this computer{' '}
              {counts
                ? `${plural(counts.runs, 'sync run')} and the inventory of ${formatCount(counts.items)} objects`
                : 'its sync runs and inventory'}
              , and its stored {tenant.authMethod === 'certificate' ? 'certificate' : 'client secret'}.
            </p>
            <p>Nothing changes in the tenant or its app registration in Microsoft Entra ID.</p>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => void remove()} disabled={busy}>
              Remove tenant
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
