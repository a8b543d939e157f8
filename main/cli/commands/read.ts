import { InvalidArgumentError, type Command } from 'commander'
import { AtlasError } from '../../../domain/error-codes'
import type { RunSummary } from '../../../domain/run'
import type { MissingJudgement } from '../../inventory/missing-service'
import type { Action, CliContext } from '../context'
import { EXIT } from '../exit-codes'
import { formatTable, formatTime, noteHiddenRows, plural, safeText, writeJson } from '../output'
import { listFlag, notCollectedOf, renderNotCollected, selectionFrom, tenantRef, typeLabels } from './common'
import { writeRuns, type RunsShown } from './runs-output'
import { shellQuote } from './tenants'

/** The read commands: runs, missing, inventory. They never touch Graph. */
export function registerReadCommands(program: Command, action: Action): void {
  program
    .command('runs')
    .description('sync runs of a tenant, newest first')
    .requiredOption('--tenant <name>', 'name or id of the tenant')
    .option('--limit <n>', 'how many runs', positiveInt, 20)
    .option('--all', 'every run (no limit)')
    .action(action((ctx, flags: RunsFlags) => runs(ctx, flags)))

  program
    .command('missing')
    .description('objects a selection observed before but not in its latest finished run')
    .requiredOption('--tenant <name>', 'name or id of the tenant')
    .option('--types <a,b>', 'the selection: these policy types (default: every category)', listFlag)
    .option('--categories <x,y>', 'the selection: these categories', listFlag)
    .action(
      action((ctx, flags: { tenant: string; types?: string[]; categories?: string[] }) => missing(ctx, flags))
    )

  program
    .command('inventory')
    .description('the last-observed inventory of a tenant')
    .requiredOption('--tenant <name>', 'name or id of the tenant')
    .option('--type <a,b>', 'only these policy types (repeatable)', listFlag)
    .option('--search <text>', 'display name contains this text')
    .option('--limit <n>', 'rows to show', positiveInt, 100)
    .option('--offset <n>', 'rows to skip', nonNegativeInt, 0)
    .option('--all', 'every row from the offset on (no limit)')
    .option('--built-in', "also Microsoft's built-in objects (built-in roles, the Default scope tag)")
    .action(action((ctx, flags: InventoryFlags) => inventory(ctx, flags)))
}

type RunsFlags = RunsShown & { tenant: string }

interface InventoryFlags {
  tenant: string
  type?: string[]
  search?: string
  limit: number
  offset: number
  all?: boolean
  builtIn?: boolean
}

/** Runs kept per tenant are few (one a night is ~365 a year): reading them all gives an exact total. */
const EVERY_RUN = 1_000_000

function positiveInt(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a positive integer.')
  return n
}

function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer.')
  return Number(value)
}

function runs(ctx: CliContext, flags: RunsFlags): number {
  const api = ctx.atlas()
  const tenant = api.getTenant(flags.tenant)
  return writeRuns(ctx.io, ctx.json, tenant, api.listRuns({ tenantId: tenant.id, limit: EVERY_RUN }), flags)
}

/** Why the answer may be wrong: the types the judging run did not collect, with their error and hint. */
function notCollectedReasons(
  judgement: MissingJudgement,
  run: RunSummary | undefined
): Array<{ policyType: string; status: string; errorCode: string | null; errorMessage: string | null }> {
  const outcomes = run ? notCollectedOf(run) : []
  const byType = new Map(outcomes.map((o) => [o.policyType, o]))
  return Object.entries(judgement.typeCoverage)
    .filter(([, c]) => c === 'not_collected')
    .map(([policyType]) => {
      const o = byType.get(policyType)
      return {
        policyType,
        status: o?.status ?? 'not_run',
        errorCode: o?.errorCode ?? null,
        errorMessage: o?.errorMessage ?? null
      }
    })
}

function missing(
  ctx: CliContext,
  flags: { tenant: string; types?: string[]; categories?: string[] }
): number {
  const api = ctx.atlas()
  const tenant = api.getTenant(flags.tenant)
  const selection = selectionFrom(api, flags)
  const judgement = api.getMissing({ tenantId: tenant.id, selection })
  const run = judgement.judgedBy ? api.getRun(judgement.judgedBy.runId) : undefined
  const notCollected = notCollectedReasons(judgement, run)
  if (ctx.json) {
    writeJson(ctx.io.stdout, { tenant: tenantRef(tenant), ...judgement, notCollected })
    return EXIT.OK
  }
  ctx.io.stdout.write(renderMissing(tenant.displayName, judgement, notCollected, typeLabels(api)))
  return EXIT.OK
}

