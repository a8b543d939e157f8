/**
 * `npm run bench`: the performance proofs of the "Proof" issue, on real time against the Graph fake.
 * Writes bench-results/latest.json and bench-results/latest.md (bench-results/tmp/ for --quick or --only
 * runs, so they never replace the full report). Not part of `npm test`: it takes minutes
 * and its verdicts are ratios of this machine's measurements, not assertions of a test suite.
 *
 *   npm run bench                      every benchmark (about 4–5 minutes on 2 cores)
 *   npm run bench -- --only=sync,csv   a subset: sync, syncall, responsive, upsert, missing, csv, facets, preview,
 *                                      cli, window, cross, pack
 *   npm run bench -- --quick           smaller datasets and single runs: a smoke check of the bench itself
 *   npm run bench -- --strict          exit code 1 when a goal is missed
 */
import { fileURLToPath } from 'node:url'
import { dirname, join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { BenchSection } from './bench-types'
import { benchAppWindow } from './app-window'
import { benchBrowserPreview } from './browser-preview'
import { benchCliStart } from './cli-start'
import { benchCsvExport } from './csv-export'
import { benchFacetCounts } from './facet-counts'
import { storedItems } from './item-fixture'
import { machineInfo, round } from './measure'
import { benchMissing } from './missing-query'
import { populatedAtlas, typesWorth } from './populated-atlas'
import { writeReport } from './report'
import { benchResponsiveness } from './responsiveness'
import { benchSyncAll } from './sync-all'
import { benchSyncThroughput } from './sync-throughput'
import { benchUpsert } from './upsert'
import { benchAuditPack, benchCrossTenant } from './insight'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const ALL = [
  'sync',
  'syncall',
  'responsive',
  'upsert',
  'missing',
  'csv',
  'facets',
  'preview',
  'cli',
  'window',
  'cross',
  'pack'
] as const
type BenchName = (typeof ALL)[number]

function parseArgs(argv: string[]): { only: Set<BenchName>; quick: boolean; strict: boolean } {
  let only = new Set<BenchName>(ALL)
  let quick = false
  let strict = false
  for (const arg of argv) {
    if (arg === '--quick') quick = true
    else if (arg === '--strict') strict = true
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',')
      for (const n of names) {
        if (!(ALL as readonly string[]).includes(n))
          throw new Error(`unknown benchmark "${n}" (${ALL.join(', ')})`)
      }
      only = new Set(names as BenchName[])
    } else throw new Error(`unknown option ${arg}`)
  }
  return { only, quick, strict }
}

