import { useEffect, useState } from 'react'
import {
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  NavDrawer,
  NavDrawerBody,
  NavDrawerHeader,
  NavItem,
  Spinner,
  tokens
} from '@fluentui/react-components'
// the nav's icons in the size Fluent's NavItem is drawn for (unsized icons follow the text's 1em)
import {
  BuildingMultiple20Regular,
  DataBarVertical20Regular,
  DocumentSearch20Regular,
  History20Regular,
  Table20Regular
} from '@fluentui/react-icons'
import type { AtlasBridge } from './atlas-client'
import { AppHeader } from './components/AppHeader'
import { ErrorBar } from './components/ErrorBar'
import { FirstStart } from './screens/FirstStart'
import { useWorkspace } from './state/use-workspace'
import { InventoryScreen } from './screens/InventoryScreen'
import { TenantsScreen } from './screens/TenantsScreen'
import { RunsScreen } from './screens/RunsScreen'
import { MissingScreen } from './screens/MissingScreen'
import { CrossTenantScreen } from './screens/CrossTenantScreen'
import { useUi, type View } from './state/ui'
import { useSyncAnnouncements } from './state/use-sync-announcements'
import { TenantDrawer } from './components/TenantDrawer'
import { SyncPicker } from './components/SyncPicker'
import { LivePanel } from './components/LivePanel'
import { ShortcutsDialog } from './components/ShortcutsDialog'
import { useWindowShortcuts } from './keyboard/use-window-shortcuts'
import { rememberedSelection } from './selection'
import { isActive } from './state/live-sync'
import { startSyncsLive } from './state/start-sync'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', height: '100%' },
  body: { display: 'flex', flex: 1, minHeight: 0, minWidth: 0 },
  nav: { height: '100%' },
  main: {
    flex: 1,
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}`,
    overflow: 'auto',
    backgroundColor: tokens.colorNeutralBackground2,
    // the page scrolls as a whole: no banner or table is squeezed to fit the window's height
    '& > *': { flexShrink: 0 }
  },
  loading: { margin: 'auto' }
})

const NAV: Array<{ view: View; label: string; icon: React.ReactElement }> = [
  { view: 'tenants', label: 'Tenants', icon: <BuildingMultiple20Regular /> },
  { view: 'runs', label: 'Runs', icon: <History20Regular /> },
  { view: 'missing', label: 'Missing', icon: <DocumentSearch20Regular /> },
  { view: 'inventory', label: 'Inventory', icon: <Table20Regular /> },
  { view: 'compare', label: 'Compare tenants', icon: <DataBarVertical20Regular /> }
]

const TENANT_SWITCHER = 'tenant-switcher'

/** The app frame: header with the tenant switcher, the workload nav, and the current screen. */
export function Shell({ atlas }: { atlas: AtlasBridge }) {
  const styles = useStyles()
  const ws = useWorkspace(atlas)
  const ui = useUi(ws)
  useSyncAnnouncements(ws)
  const [help, setHelp] = useState(false)

  // F5: the current tenant again, with the selection remembered for it (the picker's default)
  const syncCurrent = () => {
    const tenantId = ui.tenantId
    if (!tenantId || !ws.loaded) return
    if (isActive(ws.live.get()[tenantId])) return ui.setDrawer({ kind: 'live' })
    const all = ws.categories.flatMap((c) => c.policyTypes)
    const picked = rememberedSelection(tenantId, ws.lastRun[tenantId] ?? null, ws.categories) ?? new Set(all)
    if (picked.size === 0) return ui.setDrawer({ kind: 'sync', tenantIds: [tenantId] })
    startSyncsLive(ws, [tenantId], picked, () => ui.setDrawer({ kind: 'live' }))
  }
  useWindowShortcuts({
    switcher: () => document.getElementById(TENANT_SWITCHER)?.focus(),
    sync: syncCurrent,
    help: () => setHelp(true)
  })

  useEffect(() => {
    document.title = `Tenant Atlas · ${NAV.find((n) => n.view === ui.view)?.label ?? ''}`
  }, [ui.view])

  const empty = ws.loaded && ws.tenants.length === 0

  return (
    <div className={styles.root}>
      <AppHeader ws={ws} ui={ui} switcherId={TENANT_SWITCHER} onHelp={() => setHelp(true)} />
      <div className={styles.body}>
        <NavDrawer
          className={styles.nav}
          open
          type="inline"
          density="small"
          selectedValue={ui.view}
          onNavItemSelect={(_, data) => ui.setView(data.value as View)}
          aria-label="Workloads"
          data-region="nav"
        >
          <NavDrawerHeader />
          <NavDrawerBody>
            {NAV.map((n) => (
              <NavItem key={n.view} value={n.view} icon={n.icon}>
                {n.label}
              </NavItem>
            ))}
          </NavDrawerBody>
        </NavDrawer>
        <main
          className={styles.main}
          aria-label={NAV.find((n) => n.view === ui.view)?.label}
          data-region="main"
          tabIndex={-1}
        >
          {ws.vaultWarning ? (
            <MessageBar intent="warning" layout="multiline" data-testid="vault-warning">
              {/* the engine's warning says why and what it means; the title only names the state */}
              <MessageBarBody>
                <MessageBarTitle>Session-only credentials</MessageBarTitle>
                {ws.vaultWarning}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {ws.error ? <ErrorBar error={ws.error} onDismiss={() => ws.setError(null)} /> : null}
          {!ws.loaded ? (
            <Spinner className={styles.loading} label="Loading tenants…" />
          ) : empty ? (
            <FirstStart ws={ws} ui={ui} />
          ) : ui.view === 'tenants' ? (
            <TenantsScreen ws={ws} ui={ui} />
          ) : ui.view === 'runs' ? (
            <RunsScreen ws={ws} ui={ui} />
          ) : ui.view === 'missing' ? (
            <MissingScreen ws={ws} ui={ui} />
          ) : ui.view === 'compare' ? (
            <CrossTenantScreen ws={ws} ui={ui} />
          ) : (
            <InventoryScreen ws={ws} ui={ui} />
          )}
        </main>
        {ui.drawer?.kind === 'live' ? <LivePanel ws={ws} onClose={() => ui.setDrawer(null)} /> : null}
      </div>
      {ui.drawer?.kind === 'tenant' ? (
        <TenantDrawer
          ws={ws}
          tenant={ui.drawer.tenant}
          testAfterOpen={ui.drawer.testAfterOpen}
          onClose={() => ui.setDrawer(null)}
        />
      ) : null}
      {ui.drawer?.kind === 'sync' ? (
        <SyncPicker
          ws={ws}
          tenantIds={ui.drawer.tenantIds}
          onStarted={() => ui.setDrawer({ kind: 'live' })}
          onClose={() => ui.setDrawer(null)}
        />
      ) : null}
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  )
}
