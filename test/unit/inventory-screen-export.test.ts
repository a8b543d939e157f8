import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestAtlas } from '../support/create-test-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { SCREEN_COLUMNS } from '../../main/export/inventory-screen-columns'
import { INVENTORY_COLUMNS } from '../../main/export/csv-columns'
import { INVENTORY_COLUMN_IDS } from '../../domain/inventory-query'

const HOSTILE = '=HYPERLINK("http://evil.invalid","x")'

describe('on-screen inventory export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-screen-export-'))
  const atlas = createTestAtlas({ dataDir: dir, secretStore: new MemorySecretStore() })
  let tenantId = ''

  beforeAll(async () => {
    const tenant = await atlas.addTenant({
      displayName: 'Contoso',
      azureTenantId: 'contoso.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      cloud: 'global',
      credential: { kind: 'secret', value: 'test-secret-value' }
    })
    tenantId = tenant.id
    const insert = atlas.db.sqlite.prepare(
      `INSERT INTO inventory_items (tenant_id, policy_type, external_id, display_name, category, platform, meta_json,
         first_seen_at, last_seen_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, '2026-10-01T00:00:00.000Z', ?, '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z')`
    )
    const rows: Array<[string, string, string, string, string, string, string]> = [
      ['deviceConfiguration', 'd1', 'Win VPN', 'configuration', 'windows', '{}', '2026-11-02T00:00:00.000Z'],
      ['deviceConfiguration', 'd2', HOSTILE, 'configuration', 'windows', '{}', '2026-11-03T00:00:00.000Z'],
      ['deviceConfiguration', 'd3', 'mac VPN', 'configuration', 'macos', '{}', '2026-11-04T00:00:00.000Z'],
      ['compliancePolicy', 'c1', 'Win baseline', 'compliance', 'windows', '{}', '2026-11-05T00:00:00.000Z'],
      [
        'roleDefinition',
        'r1',
        'Windows built-in',
        'tenant_admin',
        'any',
        '{"isBuiltIn":true}',
        '2026-11-01T00:00:00.000Z'
      ]
    ]
    for (const r of rows) insert.run(tenantId, ...r)
  })
  afterAll(async () => {
    await atlas.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const read = (path: string) => parse(readFileSync(path), { bom: true }) as string[][]

  it('writes the filtered rows in the sort order with exactly the chosen columns', async () => {
    const path = join(dir, 'screen.csv')
    const written = await atlas.exportCsv({
      view: 'inventory',
      tenant: tenantId,
      filter: { platforms: ['windows'], search: 'win' },
      sort: [{ id: 'lastSeenAt', desc: true }],
      columns: ['lastSeenAt', 'displayName', 'policyType'],
      path
    })
    expect(written.rows).toBe(2)
    expect(read(path)).toEqual([
      ['last_seen_at', 'display_name', 'policy_type_label'],
      ['2026-11-05T00:00:00.000Z', 'Win baseline', 'Compliance policy'],
      ['2026-11-02T00:00:00.000Z', 'Win VPN', 'Device configuration profile']
    ])
  })

  it('neutralises hostile cells and quotes them', async () => {
    const path = join(dir, 'hostile.csv')
    await atlas.exportCsv({
      view: 'inventory',
      tenant: tenantId,
      filter: { name: 'hyperlink' },
      columns: ['displayName', 'externalId'],
      path
    })
    const text = readFileSync(path, 'utf8')
    // the quotes of the name are doubled inside a quoted field, and the formula is prefixed
    expect(text).toContain(`"'=HYPERLINK(""http://evil.invalid"",""x"")",d2`)
    expect(read(path)).toEqual([
      ['display_name', 'external_id'],
      [`'${HOSTILE}`, 'd2']
    ])
  })

  it('keeps the documented columns when only filter and sort are given, built-in shown on request', async () => {
    const path = join(dir, 'filtered.csv')
    await atlas.exportCsv({
      view: 'inventory',
      tenant: tenantId,
      filter: { showBuiltIn: true, search: 'windows' },
      sort: [{ id: 'externalId', desc: true }],
      path
    })
    const [header, ...rows] = read(path)
    expect(header).toEqual(INVENTORY_COLUMNS.map((c) => c.header))
    expect(rows.map((r) => r[6])).toEqual(['r1'])
  })

  it('documents every grid column with its header and type (docs/csv-format.md)', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'csv-format.md'), 'utf8')
    const documented = [...doc.matchAll(/^\| [^|]*\(`(\w+)`\)\s*\| `(\w+)`\s*\| (\w+)\s*\|$/gm)].map((m) => [
      m[1],
      m[2],
      m[3]
    ])
    expect(documented).toEqual(
      INVENTORY_COLUMN_IDS.map((id) => [id, SCREEN_COLUMNS[id].header, SCREEN_COLUMNS[id].kind ?? 'text'])
    )
    // each maps to a default column of the same header and type
    for (const id of INVENTORY_COLUMN_IDS) {
      const twin = INVENTORY_COLUMNS.find((c) => c.header === SCREEN_COLUMNS[id].header)
      expect(twin?.kind ?? 'text', id).toBe(SCREEN_COLUMNS[id].kind ?? 'text')
    }
  })
})
