import { useEffect, useState } from 'react'
import { makeStyles, ProgressBar, tokens } from '@fluentui/react-components'
import { doneCount, type LiveSync } from '../state/live-sync'
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
export function LiveState({ sync }: { sync: LiveSync | undefined }) {
  const styles = useStyles()
  const left = useCountdown(sync?.throttle?.until)
  if (!sync || sync.phase === 'finished') return <StatusBadge status="idle" />
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
