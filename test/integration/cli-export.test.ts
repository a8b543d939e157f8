import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deleteRandomItems, generateTenant, renameItem } from '../../main/demo/simulator/tenant-generator'
import { createCliWorld, type CliWorld } from './cli-support'

const CONFIGS = '/deviceManagement/deviceConfigurations'

/** Names a client tenant can contain and a spreadsheet or terminal must not act on. */
const HOSTILE_NAMES = [
  '=HYPERLINK("http://evil.invalid","Open me")',
  '+SUM(1,2)',
  '-2+3',
  '@cmd',
  '  =1+1',
  "'already quoted",
  'Baseline, Windows, "strict"',
  'line one\nline two\r\nline three',
  '🚀 Rocket policy 👩‍💻',
  'Red \u001b[31malert\u001b[0m bell\u0007',
  'Invoice \u202egnp.exe',
  'Tab\tseparated\tname',
  '\t=starts with a tab',
  '\r+starts with a carriage return',
  '  outer blanks  '
]

let world: CliWorld
let ids: string[]

beforeEach(async () => {
  const data = generateTenant({ seed: 11, size: 120 })
  ids = HOSTILE_NAMES.map((name, i) => {
    const item = data[CONFIGS]![i]!
    renameItem(data, CONFIGS, String(item.id), name)
    return String(item.id)
  })
  world = await createCliWorld({ data })
  await world.addTenant('Contoso, "Ltd" =1')
})
afterEach(async () => {
  await world.close()
})

type Row = Record<string, string>

function readCsv(path: string): Row[] {
  const bytes = readFileSync(path)
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  return parse(bytes, { bom: true, columns: true, relax_quotes: false, skip_empty_lines: false }) as Row[]
}

/** docs/csv-format.md: remove exactly one leading quote to get the original text back */
const original = (cell: string): string => (cell.startsWith("'") ? cell.slice(1) : cell)

