import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { getTableColumns } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../db/database-files'
import { RUN_COLUMNS } from '../../db/run-row'
import { inventorySyncRuns } from '../../db/schema'
import { parseQuickRuns, runQuickRuns } from '../../main/cli/quick-runs'
import { createCliWorld, type CliWorld } from './cli-support'

/**
 * The quick read path of `runs` (main/cli/quick-runs.ts) must print exactly what the full CLI prints, and
 * step aside (undefined: the full CLI answers) whenever it is not sure.
 */
let world: CliWorld
let tenantId: string

async function quick(argv: string[]): Promise<{ code: number; stdout: string; stderr: string } | undefined> {
  const args = parseQuickRuns(['--data-dir', world.dir, ...argv])
  if (!args) return undefined
  let stdout = ''
  let stderr = ''
  const code = await runQuickRuns(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {}
  })
  return code === undefined ? undefined : { code, stdout, stderr }
}

async function full(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await world.run(argv)
  return { code: r.code, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(async () => {
  world = await createCliWorld({ size: 40 })
  await world.addTenant('Contoso')
  await world.addTenant('Fabrikam')
  const { tenants } = (await world.run(['tenants', 'list', '--json'])).json<{
    tenants: Array<{ id: string; displayName: string }>
  }>()
  tenantId = tenants.find((t) => t.displayName === 'Contoso')!.id
  // a success, a partial run with an error and its context, then another success: runs of every shape
  expect((await world.run(['sync', '--tenant', 'Contoso', '--types', 'compliancePolicy'])).code).toBe(0)
  world.graph.script({
    path: '/deviceManagement/deviceManagementScripts',
    times: Infinity,
    fault: { kind: 'forbidden', scopes: ['DeviceManagementScripts.Read.All'] }
  })
  expect((await world.run(['sync', '--tenant', 'Contoso'])).code).toBe(4)
  world.graph.clearFaults()
  expect((await world.run(['sync', '--tenant', 'Contoso', '--types', 'compliancePolicy'])).code).toBe(0)
}, 120_000)

afterAll(async () => {
  await world.close()
})

describe('tenant-atlas runs: the quick read path', () => {
  it.each([
    ['JSON', ['runs', '--tenant', 'Contoso', '--json']],
    ['the table', ['runs', '--tenant', 'Contoso']],
    ['--limit with the note on stderr', ['runs', '--tenant', 'Contoso', '--limit', '2', '--json']],
    ['--limit=n and --tenant=name', ['runs', '--tenant=Contoso', '--limit=1']],
    ['--all', ['--json', 'runs', '--all', '--limit', '1', '--tenant', 'Contoso']],
    ['a tenant without runs', ['runs', '--tenant', 'Fabrikam', '--json']],
    ['a tenant without runs, table', ['runs', '--tenant', 'Fabrikam']]
  ])('prints what the full CLI prints: %s', async (_name, argv) => {
    const answer = await quick(argv)
    expect(answer).toBeDefined()
    expect(answer).toEqual(await full(argv))
  })

  it('finds the tenant by id as the full CLI does', async () => {
    const argv = ['runs', '--tenant', tenantId, '--json']
    const answer = await quick(argv)
    expect(answer?.stdout).toContain('"hadErrors": true')
    expect(answer).toEqual(await full(argv))
  })

  it('reads every column of the runs table, under the name the ORM gives it', () => {
    const columns = getTableColumns(inventorySyncRuns)
    expect(Object.keys(RUN_COLUMNS).sort()).toEqual(Object.keys(columns).sort())
    for (const [field, column] of Object.entries(RUN_COLUMNS)) {
      expect(columns[field as keyof typeof columns].name).toBe(column)
    }
  })

  it('leaves the full CLI to answer an unknown tenant, so its error and exit code stay the same', async () => {
    expect(await quick(['runs', '--tenant', 'Nobody', '--json'])).toBeUndefined()
    expect((await full(['runs', '--tenant', 'Nobody', '--json'])).code).toBe(2)
  })

  it('leaves the full CLI a data dir without a database, and never creates one', async () => {
    const args = parseQuickRuns(['runs', '--tenant', 'Contoso', '--data-dir', join(world.dir, 'none')])!
    const sink = { write: () => true }
    expect(await runQuickRuns(args, { stdout: sink, stderr: sink, env: {} })).toBeUndefined()
    expect(existsSync(join(world.dir, 'none'))).toBe(false)
  })

  it('leaves the full CLI a database older than the bundled migrations (it migrates)', async () => {
    const db = new Database(join(world.dir, DATABASE_FILE))
    const newest = db
      .prepare('SELECT rowid AS id, created_at FROM __drizzle_migrations ORDER BY created_at DESC')
      .get() as {
      id: number
      created_at: number
    }
    db.prepare('UPDATE __drizzle_migrations SET created_at = ? WHERE rowid = ?').run(
      newest.created_at - 1,
      newest.id
    )
    try {
      expect(await quick(['runs', '--tenant', 'Contoso', '--json'])).toBeUndefined()
    } finally {
      db.prepare('UPDATE __drizzle_migrations SET created_at = ? WHERE rowid = ?').run(
        newest.created_at,
        newest.id
      )
      db.close()
    }
    expect(await quick(['runs', '--tenant', 'Contoso', '--json'])).toBeDefined()
  })
})

describe('parseQuickRuns takes only the plain case', () => {
  it('reads the flags in any order and form', () => {
    expect(parseQuickRuns(['--data-dir=/d', 'runs', '--json', '--tenant', 'A b'])).toEqual({
      tenant: 'A b',
      json: true,
      all: false,
      limit: 20,
      dataDir: '/d'
    })
    expect(parseQuickRuns(['runs', '--limit', '7', '--all', '--tenant=x'])).toEqual({
      tenant: 'x',
      json: false,
      all: true,
      limit: 7
    })
  })

  it.each([
    ['another command', ['inventory', '--tenant', 'A']],
    ['no command', ['--tenant', 'A']],
    ['two commands', ['runs', 'extra', '--tenant', 'A']],
    ['no tenant', ['runs', '--json']],
    ['a flag without its value', ['runs', '--tenant']],
    ['a value that looks like a flag', ['runs', '--tenant', '--json']],
    ['an empty value', ['runs', '--tenant=']],
    ['a repeated flag', ['runs', '--tenant', 'A', '--tenant', 'B']],
    ['an unknown flag', ['runs', '--tenant', 'A', '--verbose']],
    ['help', ['runs', '--tenant', 'A', '--help']],
    ['a short flag', ['runs', '--tenant', 'A', '-h']],
    ['a limit of zero', ['runs', '--tenant', 'A', '--limit', '0']],
    ['a limit that is not a number', ['runs', '--tenant', 'A', '--limit', '2x']],
    ['a value on a switch', ['runs', '--tenant', 'A', '--json=yes']]
  ])('%s: undefined', (_name, argv) => {
    expect(parseQuickRuns(argv)).toBeUndefined()
  })
})
