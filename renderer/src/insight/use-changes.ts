import { useEffect, useState } from 'react'
import { toShownError, unwrap } from '../atlas-client'
import type { Workspace } from '../state/use-workspace'
import type { LastVisitSummary } from '../../../preload/contract'

export type { LastVisitSummary }

/**
 * Every tenant's last-visit mark and the changes since it, re-read when a run finishes (a new run can add
 * changes) or when `version` moves (the user marked another run).
 */
export function useChangesSummaries(ws: Workspace, version = 0): Readonly<Record<string, LastVisitSummary>> {
  const [byTenant, setByTenant] = useState<Record<string, LastVisitSummary>>({})
  useEffect(() => {
    let current = true
    unwrap(ws.atlas.changesSummary())
      .then((list) => current && setByTenant(Object.fromEntries(list.map((s) => [s.tenantId, s]))))
      .catch((err: unknown) => current && ws.setError(toShownError(err)))
    return () => {
      current = false
    }
  }, [ws.atlas, ws.runsVersion, ws.tenants, ws.setError, version])
  return byTenant
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })

/** "12 new, 3 changed, 5 gone since 1 Nov": the tenants list line. */
export function changesLine(s: LastVisitSummary): string | null {
  if (!s.counts || s.runId === null) return null
  const since = s.runFinishedAt ? dayFormat.format(Date.parse(s.runFinishedAt)) : `run #${s.runId}`
  const { new: added, changed, gone } = s.counts
  return `${added} new, ${changed} changed, ${gone} gone since ${since}`
}