describe('export', () => {
  it('round-trips hostile names through a real CSV parser, formula cells neutralised', async () => {
    expect((await world.run(['sync', '--tenant', 'Contoso, "Ltd" =1'])).code).toBe(0)
    const out = join(world.dir, 'inventory.csv')
    const r = await world.run([
      'export',
      '--tenant',
      'Contoso, "Ltd" =1',
      '--view',
      'inventory',
      '--out',
      out,
      '--json'
    ])
    expect(r.code).toBe(0)
    const result = r.json<{ view: string; path: string; rows: number; bytes: number }>()
    expect(result).toMatchObject({ view: 'inventory', path: out })
    expect(result.bytes).toBe(statSync(out).size)

    const rows = readCsv(out)
    expect(rows).toHaveLength(result.rows)
    const inventory = (
      await world.run(['inventory', '--tenant', 'Contoso, "Ltd" =1', '--json', '--limit', '1000'])
    ).json<{
      total: number
    }>()
    expect(rows).toHaveLength(inventory.total)

    const stored = new Map(
      (await world.run(['inventory', '--tenant', 'Contoso, "Ltd" =1', '--json', '--limit', '1000']))
        .json<{ items: Array<{ externalId: string; displayName: string }> }>()
        .items.map((i) => [i.externalId, i.displayName])
    )
    for (const [i, id] of ids.entries()) {
      const name = HOSTILE_NAMES[i]!
      const row = rows.find((x) => x.external_id === id)
      expect(row, name).toBeDefined()
      // the CSV gives back exactly what the inventory holds…
      expect(original(row!.display_name!), name).toBe(stored.get(id))
      // …which is exactly what Graph sent: line breaks, tabs, escapes and outer blanks included
      expect(stored.get(id), name).toBe(name)
      // a formula trigger (after blanks, or a leading TAB/CR itself) is neutralised, not stripped away
      if (/^\s*[=+\-@']|^[\t\r]/.test(name)) expect(row!.display_name!.startsWith("'"), name).toBe(true)
    }
    // the tenant name is tenant-controlled text too
    expect(new Set(rows.map((x) => original(x.tenant_name!)))).toEqual(new Set(['Contoso, "Ltd" =1']))
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^\s*[=+\-@]/)
    }
  })

  it('keeps terminal output inert: no escape sequences or raw line breaks from names', async () => {
    await world.run(['sync', '--tenant', 'Contoso, "Ltd" =1'])
    const r = await world.run([
      'inventory',
      '--tenant',
      'Contoso, "Ltd" =1',
      '--type',
      'deviceConfiguration',
      '--limit',
      '1000'
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('\u001b')
    expect(r.stdout).not.toContain('\u0007')
    expect(r.stdout).not.toContain('\r')
    // a bidi override would make "Invoice gnp.exe" read as "Invoice exe.png"
    expect(r.stdout).not.toContain('\u202e')
    expect(r.stdout).toContain('Invoice \\u202egnp.exe')
    // breaks and tabs are shown as escapes, so the words stay apart and the row stays one line
    expect(r.stdout).toContain('line one\\nline two\\r\\nline three')
    expect(r.stdout).toContain('Tab\\tseparated\\tname')
    expect(r.stdout).toContain('🚀 Rocket policy')
    // one table line per object: no name breaks a row (the Type column shows the type's label)
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('Device configuration profile'))
    const count = (
      await world.run([
        'inventory',
        '--tenant',
        'Contoso, "Ltd" =1',
        '--type',
        'deviceConfiguration',
        '--json'
      ])
    ).json<{
      total: number
    }>().total
    expect(lines).toHaveLength(count)
  })

  it('exports the missing view judged for a selection, and the runs view of all tenants', async () => {
    const tenant = 'Contoso, "Ltd" =1'
    await world.run(['sync', '--tenant', tenant])
    const removed = deleteRandomItems(world.data, {
      seed: 3,
      count: 5,
      paths: [CONFIGS, '/deviceAppManagement/mobileApps']
    })
    world.graph.setData(world.data)
    await world.run(['sync', '--tenant', tenant])

    const missingCsv = join(world.dir, 'missing.csv')
    expect(
      (await world.run(['export', '--tenant', tenant, '--view', 'missing', '--out', missingCsv])).code
    ).toBe(0)
    const missingRows = readCsv(missingCsv)
    expect(new Set(missingRows.map((r) => r.external_id))).toEqual(new Set(removed))
    for (const row of missingRows)
      expect(row).toMatchObject({ reason: 'absent', low_confidence: 'false', confidence: 'high' })

    // a selection that only covers apps judges only the apps
    const appsCsv = join(world.dir, 'missing-apps.csv')
    await world.run(['sync', '--tenant', tenant, '--types', 'mobileApp'])
    expect(
      (
        await world.run([
          'export',
          '--tenant',
          tenant,
          '--view',
          'missing',
          '--types',
          'mobileApp',
          '--out',
          appsCsv
        ])
      ).code
    ).toBe(0)
    expect(readCsv(appsCsv).every((r) => r.policy_type === 'mobileApp')).toBe(true)

    await world.addTenant('Fabrikam')
    await world.run(['sync', '--tenant', 'Fabrikam'])
    const runsCsv = join(world.dir, 'runs.csv')
    const r = await world.run(['export', '--all', '--view', 'runs', '--out', runsCsv])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Wrote 4 rows \(runs, 2 tenants, /)
    const runRows = readCsv(runsCsv)
    expect(runRows.map((x) => original(x.tenant_name!)).sort()).toEqual([
      'Contoso, "Ltd" =1',
      'Contoso, "Ltd" =1',
      'Contoso, "Ltd" =1',
      'Fabrikam'
    ])
    expect(runRows.every((x) => x.trigger === 'cli' && x.status === 'success')).toBe(true)
  })

  it('refuses ambiguous or incomplete export requests with exit 2', async () => {
    const out = join(world.dir, 'x.csv')
    for (const argv of [
      ['export', '--view', 'inventory', '--out', out],
      ['export', '--tenant', 'Contoso, "Ltd" =1', '--all', '--view', 'inventory', '--out', out],
      ['export', '--tenant', 'Contoso, "Ltd" =1', '--view', 'runs', '--types', 'mobileApp', '--out', out],
      ['export', '--tenant', 'Contoso, "Ltd" =1', '--view', 'inventory']
    ]) {
      expect((await world.run(argv)).code, argv.join(' ')).toBe(2)
    }
  })
})
