import { useCallback } from 'react'
import { MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components'
import { toShownError } from '../atlas-client'
import { ExportButton } from '../components/ExportButton'
import { InventoryTable, useInventory } from '../components/InventoryTable'
import { PageHeader } from '../components/PageHeader'
import { Freshness } from '../components/Freshness'
import type { Ui } from '../state/ui'
import type { Workspace } from '../state/use-workspace'

/** The last-observed inventory of the chosen tenant: every object, sortable and filterable. */
export function InventoryScreen({ ws, ui }: { ws: Workspace; ui: Ui }) {
  const tenant = ws.tenants.find((t) => t.id === ui.tenantId)
  const onError = useCallback((err: unknown) => ws.setError(toShownError(err)), [ws.setError])
  const items = useInventory(ws.atlas, tenant?.id ?? '', ws.runsVersion, onError)
  if (!tenant) return null
  const last = ws.lastRun[tenant.id] ?? null
  const notCollected = last
    ? Object.values(last.typeOutcomes).filter((o) => o.status === 'failed' || o.status === 'skipped').length
    : 0
  return (
    <>
      <PageHeader title={`Inventory · ${tenant.displayName}`} caption={<Freshness run={last} />}>
        <ExportButton
          atlas={ws.atlas}
          request={{ view: 'inventory', tenant: tenant.id }}
          label="Export CSV"
          onError={ws.setError}
        />
      </PageHeader>
      {notCollected > 0 ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            The latest run did not collect {notCollected} {notCollected === 1 ? 'type' : 'types'}: their
            objects show as last observed before it.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {items === null ? (
        <Spinner label="Loading inventory…" />
      ) : (
        <InventoryTable items={items} typeLabel={ws.typeLabel} categoryLabel={ws.categoryLabel} />
      )}
    </>
  )
}