function log(text: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`)
}

async function main(): Promise<number> {
  const { only, quick, strict } = parseArgs(process.argv.slice(2))
  const started = performance.now()
  const machine = machineInfo()
  const sizes = {
    syncPerCollection: quick ? 200 : 1000,
    syncRuns: quick ? 1 : 3,
    serialRuns: quick ? 1 : 3,
    bigItems: quick ? 20_000 : 100_000,
    storageRuns: quick ? 1 : 3
  }
  log(`${machine.nproc} × ${machine.cpuModel}, Node ${machine.node}${quick ? ' (quick mode)' : ''}`)
  const sections: BenchSection[] = []

  // responsiveness first: its RSS goal measures growth, best seen from a process that has done nothing
  // big yet (as an app's first large sync); the HTTP benchmarks then run before the in-process fixtures
  if (only.has('responsive')) {
    log(`responsiveness: idle probe, then a ${sizes.bigItems}-item sync with the probe running`)
    sections.push(
      await benchResponsiveness({ size: sizes.bigItems, latencyMs: 50, idleMs: 3000, intervalMs: 5 })
    )
  }

  if (only.has('sync')) {
    log('sync throughput: 20 types, bare client, cold/warm and serial syncs at 50 ms latency')
    sections.push(
      await benchSyncThroughput({
        latencyMs: 50,
        perCollection: sizes.syncPerCollection,
        runs: sizes.syncRuns,
        warmup: 1,
        serialRuns: sizes.serialRuns
      })
    )
  }

  if (only.has('syncall')) {
    const tenants = quick ? 4 : 20
    const itemsPerTenant = quick ? 1000 : 5000
    log(
      `sync all: ${tenants} tenants × ${itemsPerTenant} items at once at 50 ms latency, engine and bare client`
    )
    sections.push(
      await benchSyncAll({ tenants, itemsPerTenant, latencyMs: 50, runs: quick ? 1 : 3, warmup: 1 })
    )
  }

  const storage =
    only.has('upsert') || only.has('missing') || only.has('csv') || only.has('cross') || only.has('pack')
  const items = storage ? storedItems(sizes.bigItems) : []
  if (only.has('upsert')) {
    log(`upsert: ${items.length} items, engine vs raw vs minimal writer`)
    sections.push(
      await benchUpsert({
        items,
        pageSize: 1000,
        runs: sizes.storageRuns,
        warmupItems: items.slice(0, Math.min(10_000, items.length))
      })
    )
  }
  if (only.has('cross')) {
    log('cross-tenant view: 10 tenants x 20k objects vs one GROUP BY')
    sections.push(
      await benchCrossTenant({
        items,
        tenants: 10,
        perTenant: Math.min(20_000, items.length),
        runs: quick ? 3 : 7,
        warmup: 2
      })
    )
  }
  if (only.has('missing') || only.has('csv') || only.has('pack')) {
    log('building the read fixture (two finished runs, 10% missing)')
    const fixture = await populatedAtlas(items, 10)
    try {
      if (only.has('missing')) {
        log('missing query')
        sections.push(await benchMissing({ fixture, runs: quick ? 3 : 7, warmup: 2 }))
      }
      if (only.has('pack')) {
        log('audit pack vs the three raw CSV exports it contains')
        sections.push(await benchAuditPack({ fixture, runs: quick ? 2 : 3, warmup: 1 }))
      }
      if (only.has('csv')) {
        log('csv export')
        sections.push(
          await benchCsvExport({
            fixture,
            rows: items.length,
            smallTypes: typesWorth(items, Math.round(items.length / 10)),
            runs: sizes.storageRuns,
            warmup: 1
          })
        )
      }
    } finally {
      await fixture.close()
    }
  }
  if (only.has('facets')) {
    const perTenant = quick ? 2_000 : 20_000
    log(`facet counts: 10 tenants x ${perTenant} objects, engine vs one hand-written query per tenant`)
    sections.push(await benchFacetCounts({ tenants: 10, perTenant, runs: quick ? 3 : 7, warmup: 2 }))
  }
  if (only.has('preview')) sections.push(await benchBrowserPreview({ rendererDir: join(ROOT, 'renderer') }))
  if (only.has('cli')) {
    log('CLI cold start: --version and runs --json vs node -e 0, fresh processes')
    sections.push(await benchCliStart({ runs: quick ? 3 : 15, warmup: 1 }))
  }
  if (only.has('window')) {
    log(`window: first render with ${sizes.bigItems} objects vs empty, sync click to progress, heap`)
    sections.push(
      await benchAppWindow({
        items: sizes.bigItems,
        renderRuns: quick ? 2 : 5,
        syncRuns: quick ? 2 : 5,
        latencyMs: 20
      })
    )
  }

  const report = {
    machine,
    durationS: round((performance.now() - started) / 1000, 0),
    options: { quick, only: [...only], sizes },
    sections
  }
  // partial or quick runs must not overwrite the full report that docs/benchmarks.md is curated from
  const partial = quick || only.size < ALL.length
  const files = writeReport(report, join(ROOT, 'bench-results', ...(partial ? ['tmp'] : [])))
  const goals = sections.flatMap((s) => s.goals)
  for (const g of goals) {
    process.stdout.write(
      `  ${g.verdict.padEnd(12)} ${String(g.ratio ?? '—').padStart(7)}  ${g.goal.padEnd(8)} ${g.title}\n`
    )
  }
  log(`wrote ${relative(ROOT, files.json)} and ${relative(ROOT, files.md)} in ${report.durationS} s`)
  const failed = goals.filter((g) => g.verdict === 'fail').length
  if (failed > 0) log(`${failed} goal(s) missed: see the findings in ${relative(ROOT, files.md)}`)
  return strict && failed > 0 ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(2)
  }
)
