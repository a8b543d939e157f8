import { useEffect, useState } from 'react'
import { makeStyles, ProgressBar, tokens } from '@fluentui/react-components'
import type { TenantOverview } from '../atlas-client'
import { doneCount, isActive, type LiveSync } from '../state/live-sync'
import { useLiveSync, type LiveStore } from '../state/live-store'
import { StatusBadge } from './StatusBadge'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: '160px' }
})

/** Seconds left until `until` (epoch ms), re-rendered each second while > 0. */
export function useCountdown(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (until === undefined) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [until])
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000))
}

/** A tenant's live state in one cell: idle / queued / running (n of m types) / waiting on throttle. */
export function LiveState({ sync, engine }: { sync: LiveSync | undefined; engine?: TenantOverview['live'] }) {
  const styles = useStyles()
  const retryAt = engine?.state === 'throttled' ? Date.parse(engine.retryAt) : undefined
  const left = useCountdown(sync?.throttle?.until ?? retryAt)
  if (!isActive(sync)) {
    // no sync followed in this window (started elsewhere, or before a reload): the engine's own state
    if (!engine || engine.state === 'idle' || sync?.phase === 'finished') return <StatusBadge status="idle" />
    if (engine.state === 'queued')
      return <StatusBadge status="queued" detail={`position ${engine.position}`} />
    if (engine.state === 'throttled' && left > 0) {
      return <StatusBadge status="throttled" detail={`${left} s (Graph ${engine.status})`} />
    }
    return <StatusBadge status="running" detail={`run #${engine.runId}`} />
  }
  if (!sync) return null
  if (sync.phase === 'queued') {
    return <StatusBadge status="queued" detail={sync.position ? `position ${sync.position}` : undefined} />
  }
  const done = doneCount(sync)
  const total = sync.order.length
  return (
    <div className={styles.root}>
      {sync.throttle && left > 0 ? (
        <StatusBadge status="throttled" detail={`${left} s (Graph ${sync.throttle.httpStatus})`} />
      ) : (
        <StatusBadge status="running" detail={`${done} of ${total} types`} />
      )}
      <ProgressBar
        value={total ? done / total : undefined}
        thickness="medium"
        aria-label={`${done} of ${total} types done`}
      />
    </div>
  )
}

/** The live cell of one tenant's row, re-rendered by that tenant's sync events only. */
export function LiveCell({
  live,
  tenantId,
  engine
}: {
  live: LiveStore
  tenantId: string
  engine?: TenantOverview['live']
}) {
  return <LiveState sync={useLiveSync(live, tenantId)} engine={engine} />
}
