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
  view?: ExportInput['view']
  out?: string
  pack?: string
  types?: string[]
  categories?: string[]
}

export function registerExportCommand(program: Command, action: Action): void {
  program
    .command('export')
    .description(
      'write a CSV file (format: docs/csv-format.md) of one tenant or all of them, or an audit pack folder'
    )
    .option('--tenant <name>', 'name or id of the tenant')
    .option('--all', 'every tenant in one file')
    .addOption(
      new Option('--view <view>', 'what to export (with --out)').choices(['inventory', 'missing', 'runs'])
    )
    .option('--out <file.csv>', 'file to write (written as <file>.partial, then renamed)')
    .option(
      '--pack <dir>',
      'one tenant: an audit pack (4 CSVs + manifest.json) into this new or empty folder'
    )
    .option('--types <a,b>', 'inventory: only these types; missing: the selection to judge', listFlag)
    .option('--categories <x,y>', 'missing: the selection to judge (default: every category)', listFlag)
    .action(action((ctx, flags: ExportFlags) => exportCsv(ctx, flags)))
}

async function exportCsv(ctx: CliContext, flags: ExportFlags): Promise<number> {
  if (flags.pack !== undefined) return exportPack(ctx, flags, flags.pack)
  if (!flags.view || !flags.out) {
    throw new AtlasError(
      'INVALID_INPUT',
      'Say what to write: --view <view> --out <file.csv>, or --pack <dir>.'
    )
  }
  const api = ctx.atlas()
  const tenants = tenantsFrom(api, flags)
  if (flags.view === 'runs' && (flags.types || flags.categories)) {
    throw new AtlasError('INVALID_INPUT', 'The runs view has no selection: drop --types/--categories.')
  }
  if (flags.view === 'inventory' && flags.categories) {
    throw new AtlasError('INVALID_INPUT', 'The inventory view filters by --types only.')
  }
  const view = flags.view
  const input: ExportInput = {
    view,
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

async function exportPack(ctx: CliContext, flags: ExportFlags, dir: string): Promise<number> {
  if (flags.view || flags.out || flags.all || flags.types || flags.categories) {
    throw new AtlasError(
      'INVALID_INPUT',
      '--pack writes every view of one tenant: give only --tenant <name> and --pack <dir>.'
    )
  }
  if (!flags.tenant) throw new AtlasError('INVALID_INPUT', 'Say which tenant: --tenant <name or id>.')
  const api = ctx.atlas()
  const tenant = api.getTenant(flags.tenant)
  const { dir: written, manifest } = await api.exportAuditPack({ tenant: tenant.id, dir })
  if (ctx.json) {
    writeJson(ctx.io.stdout, { pack: written, manifest })
    return EXIT.OK
  }
  const files = manifest.files.map((f) => `${f.name} ${plural(f.rows, 'row')}`).join(', ')
  ctx.io.stdout.write(
    `Wrote the audit pack of "${safeText(tenant.displayName)}" to ${safeText(written)}: ${files}, manifest.json (sha256 of each file).\n`
  )
  return EXIT.OK
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
