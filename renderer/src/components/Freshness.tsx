import type { RunSummary } from '../atlas-client'
import { formatAge, formatDateTime } from '../format'

/** "Observed 2 hours ago · run #44 (12 May 14:02)": every view says how old what it shows is. */
export function Freshness({ run }: { run: RunSummary | null }) {
  if (!run) return <>Never synced: nothing observed yet.</>
  const at = run.finishedAt ?? run.startedAt
  return (
    <>
      Observed {formatAge(at, Date.now())} · run #{run.id} ({formatDateTime(at)})
    </>
  )
}
