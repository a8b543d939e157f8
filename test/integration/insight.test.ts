import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuditPackManifest } from '../../main/export/audit-pack'
import { renameItem } from '../../main/demo/simulator/tenant-generator'
import { createHarness, syncAndWait, type Harness } from '../support/harness'

/**
 * The insight features on the real engine (inline, fake clock): changes since a marked run after a second
 * sync that changed the tenant, the audit pack re-read and checked, the cross-tenant matrix against the
 * store.
 */

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const SELECTION = { policy_types: ['compliancePolicy', 'deviceConfiguration'] }

/** Two syncs with edits between them: 1 renamed, 1 described, 1 re-stamped only, 1 reordered, 2 deleted, 1 added. */
async function twoSyncs(
  harness: Harness
): Promise<{ first: number; second: number; ids: Record<string, string> }> {
  const first = await syncAndWait(harness, SELECTION)
  expect(first.status).toBe('success')
  const list = harness.data[COMPLIANCE]!
  expect(list.length).toBeGreaterThanOrEqual(6)
  const [renamed, described, restamped, reordered, goneA, goneB] = list.map((i) => i.id as string)
  renameItem(harness.data, COMPLIANCE, renamed!, 'Renamed compliance policy')
  list[1]!.description = 'now with a description'
  // Graph moved only its timestamps and version: not a change
  list[2]!.lastModifiedDateTime = '2026-12-01T10:00:00.0000000Z'
  list[2]!.version = Number(list[2]!.version ?? 1) + 7
  // same content, properties in another order: not a change
  list[3] = Object.fromEntries(Object.entries(list[3]!).reverse())
  const added = { ...list[0]!, id: '00000000-0000-4000-8000-00000000add1', displayName: 'Brand new policy' }
  harness.data[COMPLIANCE] = [...list.filter((i) => i.id !== goneA && i.id !== goneB), added]
  harness.fake.setData(harness.data)
  harness.clock.advance(3_600_000)
  const second = await syncAndWait(harness, SELECTION)
  expect(second.status).toBe('success')
  return {
    first: first.id,
    second: second.id,
    ids: {
      renamed: renamed!,
      described: described!,
      restamped: restamped!,
      reordered: reordered!,
      goneA: goneA!,
      goneB: goneB!,
      added: added.id
    }
  }
}

describe('changes since a run', () => {
  it('counts new, changed (content only) and gone objects since the marked run', async () => {
    h = await createHarness({ size: 120 })
    const { first, ids } = await twoSyncs(h)
    const api = h.atlas
    expect(() => api.getChanges({ tenantId: h!.tenant.id })).toThrow(/marked as your last visit/)
    api.markLastVisit({ tenantId: h.tenant.id, runId: first })

    const report = api.getChanges({ tenantId: 'Contoso' })
    expect(report.since.runId).toBe(first)
    expect(report.new.map((i) => i.externalId)).toEqual([ids.added])
    expect(report.changed.map((i) => i.externalId).sort()).toEqual([ids.renamed, ids.described].sort())
    expect(report.gone.map((i) => i.externalId).sort()).toEqual([ids.goneA, ids.goneB].sort())
    expect(report.gone.every((i) => i.reason === 'absent')).toBe(true)
    expect(report.lowConfidence).toBe(false)
    expect(report.counts).toEqual({ new: 1, changed: 2, gone: 2 })

    const [summary] = api.changesSummary()
    expect(summary).toMatchObject({
      tenantId: h.tenant.id,
      runId: first,
      counts: { new: 1, changed: 2, gone: 2 }
    })
  })

  it('picks the baseline by date and refuses a bad date, another tenant’s run and an unfinished mark', async () => {
    h = await createHarness({ size: 120 })
    const { first, second } = await twoSyncs(h)
    const api = h.atlas
    const firstRun = api.getRun(first)
    const byDate = api.getChanges({ tenantId: h.tenant.id, since: firstRun.finishedAt! })
    expect(byDate.since.runId).toBe(first)
    expect(byDate.counts).toEqual({ new: 1, changed: 2, gone: 2 })
    // before any run: everything the tenant has is new, nothing is gone
    const before = api.getChanges({ tenantId: h.tenant.id, since: '2000-01-01' })
    expect(before.since.runId).toBeNull()
    expect(before.counts.new).toBe(api.listInventory({ tenantId: h.tenant.id }).total)
    // since the latest run: nothing happened after it
    expect(api.getChanges({ tenantId: h.tenant.id, sinceRunId: second }).counts).toEqual({
      new: 0,
      changed: 0,
      gone: 0
    })
    expect(() => api.getChanges({ tenantId: h!.tenant.id, since: 'last tuesday' })).toThrow(/not a date/)
    const other = await h.addTenant('Fabrikam')
    expect(() => api.markLastVisit({ tenantId: other.id, runId: first })).toThrow(/No run/)
    api.markLastVisit({ tenantId: h.tenant.id, runId: first })
    expect(api.markLastVisit({ tenantId: h.tenant.id, runId: null }).counts).toBeNull()
  })
})

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

