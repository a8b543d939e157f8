/**
 * Goal: exporting 100k inventory rows to CSV through the product (atlas.exportCsv: ExportService + the
 * streaming csv-writer) costs at most 1.3× a raw export (iterate the same SELECT, csv-stringify straight
 * to a file), with flat memory: the heap does not grow with the row count.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import type Database from 'better-sqlite3'
import { INVENTORY_COLUMNS } from '../../main/export/csv-columns'
import { getPolicyType } from '../../main/graph/registry'
import { goal, type BenchSection } from './bench-types'
import type { PopulatedAtlas } from './populated-atlas'
import { forceGc, median, memorySampler, round, timed, type MemoryPeak } from './measure'

interface RawRow {
  policyType: string
  category: string
  platform: string
  externalId: string
  displayName: string
  firstSeenAt: string
  firstSeenRunId: number | null
  lastSeenAt: string
  lastSeenRunId: number | null
  metaJson: string
}

/**
 * The baseline: same SELECT and order as InventoryRepo.iterate, cells as plain arrays (no row objects, no
 * formula neutralising), same csv-stringify options, and the same durability (fsync before close) so the
 * disk cost is equal on both sides. Provenance columns come from a run cache like the product's.
 */
async function rawExport(
  sqlite: Database.Database,
  tenant: { id: string; displayName: string },
  path: string,
  policyTypes?: string[]
): Promise<number> {
  const runs = new Map<number, { status: string; finishedAt: string | null } | undefined>()
  const runStmt = sqlite.prepare(
    'SELECT status, finished_at AS finishedAt FROM inventory_sync_runs WHERE id = ?'
  )
  const runOf = (id: number | null): { status: string; finishedAt: string | null } | undefined => {
    if (id === null) return undefined
    if (!runs.has(id))
      runs.set(id, runStmt.get(id) as { status: string; finishedAt: string | null } | undefined)
    return runs.get(id)
  }
  const typeFilter = policyTypes ? 'AND policy_type IN (SELECT value FROM json_each(?))' : ''
  const rows = sqlite
    .prepare(
      `SELECT policy_type AS policyType, category, platform, external_id AS externalId,
         display_name AS displayName, first_seen_at AS firstSeenAt, first_seen_run_id AS firstSeenRunId,
         last_seen_at AS lastSeenAt, last_seen_run_id AS lastSeenRunId, meta_json AS metaJson
       FROM inventory_items WHERE tenant_id = ? ${typeFilter}
       ORDER BY policy_type, display_name COLLATE NOCASE, external_id`
    )
    .iterate(
      ...(policyTypes ? [tenant.id, JSON.stringify(policyTypes)] : [tenant.id])
    ) as IterableIterator<RawRow>
  const exportedAt = new Date().toISOString()
  let count = 0
  function* records(): Generator<unknown[]> {
    yield INVENTORY_COLUMNS.map((c) => c.header)
    for (const r of rows) {
      const run = runOf(r.lastSeenRunId)
      count++
      yield [
        tenant.id,
        tenant.displayName,
        r.policyType,
        getPolicyType(r.policyType)?.label ?? r.policyType,
        r.category,
        r.platform,
        r.externalId,
        r.displayName,
        r.firstSeenAt,
        r.firstSeenRunId,
        r.lastSeenAt,
        r.lastSeenRunId,
        r.metaJson,
        r.lastSeenRunId,
        run?.status ?? '',
        run?.finishedAt ?? '',
        run?.status === 'success' ? 'high' : 'low',
        exportedAt,
        '0.1.0'
      ]
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ bom: true, record_delimiter: '\r\n', quote_record_delimiter: true, eof: true }),
    createWriteStream(path, { flush: true })
  )
  return count
}

interface ExportSample {
  ms: number
  memory: MemoryPeak
  bytes: number
}

async function measured(fn: () => Promise<unknown>, path: string): Promise<ExportSample> {
  forceGc()
  const sampler = memorySampler(10)
  const t = await timed(fn)
  const memory = sampler.stop()
  const bytes = statSync(path).size
  rmSync(path, { force: true })
  return { ms: t.ms, memory, bytes }
}

