import { Button, makeStyles, Text, Title2, tokens } from '@fluentui/react-components'
import { AddRegular, BeakerRegular } from '@fluentui/react-icons'
import { useState } from 'react'
import { toShownError, unwrap } from '../atlas-client'
import type { Ui } from '../state/ui'
import type { Workspace } from '../state/use-workspace'

const useStyles = makeStyles({
  root: {
    margin: 'auto',
    maxWidth: '520px',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalL,
    textAlign: 'center'
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM }
})

/** No tenant yet: say what the app does and offer the two ways in. */
export function FirstStart({ ws, ui }: { ws: Workspace; ui: Ui }) {
  const styles = useStyles()
  const [busy, setBusy] = useState(false)
  const explore = async () => {
    setBusy(true)
    try {
      const outcome = await unwrap(ws.atlas.exploreDemo())
      await ws.refreshTenants()
      ui.setTenantId(outcome.tenantId)
      ui.setView('tenants')
    } catch (err) {
      ws.setError(toShownError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className={styles.root} aria-labelledby="first-start-title">
      <Title2 as="h2" id="first-start-title">
        Audit your clients&apos; Intune tenants
      </Title2>
      <Text>
        Tenant Atlas reads each tenant&apos;s Intune objects from Microsoft Graph, keeps a last-observed
        inventory you can browse offline, records every sync, and tells you which objects went missing and how
        far to trust that.
      </Text>
      <Text>
        Add a client tenant with an app registration, or explore a simulated demo tenant first: nothing leaves
        this machine.
      </Text>
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={<AddRegular />}
          onClick={() => ui.setDrawer({ kind: 'tenant', tenant: null })}
        >
          Add tenant
        </Button>
        <Button icon={<BeakerRegular />} onClick={() => void explore()} disabled={busy}>
          Explore demo tenant
        </Button>
      </div>
    </section>
  )
}
