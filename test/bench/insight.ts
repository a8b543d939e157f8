/**
 * Goals of the insight features (issue 10):
 * - the cross-tenant view over 10 tenants × 20k objects costs at most 2× one hand-written SQL query giving
 *   the same cells (checked equal first);
 * - an audit pack of 100k inventory rows costs at most 1.5× the three raw CSV exports it contains
 *   (atlas.exportCsv of inventory, missing and runs), with memory as flat as theirs.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StoredItemInput } from '../../db/repositories/inventory-repo'
import { createTestAtlas } from '../support/create-test-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { goal, type BenchSection } from './bench-types'
import { insertStoredItems } from './item-fixture'
import { ALL_SELECTION, type PopulatedAtlas } from './populated-atlas'
import { forceGc, interleaved, median, memorySampler, round, timed, type MemoryPeak } from './measure'

/** 10 tenants, each with its own `perTenant` objects, written straight into the items table. */
async function crossFixture(items: StoredItemInput[], tenants: number, perTenant: number) {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-cross-'))
  const atlas = createTestAtlas({ dataDir: dir, secretStore: new MemorySecretStore() })
  const now = '2026-01-01T08:00:00.000Z'
  for (let t = 0; t < tenants; t++) {
    const tenant = await atlas.addTenant({
      displayName: `Bench tenant ${String(t).padStart(2, '0')}`,
      azureTenantId: `bench${t}.onmicrosoft.com`,
      clientId: '11111111-2222-3333-4444-555555555555',
      cloud: 'global',
      credential: { kind: 'secret', value: 'bench-secret-value' }
    })
    // each tenant a different slice of the fixture, so the cells differ between tenants
    const offset = (t * 7919) % Math.max(1, items.length - perTenant)
    const slice = items.slice(offset, offset + perTenant)
    insertStoredItems(atlas.db.sqlite, tenant.id, slice, now)
  }
  return {
    atlas,
    async close() {
      await atlas.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export async function benchCrossTenant(opts: {
  items: StoredItemInput[]
  tenants: number
  perTenant: number
  runs: number
  warmup: number
}): Promise<BenchSection> {
  const fixture = await crossFixture(opts.items, opts.tenants, opts.perTenant)
  try {
    const { atlas } = fixture
    const rawStmt = atlas.db.sqlite.prepare(
      `SELECT policy_type AS policyType, tenant_id AS tenantId, count(*) AS n
       FROM inventory_items GROUP BY policy_type, tenant_id`
    )
    const engine = (): number => atlas.crossTenantMatrix({}).rows.length
    const raw = (): number => (rawStmt.all() as unknown[]).length

    const cells = new Map<string, number>()
    for (const r of atlas.crossTenantMatrix({}).rows)
      for (const [tenantId, n] of Object.entries(r.counts)) cells.set(`${r.policyType}/${tenantId}`, n)
    const rawRows = rawStmt.all() as Array<{ policyType: string; tenantId: string; n: number }>
    const same =
      rawRows.length === cells.size &&
      rawRows.every((r) => cells.get(`${r.policyType}/${r.tenantId}`) === r.n)
    if (!same)
      throw new Error(`cross-tenant baseline disagrees: ${rawRows.length} raw cells vs ${cells.size}`)

    const { a: e, b: r } = await interleaved(opts.runs, opts.warmup, engine, raw)
    const g = goal({
      id: 'crossTenant10x20k',
      title: `Cross-tenant view, ${opts.tenants} tenants × ${opts.perTenant} objects`,
      ratio: median(e) / median(r),
      goal: '<= 2',
      definition:
        'median atlas.crossTenantMatrix({ by: "type" }) time / median hand-written GROUP BY (.all()) time, same cells',
      context: {
        engineMedianMs: round(median(e), 1),
        rawMedianMs: round(median(r), 1),
        cells: rawRows.length
      }
    })
    return {
      name: `Cross-tenant view (${opts.tenants} × ${opts.perTenant})`,
      goals: [g],
      findings: g.verdict === 'fail' ? [`${g.title}: ${g.ratio}× (goal ${g.goal}).`] : [],
      setup: { tenants: opts.tenants, perTenant: opts.perTenant, runs: opts.runs, warmup: opts.warmup }
    }
  } finally {
    await fixture.close()
  }
}

export async function benchAuditPack(opts: {
  fixture: PopulatedAtlas
  runs: number
  warmup: number
}): Promise<BenchSection> {
  const { atlas, tenant } = opts.fixture
  const out = mkdtempSync(join(tmpdir(), 'atlas-bench-pack-'))
  let n = 0
  const rawExports = async (): Promise<number> => {
    const dir = join(out, `raw-${n++}`)
    let rows = 0
    mkdirSync(dir)
    for (const view of ['inventory', 'missing', 'runs'] as const) {
      const r = await atlas.exportCsv({
        view,
        tenant: tenant.id,
        path: join(dir, `${view}.csv`),
        ...(view === 'missing' ? { selection: ALL_SELECTION } : {})
      })
      rows += r.rows
    }
    return rows
  }
  const pack = async (): Promise<number> => {
    const r = await atlas.exportAuditPack({ tenant: tenant.id, dir: join(out, `pack-${n++}`) })
    return r.manifest.files.filter((f) => f.name !== 'ledger.csv').reduce((s, f) => s + f.rows, 0)
  }
  try {
    // same rows first: the pack's three views hold what the raw exports hold
    const rawRows = await rawExports()
    const packRows = await pack()
    if (rawRows !== packRows) throw new Error(`audit pack rows ${packRows} vs raw exports ${rawRows}`)
    for (let i = 0; i < opts.warmup; i++) {
      await rawExports()
      await pack()
    }
    const e: number[] = []
    const r: number[] = []
    let packMem: MemoryPeak | undefined
    let rawMem: MemoryPeak | undefined
    for (let i = 0; i < opts.runs; i++) {
      forceGc()
      let m = memorySampler()
      r.push((await timed(rawExports)).ms)
      const rm = m.stop()
      forceGc()
      m = memorySampler()
      e.push((await timed(pack)).ms)
      const pm = m.stop()
      if (!rawMem || rm.heapDeltaMb > rawMem.heapDeltaMb) rawMem = rm
      if (!packMem || pm.heapDeltaMb > packMem.heapDeltaMb) packMem = pm
    }
    const time = goal({
      id: 'auditPack100k',
      title: `Audit pack of ${opts.fixture.items} inventory rows`,
      ratio: median(e) / median(r),
      goal: '<= 1.5',
      definition:
        'median atlas.exportAuditPack time / median of the three atlas.exportCsv calls it contains (inventory, missing, runs)',
      context: { packMedianMs: round(median(e), 1), rawMedianMs: round(median(r), 1), rows: rawRows }
    })
    const memory = goal({
      id: 'auditPack100k.heap',
      title: 'Audit pack peak heap growth vs the raw exports',
      ratio: (packMem!.heapDeltaMb + 1) / (rawMem!.heapDeltaMb + 1),
      goal: '<= 1.5',
      definition:
        '(peak heap growth during the pack + 1 MB) / (peak heap growth during the raw exports + 1 MB)',
      context: { pack: packMem, raw: rawMem }
    })
    return {
      name: `Audit pack (${opts.fixture.items} items)`,
      goals: [time, memory],
      findings: [time, memory]
        .filter((g) => g.verdict === 'fail')
        .map((g) => `${g.title}: ${g.ratio}× (goal ${g.goal}).`),
      setup: {
        items: opts.fixture.items,
        missing: opts.fixture.missing,
        runs: opts.runs,
        warmup: opts.warmup,
        note: 'the pack also writes ledger.csv and manifest.json and hashes every file (read back from disk)'
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}