describe('audit pack', () => {
  it('writes the four CSVs and a manifest whose hashes and counts match the files', async () => {
    h = await createHarness({ size: 120 })
    const { first, second } = await twoSyncs(h)
    const dir = join(h.dir, 'packs', 'contoso-pack')
    const result = await h.atlas.exportAuditPack({ tenant: 'Contoso', dir })
    expect(result.dir).toBe(dir)
    expect(readdirSync(dir).sort()).toEqual([
      'inventory.csv',
      'ledger.csv',
      'manifest.json',
      'missing.csv',
      'runs.csv'
    ])
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as AuditPackManifest
    expect(manifest).toEqual(JSON.parse(JSON.stringify(result.manifest)))
    expect(manifest.tenant.id).toBe(h.tenant.id)
    expect(manifest.files.map((f) => f.name)).toEqual([
      'inventory.csv',
      'missing.csv',
      'runs.csv',
      'ledger.csv'
    ])
    for (const file of manifest.files) {
      const path = join(dir, file.name)
      expect(sha256(path)).toBe(file.sha256)
      expect(statSync(path).size).toBe(file.bytes)
      const rows = parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Record<string, string>[]
      expect(rows.length).toBe(file.rows)
    }
    const byName = Object.fromEntries(manifest.files.map((f) => [f.name, f.rows]))
    expect(byName['inventory.csv']).toBe(h.atlas.listInventory({ tenantId: h.tenant.id }).total)
    expect(byName['missing.csv']).toBe(2)
    expect(byName['runs.csv']).toBe(2)
    // the deleted objects were last seen by the first run; the second saw the rest and judged the missing
    expect(manifest.runsUsed.map((r) => [r.runId, r.usedFor, r.confidence])).toEqual([
      [first, ['inventory'], 'high'],
      [second, ['inventory', 'missing'], 'high']
    ])
    const ledger = parse(readFileSync(join(dir, 'ledger.csv'), 'utf8'), {
      columns: true,
      bom: true
    }) as Record<string, string>[]
    // one row per registry type per run used
    expect(
      ledger.filter((r) => r.policy_type === 'compliancePolicy').map((r) => [r.run_id, r.state])
    ).toEqual([
      [String(first), 'complete'],
      [String(second), 'complete']
    ])
    expect(ledger.length).toBe(2 * h.atlas.listPolicyTypes().length)
    if (process.platform !== 'win32') {
      expect(statSync(dir).mode & 0o777).toBe(0o700)
      for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600)
    }
    // nothing left behind beside the pack
    expect(readdirSync(join(h.dir, 'packs'))).toEqual(['contoso-pack'])
  })

  it('refuses a non-empty folder with a clear code and keeps its files; fills an empty one', async () => {
    h = await createHarness({ size: 60 })
    await syncAndWait(h, SELECTION)
    const busy = join(h.dir, 'busy')
    mkdirSync(busy)
    writeFileSync(join(busy, 'notes.txt'), 'mine')
    await expect(h.atlas.exportAuditPack({ tenant: h.tenant.id, dir: busy })).rejects.toMatchObject({
      code: 'EXPORT_TARGET_NOT_EMPTY'
    })
    expect(readdirSync(busy)).toEqual(['notes.txt'])
    expect(readdirSync(h.dir).filter((n) => n.includes('partial'))).toEqual([])
    const empty = join(h.dir, 'empty')
    mkdirSync(empty)
    await h.atlas.exportAuditPack({ tenant: h.tenant.id, dir: empty })
    expect(existsSync(join(empty, 'manifest.json'))).toBe(true)
  })
})

describe('cross-tenant view', () => {
  it('counts per type and tenant as the store has them, lists a cell and searches every tenant', async () => {
    h = await createHarness({ size: 120 })
    await syncAndWait(h, SELECTION)
    const other = await h.addTenant('Fabrikam')
    h.data[COMPLIANCE] = h.data[COMPLIANCE]!.slice(2)
    h.fake.setData(h.data)
    await syncAndWait({ atlas: h.atlas, tenant: other }, SELECTION)

    const matrix = h.atlas.crossTenantMatrix({})
    expect(matrix.tenants.map((t) => t.displayName)).toEqual(['Contoso', 'Fabrikam'])
    const store = h.atlas.db.sqlite
      .prepare(
        'SELECT policy_type AS t, tenant_id AS tenant, count(*) AS n FROM inventory_items GROUP BY 1, 2'
      )
      .all() as Array<{ t: string; tenant: string; n: number }>
    const cells = matrix.rows.flatMap((r) =>
      Object.entries(r.counts).map(([tenant, n]) => ({ t: r.policyType, tenant, n }))
    )
    const key = (c: { t: string; tenant: string }): string => `${c.t}/${c.tenant}`
    expect(cells.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      store.sort((a, b) => key(a).localeCompare(key(b)))
    )
    const compliance = matrix.rows.find((r) => r.policyType === 'compliancePolicy')!
    expect(compliance.counts[other.id]).toBe(compliance.counts[h.tenant.id]! - 2)

    const cell = h.atlas.crossTenantObjects({ tenantId: 'Fabrikam', policyType: 'compliancePolicy' })
    expect(cell.total).toBe(compliance.counts[other.id])
    expect(cell.items.every((i) => i.tenantName === 'Fabrikam' && i.policyType === 'compliancePolicy')).toBe(
      true
    )

    const name = h.data[COMPLIANCE]![0]!.displayName as string
    const found = h.atlas.crossTenantObjects({ search: name.toUpperCase() })
    expect(new Set(found.items.map((i) => i.tenantName))).toEqual(new Set(['Contoso', 'Fabrikam']))

    const byName = h.atlas.crossTenantMatrix({ by: 'name', policyType: 'compliancePolicy' })
    const row = byName.rows.find((r) => r.nameKey === name.trim().toLowerCase())!
    expect(row.tenantsWith).toBe(2)
    const named = h.atlas.crossTenantObjects({ policyType: 'compliancePolicy', nameKey: row.nameKey! })
    expect(named.total).toBe(row.total)
  })
})
