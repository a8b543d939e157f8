import { useMemo, useState } from 'react'
import {
  Button,
  Caption1,
  Checkbox,
  DrawerBody,
  DrawerFooter,
  DrawerHeader,
  DrawerHeaderTitle,
  makeStyles,
  OverlayDrawer,
  Text,
  tokens,
  ToggleButton
} from '@fluentui/react-components'
import { DismissRegular } from '@fluentui/react-icons'
import { plural } from '../format'
import { failedLastTime, rememberedSelection, rememberSelection } from '../selection'
import { startSyncsLive } from '../state/start-sync'
import type { Workspace } from '../state/use-workspace'
import { StatusBadge } from './StatusBadge'

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  presets: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  category: {
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    paddingTop: tokens.spacingVerticalXS
  },
  types: { display: 'flex', flexDirection: 'column', paddingLeft: tokens.spacingHorizontalXXL },
  type: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS
  },
  footer: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' }
})

/** Choose categories and single types, then start one tenant's sync or all of them. */
export function SyncPicker({
  ws,
  tenantIds,
  onStarted,
  onClose
}: {
  ws: Workspace
  tenantIds: string[]
  onStarted: () => void
  onClose: () => void
}) {
  const styles = useStyles()
  const first = tenantIds[0] ?? ''
  const lastRun = ws.lastRun[first] ?? null
  const all = useMemo(() => new Set(ws.categories.flatMap((c) => c.policyTypes)), [ws.categories])
  const remembered = useMemo(
    () => rememberedSelection(first, lastRun, ws.categories),
    [first, lastRun, ws.categories]
  )
  const [picked, setPicked] = useState<Set<string>>(() => new Set(remembered ?? all))
  const failed = failedLastTime(lastRun)
  const names = tenantIds.map((id) => ws.tenants.find((t) => t.id === id)?.displayName ?? id)

  const toggle = (types: string[], on: boolean) =>
    setPicked((p) => {
      const next = new Set(p)
      for (const t of types) {
        if (on) next.add(t)
        else next.delete(t)
      }
      return next
    })

  const start = () => {
    for (const tenantId of tenantIds) rememberSelection(tenantId, picked)
    // the live panel replaces the picker before the engine is asked (see startSyncsLive)
    startSyncsLive(ws, tenantIds, picked, onStarted)
  }

  return (
    <OverlayDrawer open position="end" size="medium" onOpenChange={(_, d) => !d.open && onClose()}>
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={onClose} />
          }
        >
          {tenantIds.length === 1 ? `Sync ${names[0]}` : `Sync ${plural(tenantIds.length, 'tenant')}`}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        {tenantIds.length > 1 ? <Caption1>{names.join(', ')}</Caption1> : null}
        <div className={styles.presets} role="group" aria-label="Presets">
          <ToggleButton
            size="small"
            checked={picked.size === all.size}
            onClick={() => setPicked(new Set(all))}
          >
            All types
          </ToggleButton>
          <ToggleButton
            size="small"
            disabled={!remembered}
            onClick={() => remembered && setPicked(new Set(remembered))}
          >
            Last selection
          </ToggleButton>
          <ToggleButton size="small" disabled={failed.size === 0} onClick={() => setPicked(new Set(failed))}>
            Failed last time ({failed.size})
          </ToggleButton>
          <ToggleButton size="small" onClick={() => setPicked(new Set())}>
            None
          </ToggleButton>
        </div>
        {ws.categories.map((c) => {
          const on = c.policyTypes.filter((t) => picked.has(t)).length
          return (
            <div key={c.key} className={styles.category} role="group" aria-label={c.label}>
              <Checkbox
                label={<Text weight="semibold">{`${c.label} (${on} of ${c.policyTypes.length})`}</Text>}
                checked={on === 0 ? false : on === c.policyTypes.length ? true : 'mixed'}
                onChange={(_, d) => toggle(c.policyTypes, d.checked === true)}
              />
              <div className={styles.types}>
                {c.policyTypes.map((t) => {
                  const outcome = lastRun?.typeOutcomes[t]
                  return (
                    <div key={t} className={styles.type}>
                      <Checkbox
                        label={ws.typeLabel(t)}
                        checked={picked.has(t)}
                        onChange={(_, d) => toggle([t], d.checked === true)}
                      />
                      {outcome?.status === 'complete' ? (
                        <StatusBadge status="success" detail={`${outcome.observed}`} />
                      ) : outcome && (outcome.status === 'failed' || outcome.status === 'skipped') ? (
                        <StatusBadge
                          status="not_collected"
                          detail={outcome.errorCode ? ws.codeLabel(outcome.errorCode) : undefined}
                        />
                      ) : null}
                    </div>
                  )
                })}
              </div>
            </div>
          )
        })}
      </DrawerBody>
      <DrawerFooter className={styles.footer}>
        <Button appearance="primary" disabled={picked.size === 0} onClick={start}>
          {plural(picked.size, 'type')} · Start sync
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </DrawerFooter>
    </OverlayDrawer>
  )
}
