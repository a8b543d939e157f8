import { memo, useState } from 'react'
import {
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  InlineDrawer,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Text,
  tokens
} from '@fluentui/react-components'
import { DismissRegular, StopRegular } from '@fluentui/react-icons'
import { toShownError, unwrap } from '../atlas-client'
import { formatCount, plural, visibleText } from '../format'
import { doneCount, isActive, type LiveSync, type LiveType } from '../state/live-sync'
import { useLiveState } from '../state/live-store'
import type { Workspace } from '../state/use-workspace'
import { runStatus } from '../status'
import { throttleNotice, type ThrottleNotice } from '../throttle-notice'
import { useCountdown } from './LiveState'
import { StatusBadge } from './StatusBadge'

const useStyles = makeStyles({
  drawer: { borderLeft: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, width: '400px' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  tenant: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  head: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS
  },
  types: { display: 'flex', flexDirection: 'column' },
  type: {
    display: 'grid',
    gridTemplateColumns: '1fr auto',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`
  },
  hint: { gridColumn: '1 / span 2', color: tokens.colorNeutralForeground3 }
})

/** The syncs running now (and the ones that just finished), per tenant and per type, live. */
export function LivePanel({ ws, onClose }: { ws: Workspace; onClose: () => void }) {
  const styles = useStyles()
  return (
    <InlineDrawer open position="end" className={styles.drawer} aria-label="Live syncs" data-region="live">
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button
              appearance="subtle"
              aria-label="Close live syncs"
              icon={<DismissRegular />}
              onClick={onClose}
            />
          }
        >
          Live syncs
        </DrawerHeaderTitle>
      </DrawerHeader>
      {/* the events re-render LiveSyncs only: DrawerBody re-measures its scroll state (a forced layout)
          whenever its children change */}
      <DrawerBody className={styles.body}>
        <LiveSyncs ws={ws} />
      </DrawerBody>
    </InlineDrawer>
  )
}

function LiveSyncs({ ws }: { ws: Workspace }) {
  const live = useLiveState(ws.live)
  const syncs = Object.values(live).sort((a, b) => Number(isActive(b)) - Number(isActive(a)))
  return (
    <>
      {syncs.length === 0 ? <Text>No sync has run since the window opened.</Text> : null}
      {syncs.map((s) => (
        <TenantSync key={s.requestId} ws={ws} sync={s} />
      ))}
    </>
  )
}

function TenantSync({ ws, sync }: { ws: Workspace; sync: LiveSync }) {
  const styles = useStyles()
  const [confirm, setConfirm] = useState(false)
  const name = visibleText(ws.tenants.find((t) => t.id === sync.tenantId)?.displayName ?? sync.tenantId)
  const left = useCountdown(sync.throttle?.until)
  const done = doneCount(sync)
  const total = sync.order.length
  const cancel = async () => {
    setConfirm(false)
    try {
      await unwrap(ws.atlas.cancelSync({ id: sync.runId ?? sync.requestId }))
    } catch (err) {
      ws.setError(toShownError(err))
    }
  }
  const finished = sync.finished
  return (
    <section
      className={styles.tenant}
      aria-label={`Sync of ${name}`}
      data-testid="live-sync"
      data-tenant={name}
    >
      <div className={styles.head}>
        <Text weight="semibold">
          {name}
          {sync.runId ? ` · run #${sync.runId}` : ''}
        </Text>
        {isActive(sync) ? (
          <Button size="small" icon={<StopRegular />} onClick={() => setConfirm(true)}>
            Cancel
          </Button>
        ) : null}
      </div>
      {sync.phase === 'queued' ? (
        <StatusBadge status="queued" detail={sync.position ? `position ${sync.position}` : undefined} />
      ) : finished ? (
        <span data-testid="live-finished">
          <StatusBadge
            status={runStatus({ status: finished.status, errorCodes: finished.errorCodes as never })}
            detail={`${plural(finished.itemsObserved, 'item')}${finished.errorCodes.length ? ` · ${finished.errorCodes.map((c) => ws.codeLabel(c)).join(', ')}` : ''}`}
          />
        </span>
      ) : (
        <StatusBadge
          status="running"
          detail={`${done} of ${total} types · ${plural(sync.observed, 'item')}`}
        />
      )}
      {isActive(sync) && total > 0 ? (
        <ProgressBar value={done / total} aria-label={`${name}: ${done} of ${total} types done`} />
      ) : null}
      {sync.throttle && left > 0 && isActive(sync) ? (
        <ThrottleBar
          notice={throttleNotice(
            left,
            sync.throttle.httpStatus,
            sync.throttle.policyTypes.map((t) => ws.typeLabel(t))
          )}
        />
      ) : null}
      {finished?.status === 'skipped' ? (
        <Caption1>{ws.codeHint(finished.errorCodes[0]) ?? 'The engine did not start this run.'}</Caption1>
      ) : null}
      <div className={styles.types} role="list" aria-label={`Policy types of ${name}`}>
        {/* a finished run keeps only what needs attention; its full ledger is under Runs */}
        {sync.order
          .filter((t) => isActive(sync) || sync.types[t]?.status !== 'complete')
          .map((t) => (
            <TypeRow
              key={t}
              label={ws.typeLabel(t)}
              type={sync.types[t]}
              codeLabel={ws.codeLabel}
              codeHint={ws.codeHint}
            />
          ))}
      </div>
      <Dialog open={confirm} modalType="alert" onOpenChange={(_, d) => setConfirm(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Stop syncing {name}?</DialogTitle>
            <DialogContent>Finished types are kept; the rest are marked Cancelled.</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void cancel()}>
                Stop sync
              </Button>
              <Button onClick={() => setConfirm(false)}>Keep syncing</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  )
}

function ThrottleBar({ notice }: { notice: ThrottleNotice }) {
  // aria-live off: the countdown ticks every second; the announcer says once that Graph asked to wait
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="throttle" aria-live="off">
      <MessageBarBody>
        <MessageBarTitle>{notice.title}</MessageBarTitle>
        {notice.body}
      </MessageBarBody>
    </MessageBar>
  )
}

/** One type's row; memo: an event changes one type, and only its row renders again. */
const TypeRow = memo(function TypeRow({
  label,
  type,
  codeLabel,
  codeHint
}: {
  label: string
  type: LiveType | undefined
  codeLabel: Workspace['codeLabel']
  codeHint: Workspace['codeHint']
}) {
  const styles = useStyles()
  const t = type ?? { status: 'pending', pages: 0, items: 0 }
  const notCollected = t.status === 'failed' || t.status === 'skipped'
  const hint = codeHint(t.errorCode)
  return (
    <div className={styles.type} role="listitem" data-testid="live-type" data-type-status={t.status}>
      <span>{label}</span>
      {t.status === 'pending' ? (
        <StatusBadge status="pending" />
      ) : t.status === 'running' ? (
        <StatusBadge status="running" detail={`${plural(t.pages, 'page')} · ${plural(t.items, 'item')}`} />
      ) : t.status === 'complete' ? (
        <StatusBadge status="success" detail={formatCount(t.items)} />
      ) : (
        <StatusBadge status="not_collected" detail={t.errorCode ? codeLabel(t.errorCode) : undefined} />
      )}
      {notCollected && hint ? <Caption1 className={styles.hint}>{hint}</Caption1> : null}
    </div>
  )
})