export async function benchCsvExport(opts: {
  fixture: PopulatedAtlas
  rows: number
  /** a subset of types worth about a tenth of the rows, to show memory does not scale with rows */
  smallTypes: { types: string[]; rows: number }
  runs: number
  warmup: number
}): Promise<BenchSection> {
  const { atlas, tenant } = opts.fixture
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-csv-'))
  try {
    const enginePath = join(dir, 'engine.csv')
    const rawPath = join(dir, 'raw.csv')
    const engineExport = async (policyTypes?: string[]): Promise<void> => {
      const r = await atlas.exportCsv({ view: 'inventory', tenant: tenant.id, policyTypes, path: enginePath })
      const want = policyTypes ? opts.smallTypes.rows : opts.rows
      if (r.rows !== want) throw new Error(`engine export wrote ${r.rows} rows, expected ${want}`)
    }
    const rawRun = async (policyTypes?: string[]): Promise<void> => {
      const n = await rawExport(atlas.db.sqlite, tenant, rawPath, policyTypes)
      const want = policyTypes ? opts.smallTypes.rows : opts.rows
      if (n !== want) throw new Error(`raw export wrote ${n} rows, expected ${want}`)
    }
    for (let i = 0; i < opts.warmup; i++) {
      await measured(() => engineExport(), enginePath)
      await measured(() => rawRun(), rawPath)
    }
    const engine: ExportSample[] = []
    const raw: ExportSample[] = []
    for (let i = 0; i < opts.runs; i++) {
      engine.push(await measured(() => engineExport(), enginePath))
      raw.push(await measured(() => rawRun(), rawPath))
    }
    const small = await measured(() => engineExport(opts.smallTypes.types), enginePath)
    const em = median(engine.map((s) => s.ms))
    const rm = median(raw.map((s) => s.ms))
    const maxOf = (s: ExportSample[], k: keyof MemoryPeak): number => Math.max(...s.map((x) => x.memory[k]))
    const heapBig = maxOf(engine, 'heapDeltaMb')
    const fileMb = round(engine[0]!.bytes / (1024 * 1024), 1)
    const goals = [
      goal({
        id: 'csv100k.time',
        title: `CSV export of ${opts.rows} inventory rows`,
        ratio: em / rm,
        goal: '<= 1.3',
        definition:
          'median atlas.exportCsv time / median raw iterate + csv-stringify time (both fsync the file)',
        context: {
          engineMedianMs: round(em, 0),
          rawMedianMs: round(rm, 0),
          engineSamplesMs: engine.map((s) => round(s.ms, 0)),
          rawSamplesMs: raw.map((s) => round(s.ms, 0)),
          fileMb,
          rawFileMb: round(raw[0]!.bytes / (1024 * 1024), 1)
        }
      }),
      goal({
        id: 'csv100k.memoryFlat',
        title: `CSV export memory: peak heap growth, ${opts.rows} rows vs ${opts.smallTypes.rows} rows`,
        ratio: heapBig / Math.max(1, small.memory.heapDeltaMb),
        goal: '<= 2',
        definition:
          'peak heap-used growth exporting all rows / the same for a ~10× smaller export (floor 1 MB): ' +
          'flat memory keeps this near 1 whatever the row count',
        context: {
          peakHeapDeltaMb: heapBig,
          peakRssDeltaMb: maxOf(engine, 'rssDeltaMb'),
          smallExportPeakHeapDeltaMb: small.memory.heapDeltaMb,
          smallExportPeakRssDeltaMb: small.memory.rssDeltaMb,
          rawPeakHeapDeltaMb: maxOf(raw, 'heapDeltaMb'),
          rawPeakRssDeltaMb: maxOf(raw, 'rssDeltaMb'),
          fileMb
        }
      })
    ]
    return {
      name: `CSV export (${opts.rows} rows)`,
      goals,
      findings: goals
        .filter((g) => g.verdict === 'fail')
        .map((g) => `${g.title}: ${g.ratio}× (goal ${g.goal}).`),
      setup: {
        rows: opts.rows,
        smallExport: `${opts.smallTypes.rows} rows (${opts.smallTypes.types.length} types)`,
        runs: opts.runs,
        warmup: opts.warmup,
        memory: 'process.memoryUsage() sampled every 10 ms after a forced GC; deltas above the value at start'
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
