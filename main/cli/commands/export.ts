import { Option, type Command } from 'commander'
import type { ExportInput } from '../../app/atlas-api'
import { AtlasError } from '../../../domain/error-codes'
import type { Action, CliContext } from '../context'
import { EXIT } from '../exit-codes'
import { plural, safeText, writeJson } from '../output'
import { listFlag, selectionFrom, tenantsFrom } from './common'

interface ExportFlags {
  tenant?: string
  all?: boolean
  view: ExportInput['view']
  out: string
  types?: string[]
  categories?: string[]
}

export function registerExportCommand(program: Command, action: Action): void {
  program
    .command('export')
    .description('write a CSV file (format: docs/csv-format.md) of one tenant or all of them')
    .option('--tenant <name>', 'name or id of the tenant')
    .option('--all', 'every tenant in one file')
    .addOption(
      new Option('--view <view>', 'what to export')
        .choices(['inventory', 'missing', 'runs'])
        .makeOptionMandatory()
    )
    .requiredOption('--out <file.csv>', 'file to write (written as <file>.partial, then renamed)')
    .option('--types <a,b>', 'inventory: only these types; missing: the selection to judge', listFlag)
    .option('--categories <x,y>', 'missing: the selection to judge (default: every category)', listFlag)
    .action(action((ctx, flags: ExportFlags) => exportCsv(ctx, flags)))
}

async function exportCsv(ctx: CliContext, flags: ExportFlags): Promise<number> {
  const api = ctx.atlas()
  const tenants = tenantsFrom(api, flags)
  if (flags.view === 'runs' && (flags.types || flags.categories)) {
    throw new AtlasError('INVALID_INPUT', 'The runs view has no selection: drop --types/--categories.')
  }
  if (flags.view === 'inventory' && flags.categories) {
    throw new AtlasError('INVALID_INPUT', 'The inventory view filters by --types only.')
  }
  const input: ExportInput = {
    view: flags.view,
    tenant: flags.all ? { all: true } : (tenants[0]?.id ?? ''),
    path: flags.out,
    ...(flags.view === 'inventory' && flags.types ? { policyTypes: flags.types } : {}),
    ...(flags.view === 'missing' ? { selection: selectionFrom(api, flags) } : {})
  }
  const result = await api.exportCsv(input)
  if (ctx.json) {
    writeJson(ctx.io.stdout, { view: flags.view, path: result.path, rows: result.rows, bytes: result.bytes })
    return EXIT.OK
  }
  const scope = flags.all ? plural(tenants.length, 'tenant') : `"${safeText(tenants[0]?.displayName)}"`
  ctx.io.stdout.write(
    `Wrote ${plural(result.rows, 'row')} (${flags.view}, ${scope}, ${formatBytes(result.bytes)}) to ${safeText(result.path)}\n`
  )
  return EXIT.OK
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
