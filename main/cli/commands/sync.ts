import type { Command } from 'commander'
import type { Action, CliContext } from '../context'
import { hintFor } from '../error-hints'
import { formatDuration, formatTable, plural, safeText, writeJson } from '../output'
import {
  exitCodeOfSyncs,
  listFlag,
  notCollectedOf,
  renderNotCollected,
  runSyncs,
  selectionFrom,
  tenantRef,
  tenantsFrom,
  type SyncResult
} from './common'

interface SyncFlags {
  tenant?: string
  all?: boolean
  types?: string[]
  categories?: string[]
}

export function registerSyncCommand(program: Command, action: Action): void {
  program
    .command('sync')
    .description('sync one tenant or all of them (default selection: every category)')
    .option('--tenant <name>', 'name or id of the tenant')
    .option('--all', 'every tenant (they run in parallel within the engine limits)')
    .option('--types <a,b>', 'only these policy types (see `tenant-atlas types`)', listFlag)
    .option('--categories <x,y>', 'only these categories', listFlag)
    .action(action((ctx, flags: SyncFlags) => sync(ctx, flags)))
}

async function sync(ctx: CliContext, flags: SyncFlags): Promise<number> {
  const api = ctx.atlas()
  const tenants = tenantsFrom(api, flags)
  const selection = selectionFrom(api, flags)
  const outcome = await runSyncs(
    ctx,
    tenants,
    (t) => api.startSync({ tenantId: t.id, selection, trigger: 'cli' }).requestId
  )
  const exitCode = exitCodeOfSyncs(outcome)
  // A scheduled job often keeps only stderr: every sync that did not fully succeed says why there, in one
  // line, whatever the output mode (stdout stays the table or the JSON document).
  for (const line of syncFailureLines(outcome.results)) ctx.io.stderr.write(`${line}\n`)
  if (ctx.json) {
    writeJson(ctx.io.stdout, {
      exitCode,
      interrupted: outcome.interrupted,
      selection,
      results: outcome.results.map((r) => ({
        tenant: tenantRef(r.tenant),
        exitCode: r.exitCode,
        run: r.run,
        error: r.error
      }))
    })
  } else {
    ctx.io.stdout.write(renderSyncResults(outcome.results))
    if (outcome.interrupted)
      ctx.io.stdout.write('\nInterrupted: the running syncs were cancelled and recorded.\n')
  }
  return exitCode
}

/**
 * One line per tenant whose sync did not succeed: `Contoso: sync failed: AUTH_INVALID_SECRET: <what
 * happened> → <what to do>`. The run's fatal error when there is one, else its first not-collected type.
 */
export function syncFailureLines(results: SyncResult[]): string[] {
  const lines: string[] = []
  for (const r of results) {
    const name = safeText(r.tenant.displayName)
    const line = (what: string, code: string, message: string | undefined): string => {
      const hint = hintFor(code)
      return `${name}: ${what}: ${code}${message ? `: ${safeText(message)}` : ''}${hint ? ` → ${hint}` : ''}`
    }
    if (r.error) {
      lines.push(line('sync not started', r.error.code, r.error.message))
      continue
    }
    const run = r.run
    if (!run || run.status === 'success') continue
    const fatal = run.errorContext.fatal as { code?: string; message?: string } | undefined
    if (fatal?.code) {
      lines.push(line(`sync ${run.status}`, fatal.code, fatal.message))
      continue
    }
    const missing = notCollectedOf(run)
    const first = missing.find((o) => o.errorCode) ?? missing[0]
    const what = `sync ${run.status} (${plural(missing.length, 'policy type')} not collected)`
    lines.push(
      line(what, first?.errorCode ?? run.errorCodes[0] ?? run.status.toUpperCase(), first?.errorMessage)
    )
  }
  return lines
}

/** The table of tenants, then one line per type that was not collected with its code and what to do. */
export function renderSyncResults(results: SyncResult[]): string {
  let text = formatTable(
    [
      { header: 'Tenant', max: 40 },
      { header: 'Run', align: 'right' },
      { header: 'Status' },
      { header: 'Types', align: 'right' },
      { header: 'Objects', align: 'right' },
      { header: 'Took', align: 'right' },
      { header: 'Errors' }
    ],
    results.map((r) => {
      const run = r.run
      if (!run) return [r.tenant.displayName, '—', 'not started', '—', '—', '—', r.error?.code ?? '']
      const outcomes = Object.values(run.typeOutcomes)
      const complete = outcomes.filter((o) => o.status === 'complete').length
      const took = run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : 0
      return [
        r.tenant.displayName,
        run.id,
        run.status,
        `${complete}/${outcomes.length}`,
        run.itemsObservedCount.toLocaleString('en-US'),
        formatDuration(took),
        run.errorCodes.join(', ')
      ]
    })
  )
  for (const r of results) {
    const name = safeText(r.tenant.displayName)
    if (r.error) {
      text += `\n${name}: ${safeText(r.error.message)} [${r.error.code}]`
      const hint = hintFor(r.error.code)
      if (hint) text += `\n  → ${hint}`
      text += '\n'
      continue
    }
    const missing = r.run ? notCollectedOf(r.run) : []
    if (missing.length === 0) continue
    text += `\n${name}: ${plural(missing.length, 'policy type')} not collected, so missing objects of these types are unknown:\n`
    text += renderNotCollected(missing)
  }
  return text
}
