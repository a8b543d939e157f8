/**
 * The quick read path of `tenant-atlas runs`: what scripts and schedulers call most (did last night's sync
 * of each client succeed?), answered with one read-only SQLite connection and two queries, without the
 * argument parser, the ORM, the migrator or the engine. Their loading is most of a full start, and a
 * script polling many tenants pays it every time.
 *
 * It only takes the plain case. Anything else returns `undefined` and the full CLI runs the command as
 * always: a flag it does not know, a repeated flag, a missing database, a database older than the bundled
 * migrations (the full CLI migrates it), a tenant it cannot find (the full CLI says why), any error at all.
 * So usage errors, hints and exit codes keep one home, and the output is written by the same function
 * (commands/runs-output.ts) from the same row mapping (db/run-row.ts) as the full command's.
 */
import { join } from 'node:path'
import { DATABASE_FILE, newestMigrationMillis } from '../../db/database-files'
import { RUN_COLUMNS, toRunSummary, type RunRow } from '../../db/run-row'
import type { RunSummary } from '../../domain/run'
import { writeRuns, type RunsShown } from './commands/runs-output'
import { resolveDataDir } from './data-dir'
import type { OutStream } from './output'

export interface QuickRunsArgs extends RunsShown {
  tenant: string
  json: boolean
  dataDir?: string
}

const DEFAULT_LIMIT = 20

/**
 * `runs --tenant <name> [--limit <n> | --all] [--json] [--data-dir <dir>]`, the global flags before or after
 * the command, each flag at most once, `--flag value` or `--flag=value`. Anything else: undefined.
 */
export function parseQuickRuns(argv: readonly string[]): QuickRunsArgs | undefined {
  const seen = new Set<string>()
  const values = new Map<string, string>()
  let command: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!
    if (!token.startsWith('-')) {
      if (command !== undefined) return undefined
      command = token
      continue
    }
    const eq = token.indexOf('=')
    const name = eq === -1 ? token : token.slice(0, eq)
    if (seen.has(name)) return undefined
    seen.add(name)
    if (name === '--json' || name === '--all') {
      if (eq !== -1) return undefined
      continue
    }
    if (name !== '--tenant' && name !== '--limit' && name !== '--data-dir') return undefined
    const value = eq === -1 ? argv[++i] : token.slice(eq + 1)
    if (value === undefined || value === '' || value.startsWith('-')) return undefined
    values.set(name, value)
  }
  const tenant = values.get('--tenant')
  if (command !== 'runs' || tenant === undefined) return undefined
  const limitText = values.get('--limit')
  if (limitText !== undefined && !/^[1-9]\d*$/.test(limitText)) return undefined
  return {
    tenant,
    json: seen.has('--json'),
    all: seen.has('--all'),
    limit: limitText === undefined ? DEFAULT_LIMIT : Number(limitText),
    ...(values.has('--data-dir') ? { dataDir: values.get('--data-dir') } : {})
  }
}

const SELECT_RUNS = `SELECT ${Object.entries(RUN_COLUMNS)
  .map(([field, column]) => `${column} AS ${field}`)
  .join(', ')} FROM inventory_sync_runs WHERE tenant_id = ? ORDER BY id DESC`

/**
 * Prints the runs and returns the exit code, or `undefined` when the full CLI must answer instead. Nothing
 * is written before every read has succeeded, so a fallback never follows half an answer.
 */
export async function runQuickRuns(
  args: QuickRunsArgs,
  io: { stdout: OutStream; stderr: OutStream; env: Readonly<Record<string, string | undefined>> }
): Promise<number | undefined> {
  const found = await readRuns(args, io.env).catch(() => undefined)
  return found && writeRuns(io, args.json, found.tenant, found.every, args)
}

async function readRuns(
  args: QuickRunsArgs,
  env: Readonly<Record<string, string | undefined>>
): Promise<{ tenant: { id: string; displayName: string }; every: RunSummary[] } | undefined> {
  const { default: Database } = await import('better-sqlite3')
  const file = join(resolveDataDir(args.dataDir, env), DATABASE_FILE)
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const applied = db.prepare('SELECT MAX(created_at) AS last FROM __drizzle_migrations').get() as {
      last: number | string | null
    }
    if (applied.last === null || Number(applied.last) < newestMigrationMillis()) return undefined
    const byId = db.prepare('SELECT id, display_name AS displayName FROM tenants WHERE id = ?')
    const byName = db.prepare('SELECT id, display_name AS displayName FROM tenants WHERE display_name = ?')
    const tenant = (byId.get(args.tenant) ?? byName.get(args.tenant)) as
      { id: string; displayName: string } | undefined
    if (!tenant) return undefined
    // SQLite has no boolean: the ORM maps had_errors' 0/1, so this path does too
    const rows = db.prepare(SELECT_RUNS).all(tenant.id) as Array<RunRow & { hadErrors: unknown }>
    return {
      tenant,
      every: rows.map((row) => toRunSummary({ ...row, hadErrors: Number(row.hadErrors) === 1 }))
    }
  } finally {
    db.close()
  }
}
