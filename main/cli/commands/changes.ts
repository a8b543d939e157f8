import type { Command } from 'commander'
import { AtlasError } from '../../../domain/error-codes'
import type { ChangesReport } from '../../inventory/changes'
import type { Action, CliContext } from '../context'
import { EXIT } from '../exit-codes'
import { formatTable, formatTime, safeText, writeJson } from '../output'
import { tenantRef, typeLabels } from './common'

interface ChangesFlags {
  tenant: string
  since?: string
  markVisit?: string
}

/** `changes`: what is new, changed and gone in a tenant since a run or a date. Reads the store only. */
export function registerChangesCommand(program: Command, action: Action): void {
  program
    .command('changes')
    .description(
      'objects new, changed and gone since a run or a date (default: the run marked as last visit)'
    )
    .requiredOption('--tenant <name>', 'name or id of the tenant')
    .option('--since <run|date>', 'a run id of the tenant, or a date (YYYY-MM-DD, UTC) or ISO date-time')
    .option(
      '--mark-visit <run|latest>',
      'first mark this run (or the latest finished one) as your last visit'
    )
    .action(action((ctx, flags: ChangesFlags) => changes(ctx, flags)))
}

function changes(ctx: CliContext, flags: ChangesFlags): number {
  const api = ctx.atlas()
  const tenant = api.getTenant(flags.tenant)
  if (flags.markVisit !== undefined) {
    api.markLastVisit({ tenantId: tenant.id, runId: markedRun(ctx, tenant.id, flags.markVisit) })
  }
  const since = flags.since
  const report = api.getChanges({
    tenantId: tenant.id,
    ...(since === undefined ? {} : /^\d+$/.test(since) ? { sinceRunId: Number(since) } : { since })
  })
  if (ctx.json) {
    writeJson(ctx.io.stdout, { tenant: tenantRef(tenant), ...report })
    return EXIT.OK
  }
  const out = ctx.io.stdout
  const label = typeLabels(api)
  out.write(`${headline(tenant.displayName, report)}\n`)
  if (report.lowConfidence)
    out.write(`Gone is judged with low confidence: ${safeText(report.confidenceReason)}\n`)
  const section = (title: string, rows: unknown[][], headers: string[]): void => {
    if (rows.length === 0) return
    out.write(`\n${title}\n`)
    out.write(
      formatTable(
        headers.map((header) => ({ header })),
        rows
      )
    )
  }
  section(
    'New',
    report.new.map((i) => [label(i.policyType), i.displayName, i.externalId, formatTime(i.firstSeenAt)]),
    ['Type', 'Name', 'Id', 'First seen (UTC)']
  )
  section(
    'Changed',
    report.changed.map((i) => [label(i.policyType), i.displayName, i.externalId, formatTime(i.updatedAt)]),
    ['Type', 'Name', 'Id', 'Changed (UTC)']
  )
  section(
    'Gone',
    report.gone.map((i) => [
      label(i.policyType),
      i.displayName,
      i.externalId,
      i.reason,
      formatTime(i.missingSince)
    ]),
    ['Type', 'Name', 'Id', 'Reason', 'Missing since (UTC)']
  )
  return EXIT.OK
}

function headline(name: string, r: ChangesReport): string {
  const base =
    r.since.runId === null
      ? `before the first run (${formatTime(r.since.date)})`
      : `run #${r.since.runId} (finished ${formatTime(r.since.finishedAt)})`
  const counts = `${r.counts.new} new, ${r.counts.changed} changed, ${r.counts.gone} gone`
  return `"${safeText(name)}" since ${base}: ${counts}.`
}

function markedRun(ctx: CliContext, tenantId: string, value: string): number {
  if (value === 'latest') {
    const latest = ctx
      .atlas()
      .listRuns({ tenantId, limit: 20 })
      .find((r) => r.finishedAt !== null)
    if (!latest) throw new AtlasError('INVALID_INPUT', 'This tenant has no finished run to mark yet.')
    return latest.id
  }
  if (!/^\d+$/.test(value)) {
    throw new AtlasError(
      'INVALID_INPUT',
      `--mark-visit takes a run id or "latest", not "${value.slice(0, 40)}".`
    )
  }
  return Number(value)
}
