import type { RunSummary } from '../../../domain/run'
import { EXIT } from '../exit-codes'
import {
  formatDuration,
  formatTable,
  formatTime,
  noteHiddenRows,
  safeText,
  writeJson,
  type OutStream
} from '../output'
import { tenantRef } from './common'

/** How many of a tenant's runs `runs` shows: the newest `limit`, or every one with `all`. */
export interface RunsShown {
  limit: number
  all?: boolean
}

/**
 * What `tenant-atlas runs` prints, from the tenant and every one of its runs (newest first). One function
 * for both ways the command reads the store (the engine, and the quick read path of quick-runs.ts), so
 * their output cannot drift apart.
 */
export function writeRuns(
  io: { stdout: OutStream; stderr: OutStream },
  json: boolean,
  tenant: { id: string; displayName: string },
  every: RunSummary[],
  shown: RunsShown
): number {
  const list = shown.all ? every : every.slice(0, shown.limit)
  noteHiddenRows(io.stderr, list.length, every.length, 'run', 'add --all to list every run, or --limit <n>')
  if (json) {
    writeJson(io.stdout, { tenant: tenantRef(tenant), total: every.length, runs: list })
    return EXIT.OK
  }
  if (list.length === 0) {
    io.stdout.write(`No runs yet for "${safeText(tenant.displayName)}".\n`)
    return EXIT.OK
  }
  io.stdout.write(
    formatTable(
      [
        { header: 'Run', align: 'right' },
        { header: 'Status' },
        { header: 'Trigger' },
        { header: 'Started (UTC)' },
        { header: 'Took', align: 'right' },
        { header: 'Types', align: 'right' },
        { header: 'Objects', align: 'right' },
        { header: 'Errors' }
      ],
      list.map((r) => {
        const outcomes = Object.values(r.typeOutcomes)
        const complete = outcomes.filter((o) => o.status === 'complete').length
        return [
          r.id,
          r.status,
          r.trigger,
          formatTime(r.startedAt),
          r.finishedAt ? formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : 'running',
          `${complete}/${outcomes.length}`,
          r.itemsObservedCount.toLocaleString('en-US'),
          r.errorCodes.join(', ')
        ]
      })
    )
  )
  return EXIT.OK
}
