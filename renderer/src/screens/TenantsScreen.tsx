import { useMemo, useState } from 'react'
import {
  Badge,
  Button,
  Caption1,
  CounterBadge,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  mergeClasses,
  SearchBox,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  ToolbarButton,
  ToolbarDivider
} from '@fluentui/react-components'
import {
  AddRegular,
  ArrowSyncRegular,
  BeakerRegular,
  DeleteRegular,
  EditRegular,
  MoreHorizontalRegular,
  PlugConnectedRegular
} from '@fluentui/react-icons'
import { toShownError, unwrap, type TenantView } from '../atlas-client'
import { ExportButton } from '../components/ExportButton'
import { LiveCell } from '../components/LiveState'
import { PageHeader } from '../components/PageHeader'
import { RemoveTenantDialog } from '../components/RemoveTenantDialog'
import { StatusBadge } from '../components/StatusBadge'
import { formatAge, formatCount, plural, visibleText } from '../format'
import { CLOUD_LABELS } from '../tenant-form'
import { useActiveTenants } from '../state/live-store'
import type { Ui } from '../state/ui'
import type { Workspace } from '../state/use-workspace'
import { confidenceSentence, runDetail, runStatus } from '../status'
import { ChangesSummary } from '../components/ChangesSummary'
import { useFocusReturningState } from '../keyboard/focus-return'
import { useTableStyles } from '../components/table-styles'
import { useChangesSummaries } from '../insight/use-changes'

