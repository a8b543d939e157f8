import type { Command } from 'commander'
import type { DemoHandle, DemoSummary } from '../../demo/demo-tenant'
import type { Action, CliContext } from '../context'
import { EXIT, exitCodeForRun } from '../exit-codes'
import { formatDuration, formatTable, formatTime, plural, safeText, writeJson } from '../output'
import { renderNotCollected, runSyncs, tenantRef, typeLabels } from './common'
import { shellQuote } from './tenants'

const MISSING_SHOWN = 12

export function registerDemoCommand(program: Command, action: Action): void {
  program
    .command('demo')
    .description('sync a simulated demo tenant (no Azure needed); run it twice to see missing objects')
    .action(action((ctx) => demo(ctx)))
}

async function demo(ctx: CliContext): Promise<number> {
  const api = ctx.atlas()
  const { ensureDemoTenant, startDemoSync } = ctx.engine
  const demoTenant = await ensureDemoTenant(api)
  let handle: DemoHandle | undefined
  const outcome = await runSyncs(ctx, [demoTenant.tenant], () => {
    handle = startDemoSync(api, demoTenant)
    return handle.requestId
  })
  const result = outcome.results[0]
  if (!handle || !result?.run) {
    // the sync could not start (lock held by the desktop app, …): runSyncs recorded why
    const code = result?.exitCode ?? EXIT.INTERNAL
    if (ctx.json) writeJson(ctx.io.stdout, { exitCode: code, error: result?.error ?? null })
    else if (result?.error)
      ctx.io.stderr.write(`tenant-atlas: ${safeText(result.error.message)} [${result.error.code}]\n`)
    return outcome.interrupted ? EXIT.INTERRUPTED : code
  }
  const summary = await handle.done
  // The second demo sync is partial on purpose (one type is refused): that is the demo working.
  const expected = summary.scenario === 'first' ? 'success' : 'partial'
  const exitCode = outcome.interrupted
    ? EXIT.INTERRUPTED
    : summary.run.status === expected
      ? EXIT.OK
      : exitCodeForRun(summary.run)
  if (ctx.json) {
    writeJson(ctx.io.stdout, { exitCode, ...summary, tenant: tenantRef(summary.tenant) })
  } else if (outcome.interrupted) {
    ctx.io.stdout.write(
      `Interrupted: demo run ${summary.run.id} was cancelled and recorded as ${summary.run.status}. Run \`tenant-atlas demo\` to start over.\n`
    )
  } else {
    ctx.io.stdout.write(renderDemoSummary(summary, ctx.engine.DEMO_DELETED_COUNT, typeLabels(api)))
  }
  return exitCode
}

export function renderDemoSummary(
  s: DemoSummary,
  deletedCount: number,
  typeLabel: (key: string) => string
): string {
  const name = safeText(s.tenant.displayName)
  const quoted = shellQuote(s.tenant.displayName)
  const took = s.run.finishedAt
    ? formatDuration(Date.parse(s.run.finishedAt) - Date.parse(s.run.startedAt))
    : '?'
  const typesRun = Object.keys(s.run.typeOutcomes).length
  let text = '\n'
  text +=
    s.scenario === 'first'
      ? `Demo tenant "${name}" ${s.created ? 'created and ' : ''}synced: ${s.run.status} in ${took} (run ${s.run.id}).\n`
      : `Demo tenant "${name}" synced again after changes in the tenant: ${s.run.status} in ${took} (run ${s.run.id}).\n`
  text += `It is simulated on this computer (no Azure tenant), through the same engine as real tenants.\n\n`
  text += `  ${plural(s.run.itemsObservedCount, 'object')} observed in ${plural(typesRun, 'policy type')}; `
  text += `${plural(s.totalObjects, 'object')} in the inventory.\n`
  if (s.throttled.count > 0) {
    text += `  Graph throttled the sync ${plural(s.throttled.count, 'time')}; it waited ${s.throttled.waitSeconds} s as Retry-After asked.\n`
  }
  text += '\n'
  text += indent(
    formatTable(
      [
        { header: 'Category' },
        { header: 'Types', align: 'right' },
        { header: 'In inventory', align: 'right' }
      ],
      s.categories.map((c) => [c.label, c.types, c.objects.toLocaleString('en-US')])
    )
  )

  if (s.notCollected.length > 0) {
    text += `\n  ${plural(s.notCollected.length, 'policy type was', 'policy types were')} not collected:\n`
    text += renderNotCollected(s.notCollected, '    ')
  }

  const items = s.missing.items
  if (s.scenario === 'changed' || items.length > 0) {
    const absent = items.filter((i) => i.reason === 'absent').length
    text += `\n  Missing since earlier syncs: ${plural(items.length, 'object')}`
    text += ` (${absent} absent: enumerated completely and gone; ${items.length - absent} not_collected: their type failed, so unknown).\n`
    if (s.missing.lowConfidence) {
      text += `  Confidence is LOW: run ${s.missing.judgedBy?.runId ?? '?'} was ${s.missing.judgedBy?.status ?? 'not finished'}, so not everything was checked.\n`
    }
    if (items.length > 0) {
      text += '\n'
      const shown = [...items]
        .sort((a, b) => (a.reason === b.reason ? 0 : a.reason === 'absent' ? -1 : 1))
        .slice(0, MISSING_SHOWN)
      text += indent(
        formatTable(
          [
            { header: 'Reason' },
            { header: 'Type' },
            { header: 'Name', max: 48 },
            { header: 'Last seen (UTC)' }
          ],
          shown.map((i) => [i.reason, typeLabel(i.policyType), i.displayName, formatTime(i.lastSeenAt)])
        )
      )
      if (items.length > shown.length) text += `  … and ${items.length - shown.length} more.\n`
    }
  }

  text += '\nNext:\n'
  if (s.scenario === 'first') {
    text += `  tenant-atlas inventory --tenant ${quoted} --search Windows\n`
    text += `  tenant-atlas demo        again: the simulator deletes ${deletedCount} objects and refuses one policy type\n`
  } else {
    text += `  tenant-atlas missing --tenant ${quoted}\n`
    text += `  tenant-atlas export --tenant ${quoted} --view missing --out missing.csv\n`
  }
  text += `  tenant-atlas runs --tenant ${quoted}\n`
  return text
}

function indent(block: string): string {
  return block
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n')
}