export function renderMissing(
  tenantName: string,
  judgement: MissingJudgement,
  notCollected: ReturnType<typeof notCollectedReasons>,
  typeLabel: (key: string) => string
): string {
  const name = safeText(tenantName)
  const by = judgement.judgedBy
  if (!by) {
    return (
      `No finished sync of this selection for "${name}" yet, so nothing can be judged missing.\n` +
      `Run: tenant-atlas sync --tenant ${shellQuote(tenantName)} (with the same --types/--categories)\n`
    )
  }
  let text = `Missing in "${name}", judged by run ${by.runId} (${by.status}, finished ${formatTime(by.finishedAt)}).\n`
  if (judgement.lowConfidence) {
    const why = by.status !== 'success' ? `the run was ${by.status}` : 'the run recorded errors'
    text += `LOW CONFIDENCE: ${why}.`
    if (notCollected.length) {
      text += ` ${plural(notCollected.length, 'policy type was', 'policy types were')} not collected; their objects are listed as not_collected (unknown, not deleted):\n`
      text += renderNotCollected(notCollected)
    } else {
      text += '\n'
    }
  }
  const absent = judgement.items.filter((i) => i.reason === 'absent').length
  const unknown = judgement.items.length - absent
  if (judgement.items.length === 0) return `${text}Nothing is missing.\n`
  text += `\n${plural(judgement.items.length, 'object')} missing: ${absent} absent (enumerated completely and not there), ${unknown} not collected.\n\n`
  text += formatTable(
    [
      { header: 'Reason' },
      { header: 'Type' },
      { header: 'Platform' },
      { header: 'Name', max: 50 },
      { header: 'Missing since (UTC)' },
      { header: 'Confirmed by', align: 'right' },
      { header: 'Last seen (UTC)' }
    ],
    judgement.items.map((i) => [
      i.reason,
      typeLabel(i.policyType),
      i.platform,
      i.displayName,
      formatTime(i.missingSince),
      // a fresh disappearance (1 complete run) reads differently from an old one (30)
      i.reason === 'absent' ? plural(i.absentInCompleteRuns, 'complete run') : '—',
      formatTime(i.lastSeenAt)
    ])
  )
  return text
}

function inventory(ctx: CliContext, flags: InventoryFlags): number {
  const api = ctx.atlas()
  const tenant = api.getTenant(flags.tenant)
  if (flags.type?.length) {
    const known = new Set(api.listPolicyTypes().map((t) => t.key))
    const unknown = flags.type.find((t) => !known.has(t))
    if (unknown)
      throw new AtlasError(
        'INVALID_INPUT',
        `Unknown policy type "${unknown}"; \`tenant-atlas types\` lists them.`
      )
  }
  // Like the admin center, the table shows the tenant's own objects (built-ins on request). JSON is for
  // programs: it lists everything and each item says builtIn, so no script loses objects without asking.
  const query = {
    tenantId: tenant.id,
    policyTypes: flags.type,
    search: flags.search,
    hideBuiltIn: !flags.builtIn && !ctx.json
  }
  const limit = flags.all ? Math.max(1, api.listInventory({ ...query, limit: 1 }).total) : flags.limit
  const page = api.listInventory({ ...query, limit, offset: flags.offset })
  if (query.hideBuiltIn) {
    const hidden = api.listInventory({ ...query, hideBuiltIn: false, limit: 1 }).total - page.total
    if (hidden > 0) {
      ctx.io.stderr.write(
        `${plural(hidden, 'built-in object')} not shown (Microsoft's own); add --built-in.\n`
      )
    }
  }
  noteHiddenRows(
    ctx.io.stderr,
    page.items.length,
    Math.max(0, page.total - flags.offset),
    'object',
    `add --all to list every one, or --offset ${flags.offset + page.items.length} for the next page`
  )
  if (ctx.json) {
    writeJson(ctx.io.stdout, {
      tenant: tenantRef(tenant),
      total: page.total,
      offset: flags.offset,
      limit,
      items: page.items
    })
    return EXIT.OK
  }
  if (page.total === 0) {
    ctx.io.stdout.write(
      `No objects${flags.search || flags.type ? ' match' : ` for "${safeText(tenant.displayName)}" yet`}.\n`
    )
    return EXIT.OK
  }
  const label = typeLabels(api)
  ctx.io.stdout.write(
    formatTable(
      [
        { header: 'Type' },
        { header: 'Platform' },
        { header: 'Name', max: 60 },
        { header: 'Last seen (UTC)' },
        { header: 'Run', align: 'right' }
      ],
      page.items.map((i) => [
        label(i.policyType),
        i.platform,
        i.displayName,
        formatTime(i.lastSeenAt),
        i.lastSeenRunId ?? '—'
      ])
    )
  )
  const from = page.items.length ? flags.offset + 1 : 0
  ctx.io.stdout.write(
    `\n${from}–${flags.offset + page.items.length} of ${plural(page.total, 'object')}` +
      (flags.offset + page.items.length < page.total
        ? ` (next: --offset ${flags.offset + page.items.length})`
        : '') +
      '\n'
  )
  return EXIT.OK
}