const useStyles = makeStyles({
  // with the live syncs panel open (or in a small window) the list gets narrow: it scrolls sideways rather
  // than squeeze its badges
  scroller: { overflowX: 'auto' },
  // auto layout (table-styles.ts): a column is never narrower than its widest badge
  table: { minWidth: '800px' },
  name: { display: 'flex', flexDirection: 'column' },
  sub: { color: tokens.colorNeutralForeground3 },
  cellRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalXS },
  colTenant: { width: '24%' },
  colCloud: { width: '10%' },
  colRun: { width: '20%' },
  colMissing: { width: '20%' },
  colLive: { width: '14%' },
  colActions: { width: '12%', minWidth: '120px' },
  // ...but the row's actions stay in view at the end while the middle columns scroll under them: Sync was
  // once off the edge whenever the panel was open, which is when a consultant is syncing
  stickyEnd: {
    position: 'sticky',
    right: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    borderLeft: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`
  }
})

/** Every client tenant at a glance: last run, missing objects and how far to trust that, live state. */
export function TenantsScreen({ ws, ui }: { ws: Workspace; ui: Ui }) {
  const styles = useStyles()
  const table = useTableStyles()
  const [query, setQuery] = useState('')
  const [removing, setRemoving] = useFocusReturningState<TenantView>()
  const now = Date.now()
  const shown = useMemo(
    () =>
      ws.tenants.filter((t) =>
        `${t.displayName}\n${t.azureTenantId}`.toLowerCase().includes(query.trim().toLowerCase())
      ),
    [ws.tenants, query]
  )
  const explore = async () => {
    try {
      const outcome = await unwrap(ws.atlas.exploreDemo())
      await ws.refreshTenants()
      ui.setTenantId(outcome.tenantId)
    } catch (err) {
      ws.setError(toShownError(err))
    }
  }
  const changes = useChangesSummaries(ws)
  const active = useActiveTenants(ws.live)
  const idle = ws.tenants.filter((t) => !active.has(t.id)).map((t) => t.id)

  return (
    <>
      <PageHeader
        title="Tenants"
        caption={`${formatCount(ws.tenants.length)} client ${ws.tenants.length === 1 ? 'tenant' : 'tenants'} on this computer`}
      >
        <ToolbarButton
          appearance="primary"
          icon={<AddRegular />}
          onClick={() => ui.setDrawer({ kind: 'tenant', tenant: null })}
        >
          Add tenant
        </ToolbarButton>
        <ToolbarButton
          icon={<ArrowSyncRegular />}
          disabled={idle.length === 0}
          onClick={() => ui.setDrawer({ kind: 'sync', tenantIds: idle })}
        >
          Sync all
        </ToolbarButton>
        {ws.tenants.some((t) => t.isDemo) ? null : (
          <ToolbarButton icon={<BeakerRegular />} onClick={() => void explore()}>
            Explore demo tenant
          </ToolbarButton>
        )}
        <ExportButton
          atlas={ws.atlas}
          request={{ view: 'runs', tenant: { all: true } }}
          label="Export runs CSV"
          onError={ws.setError}
        />
        <ToolbarDivider />
        <SearchBox
          placeholder="Search tenants"
          aria-label="Search tenants"
          value={query}
          onChange={(_, d) => setQuery(d.value)}
        />
      </PageHeader>
      {shown.length === 0 ? (
        <Text>
          No tenants match &lsquo;{query}&rsquo;.{' '}
          <Button appearance="transparent" size="small" onClick={() => setQuery('')}>
            Reset filters
          </Button>
        </Text>
      ) : (
        <div className={styles.scroller} data-testid="tenants-scroller">
          <Table aria-label="Tenants" className={mergeClasses(table.autoTable, styles.table)}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.colTenant}>Tenant</TableHeaderCell>
                <TableHeaderCell className={styles.colCloud}>Cloud</TableHeaderCell>
                <TableHeaderCell className={styles.colRun}>Last run</TableHeaderCell>
                <TableHeaderCell className={styles.colMissing}>Missing</TableHeaderCell>
                <TableHeaderCell className={styles.colLive}>Live</TableHeaderCell>
                <TableHeaderCell className={mergeClasses(styles.colActions, styles.stickyEnd)}>
                  Actions
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.map((t) => {
                const o = ws.overview[t.id]
                const last = o?.lastRun ?? null
                const busy = active.has(t.id)
                return (
                  <TableRow key={t.id} data-testid="tenant-row" data-tenant={t.displayName}>
                    <TableCell>
                      <div className={styles.name}>
                        <span className={styles.cellRow}>
                          <Text weight="semibold">{visibleText(t.displayName)}</Text>
                          {t.isDemo ? (
                            <Badge appearance="tint" color="informative" data-testid="demo-badge">
                              Demo
                            </Badge>
                          ) : null}
                        </span>
                        <Caption1 className={styles.sub}>{t.azureTenantId}</Caption1>
                        <ChangesSummary summary={changes[t.id]} />
                      </div>
                    </TableCell>
                    <TableCell>{CLOUD_LABELS[t.cloud]}</TableCell>
                    <TableCell>
                      {last ? (
                        <span className={styles.cellRow}>
                          <StatusBadge
                            status={runStatus(last)}
                            detail={runDetail(last, last.typesNotCollected)}
                          />
                          <Caption1 className={styles.sub}>
                            {formatAge(last.startedAt, now)} · {plural(last.itemsObserved, 'item')}
                          </Caption1>
                        </span>
                      ) : (
                        <StatusBadge status="never" />
                      )}
                    </TableCell>
                    <TableCell>
                      {o?.missing ? (
                        <span className={styles.cellRow} data-testid="tenant-missing">
                          <CounterBadge
                            count={o.missing.count}
                            showZero
                            overflowCount={99_999}
                            color={o.missing.count ? 'danger' : 'informative'}
                            appearance={o.missing.count ? 'filled' : 'ghost'}
                            aria-label={`${o.missing.count} missing`}
                          />
                          <StatusBadge
                            status={o.missing.lowConfidence ? 'low_confidence' : 'normal_confidence'}
                          />
                          <Caption1 className={styles.sub} data-testid="confidence-reason">
                            {confidenceSentence(o.missing.reason)}
                          </Caption1>
                        </span>
                      ) : (
                        <Caption1 className={styles.sub}>—</Caption1>
                      )}
                    </TableCell>
                    <TableCell>
                      <LiveCell live={ws.live} tenantId={t.id} engine={o?.live} />
                    </TableCell>
                    <TableCell className={styles.stickyEnd}>
                      <span className={styles.actions}>
                        <Button
                          size="small"
                          icon={<ArrowSyncRegular />}
                          disabled={busy}
                          onClick={() => ui.setDrawer({ kind: 'sync', tenantIds: [t.id] })}
                          aria-label={`Sync ${t.displayName}`}
                        >
                          Sync
                        </Button>
                        <Menu>
                          <MenuTrigger disableButtonEnhancement>
                            <Button
                              size="small"
                              appearance="subtle"
                              icon={<MoreHorizontalRegular />}
                              aria-label={`More actions for ${t.displayName}`}
                            />
                          </MenuTrigger>
                          <MenuPopover>
                            <MenuList>
                              <MenuItem
                                icon={<PlugConnectedRegular />}
                                onClick={() =>
                                  ui.setDrawer({ kind: 'tenant', tenant: t, testAfterOpen: true })
                                }
                              >
                                Test connection
                              </MenuItem>
                              <MenuItem
                                icon={<EditRegular />}
                                disabled={t.isDemo || busy}
                                onClick={() => ui.setDrawer({ kind: 'tenant', tenant: t })}
                              >
                                Edit
                              </MenuItem>
                              <MenuItem
                                icon={<DeleteRegular />}
                                disabled={busy}
                                onClick={() => setRemoving(t)}
                              >
                                Remove…
                              </MenuItem>
                            </MenuList>
                          </MenuPopover>
                        </Menu>
                      </span>
                    </TableCell>
                  </TableRow>
                )
              })}
            </TableBody>
          </Table>
        </div>
      )}
      {removing ? <RemoveTenantDialog ws={ws} tenant={removing} onClose={() => setRemoving(null)} /> : null}
    </>
  )
}
