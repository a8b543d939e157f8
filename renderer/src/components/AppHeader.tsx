import {
  Button,
  Combobox,
  CounterBadge,
  makeStyles,
  Option,
  Text,
  tokens,
  Tooltip
} from '@fluentui/react-components'
import { ArrowSyncRegular, KeyboardRegular } from '@fluentui/react-icons'
import { useState } from 'react'
import { formatAge, plural, visibleText } from '../format'
import { useActiveTenants } from '../state/live-store'
import type { Ui } from '../state/ui'
import type { Workspace } from '../state/use-workspace'
import { runStatus } from '../status'
import { StatusBadge } from './StatusBadge'

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  },
  title: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  spacer: { flex: 1 },
  option: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  age: { color: tokens.colorNeutralForeground3 },
  counter: { marginLeft: tokens.spacingHorizontalXS }
})

/** App title, the tenant switcher every page filters by, and the running syncs opening the live panel. */
export function AppHeader({
  ws,
  ui,
  switcherId,
  onHelp
}: {
  ws: Workspace
  ui: Ui
  /** Ctrl+K focuses the switcher by this id */
  switcherId: string
  onHelp: () => void
}) {
  const styles = useStyles()
  const current = ws.tenants.find((t) => t.id === ui.tenantId)
  const [query, setQuery] = useState<string | null>(null)
  const running = useActiveTenants(ws.live).size
  const now = Date.now()
  const shown = ws.tenants.filter(
    (t) => query === null || t.displayName.toLowerCase().includes(query.toLowerCase())
  )
  return (
    <header className={styles.header}>
      <Text as="h1" className={styles.title}>
        Tenant Atlas
      </Text>
      {ws.tenants.length > 0 ? (
        <Combobox
          aria-label="Tenant"
          id={switcherId}
          placeholder="Choose a tenant"
          value={query ?? (current ? visibleText(current.displayName) : '')}
          selectedOptions={ui.tenantId ? [ui.tenantId] : []}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          onOpenChange={(_, d) => {
            if (!d.open) setQuery(null)
          }}
          onOptionSelect={(_, d) => {
            if (d.optionValue) ui.setTenantId(d.optionValue)
            setQuery(null)
          }}
        >
          {shown.map((t) => {
            const last = ws.overview[t.id]?.lastRun
            return (
              <Option key={t.id} value={t.id} text={visibleText(t.displayName)}>
                <span className={styles.option}>
                  {visibleText(t.displayName)}
                  {last ? <StatusBadge status={runStatus(last)} /> : <StatusBadge status="never" />}
                  {last ? <span className={styles.age}>{formatAge(last.startedAt, now)}</span> : null}
                </span>
              </Option>
            )
          })}
        </Combobox>
      ) : null}
      <span className={styles.spacer} />
      <Tooltip content="Keyboard shortcuts (?)" relationship="description">
        <Button appearance="subtle" icon={<KeyboardRegular />} onClick={onHelp}>
          Shortcuts
        </Button>
      </Tooltip>
      {/* says what the panel holds now: "Syncs in progress" over an empty panel read as a fault */}
      <Tooltip
        content={running > 0 ? `${plural(running, 'sync')} in progress` : 'No sync in progress'}
        relationship="description"
      >
        <Button
          appearance="subtle"
          icon={<ArrowSyncRegular />}
          onClick={() => ui.setDrawer({ kind: 'live' })}
          aria-label={`Live syncs: ${running} running`}
        >
          Live syncs
          {running > 0 ? (
            <CounterBadge className={styles.counter} count={running} size="small" color="brand" />
          ) : null}
        </Button>
      </Tooltip>
    </header>
  )
}
