import type { ChangedItemRow, InsightRepo } from '../../db/repositories/insight-repo'
import type { RunRow, RunsRepo } from '../../db/repositories/runs-repo'
import { AtlasError } from '../../domain/error-codes'
import type { RunStatus } from '../../domain/run'
import type { MissingItem, MissingService } from './missing-service'

/** The run changes are counted from; runId null when the date is before the tenant's first run. */
export interface ChangesBaseline {
  runId: number | null
  status: RunStatus | null
  startedAt: string | null
  finishedAt: string | null
  /** the date asked for, when the baseline was chosen by date */
  date: string | null
}

export type ChangedItem = Omit<ChangedItemRow, 'change'>

export interface ChangesReport {
  tenantId: string
  since: ChangesBaseline
  /** the latest finished run, which the answer describes; null when the tenant has none */
  latestRunId: number | null
  counts: { new: number; changed: number; gone: number }
  /** first seen after the baseline */
  new: ChangedItem[]
  /** seen at the baseline, and their stored properties changed since (volatile keys excluded) */
  changed: ChangedItem[]
  /** observed at or after the baseline, missing now: reason and confidence as the missing view judges them */
  gone: MissingItem[]
  lowConfidence: boolean
  confidenceReason: string
}

export type ChangesSince = { runId: number } | { date: string }

/**
 * "What changed since my last visit": new, changed and gone objects of one tenant since a run (or the last
 * run finished by a date). New and changed come from the store's first-seen and changed-run marks, written
 * by the page writer when content differs; gone is the missing judgement of the tenant's latest finished
 * run, narrowed to objects still observed at or after the baseline (older disappearances are not news).
 */
export class ChangesService {
  constructor(private readonly deps: { runs: RunsRepo; insight: InsightRepo; missing: MissingService }) {}

  /** The baseline for `since`: the run itself (it must be this tenant's), or the last finished by the date. */
  baseline(tenantId: string, since: ChangesSince): ChangesBaseline {
    if ('runId' in since) {
      const run = this.deps.runs.get(since.runId)
      if (!run || run.tenantId !== tenantId) {
        throw new AtlasError('NOT_FOUND', `No run ${since.runId} of this tenant.`)
      }
      return fromRun(run, null)
    }
    const at = parseDate(since.date)
    const finished = this.finishedRuns(tenantId).find((r) => Date.parse(r.finishedAt!) <= at.getTime())
    if (!finished) {
      return { runId: null, status: null, startedAt: null, finishedAt: null, date: at.toISOString() }
    }
    return fromRun(finished, at.toISOString())
  }

  changes(tenantId: string, since: ChangesSince): ChangesReport {
    const base = this.baseline(tenantId, since)
    const baseId = base.runId ?? 0
    const rows = this.deps.insight.changesSince(tenantId, baseId)
    const strip = ({ change: _change, ...item }: ChangedItemRow): ChangedItem => item
    const added = rows.filter((r) => r.change === 'new').map(strip)
    const changed = rows.filter((r) => r.change === 'changed').map(strip)
    const latest = this.finishedRuns(tenantId)[0]
    let gone: MissingItem[] = []
    let lowConfidence = false
    let confidenceReason = 'no run finished after the baseline'
    if (latest && latest.id > baseId) {
      const judgement = this.deps.missing.judge(tenantId, JSON.parse(latest.selectionPayload))
      gone = judgement.items.filter((i) => i.lastObservedRunId >= baseId)
      lowConfidence = judgement.lowConfidence
      confidenceReason = judgement.confidenceReason
    }
    return {
      tenantId,
      since: base,
      latestRunId: latest?.id ?? null,
      counts: { new: added.length, changed: changed.length, gone: gone.length },
      new: added,
      changed,
      gone,
      lowConfidence,
      confidenceReason
    }
  }

  /** Newest first; runs still running have no finish time and are not a baseline. */
  private finishedRuns(tenantId: string): RunRow[] {
    return this.deps.runs
      .listForTenant(tenantId, 1_000_000)
      .filter((r) => r.finishedAt !== null)
      .sort((a, b) => (a.finishedAt! < b.finishedAt! ? 1 : a.finishedAt! > b.finishedAt! ? -1 : b.id - a.id))
  }
}

function fromRun(run: RunRow, date: string | null): ChangesBaseline {
  return {
    runId: run.id,
    status: run.status as RunStatus,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    date
  }
}

/** A day (2026-11-01: from the start of that day, UTC) or a full ISO date-time. */
function parseDate(text: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text)
  const ms = Date.parse(day ? `${text}T00:00:00.000Z` : text)
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
    throw new AtlasError(
      'INVALID_INPUT',
      `"${text.slice(0, 40)}" is not a date: use YYYY-MM-DD or an ISO date-time.`
    )
  }
  return new Date(ms)
}
