import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { RunsRepo } from '../../db/repositories/runs-repo'
import { toRunSummary } from '../../db/repositories/runs-repo'
import type { TenantRow } from '../../db/repositories/tenants-repo'
import { AtlasError } from '../../domain/error-codes'
import { LEDGER_COLUMNS, type LedgerExportRow } from './csv-columns'
import { writeCsvFile } from './csv-writer'
import type { MissingService } from '../inventory/missing-service'
import type { Clock } from '../util/clock'
import { makePrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../util/private-files'
import { ALL_CATEGORIES_SELECTION, ExportService } from './export-service'
import { runLedger } from '../inventory/run-ledger-view'

export const PACK_FILES = ['inventory.csv', 'missing.csv', 'runs.csv', 'ledger.csv'] as const
export const MANIFEST_FILE = 'manifest.json'

export interface PackFileEntry {
  name: (typeof PACK_FILES)[number]
  /** data rows, header excluded */
  rows: number
  bytes: number
  sha256: string
}

export interface PackRunUsed {
  runId: number
  status: string
  hadErrors: boolean
  startedAt: string
  finishedAt: string | null
  /** 'low' when the run was partial, failed or had errors (the export's provenance rule) */
  confidence: 'high' | 'low'
  /** why the pack relies on it: it last observed inventory rows, and/or it judged the missing list */
  usedFor: Array<'inventory' | 'missing'>
}

export interface AuditPackManifest {
  format: 'tenant-atlas-audit-pack'
  formatVersion: 1
  generatedAt: string
  appVersion: string
  tenant: { id: string; displayName: string; azureTenantId: string; cloud: string }
  missing: {
    /** the selection judged: the one of the tenant's latest finished run (as the tenants list shows it) */
    selection: unknown
    judgedByRunId: number | null
    lowConfidence: boolean
    confidenceReason: string
  }
  runsUsed: PackRunUsed[]
  files: PackFileEntry[]
}

export interface AuditPackResult {
  dir: string
  manifest: AuditPackManifest
}

/** What the CSV exports are built from (ExportService's own dependencies). */
export type PackDeps = ConstructorParameters<typeof ExportService>[0]

type Deps = PackDeps & { runs: RunsRepo; missing: MissingService; clock: Clock; appVersion: string }

/**
 * Writes an audit pack for one tenant: the three CSV views, the per-type ledger of every run the pack
 * relies on, and a manifest with row counts and sha256 of each file, so a client can check that nothing was
 * edited after the export. The pack is built in a private sibling folder and renamed into place at the end:
 * a failed export leaves no half pack under the final name. An existing non-empty folder is refused
 * (EXPORT_TARGET_NOT_EMPTY) rather than mixed with, or overwriting, other files.
 */
export async function writeAuditPack(deps: Deps, tenant: TenantRow, dir: string): Promise<AuditPackResult> {
  const target = resolve(dir)
  const existedEmpty = await assertUsableTarget(target)
  const parent = dirname(target)
  await mkdir(parent, { recursive: true, mode: PRIVATE_DIR_MODE })
  const staging = join(parent, `.${basename(target)}.partial-${randomBytes(4).toString('hex')}`)
  await mkdir(staging, { mode: PRIVATE_DIR_MODE })
  try {
    const generatedAt = new Date(deps.clock.now()).toISOString()
    const files: PackFileEntry[] = []
    const add = async (
      name: PackFileEntry['name'],
      written: { rows: number; bytes: number }
    ): Promise<void> => {
      files.push({
        name,
        rows: written.rows,
        bytes: written.bytes,
        sha256: await sha256Of(join(staging, name))
      })
    }
    const selection = latestSelection(deps, tenant.id)
    // the runs the inventory rows come from are the runs its export looks up for their provenance:
    // recorded while it writes, instead of a second pass over every item
    const inventoryRuns = new Set<number>()
    for (const view of ['inventory', 'missing', 'runs'] as const) {
      const name = `${view}.csv` as const
      const input = {
        view,
        tenant: tenant.id,
        path: join(staging, name),
        ...(view === 'missing' ? { selection } : {})
      }
      const runs = view === 'inventory' ? recordingRuns(deps.runs, inventoryRuns) : deps.runs
      await add(name, await new ExportService({ ...deps, runs }).export(input, () => tenant))
    }
    const judgement = deps.missing.judge(tenant.id, selection)
    const runsUsed = usedRuns(deps, inventoryRuns, judgement.judgedBy?.runId ?? null)
    await add(
      'ledger.csv',
      await writeCsvFile({
        columns: LEDGER_COLUMNS,
        rows: ledgerRows(deps, tenant, runsUsed),
        path: join(staging, 'ledger.csv')
      })
    )
    const manifest: AuditPackManifest = {
      format: 'tenant-atlas-audit-pack',
      formatVersion: 1,
      generatedAt,
      appVersion: deps.appVersion,
      tenant: {
        id: tenant.id,
        displayName: tenant.displayName,
        azureTenantId: tenant.azureTenantId,
        cloud: tenant.cloud
      },
      missing: {
        selection: judgement.selection,
        judgedByRunId: judgement.judgedBy?.runId ?? null,
        lowConfidence: judgement.lowConfidence,
        confidenceReason: judgement.confidenceReason
      },
      runsUsed,
      files
    }
    const manifestPath = join(staging, MANIFEST_FILE)
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE })
    makePrivate(manifestPath)
    // an empty folder the user picked (a save dialog may create it) is replaced by the pack
    if (existedEmpty) await rmdir(target)
    await rename(staging, target)
    return { dir: target, manifest }
  } catch (err) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined)
    throw err
  }
}

/** The selection of the tenant's latest finished run; every category when it has none. */
function latestSelection(deps: Deps, tenantId: string): unknown {
  const last = deps.runs.listForTenant(tenantId, 20).find((r) => r.finishedAt !== null)
  return last ? (JSON.parse(last.selectionPayload) as unknown) : ALL_CATEGORIES_SELECTION
}

/** true when the target exists and is an empty folder; throws for a non-empty folder or a file. */
async function assertUsableTarget(target: string): Promise<boolean> {
  let info
  try {
    info = await stat(target)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
  if (!info.isDirectory()) {
    throw new AtlasError(
      'EXPORT_TARGET_NOT_EMPTY',
      `${target} exists and is not a folder; choose a new folder.`
    )
  }
  if ((await readdir(target)).length > 0) {
    throw new AtlasError(
      'EXPORT_TARGET_NOT_EMPTY',
      `${target} is not empty; an audit pack goes into a new or empty folder.`
    )
  }
  return true
}

function usedRuns(deps: Deps, inventoryRuns: ReadonlySet<number>, judgeRunId: number | null): PackRunUsed[] {
  const ids = new Set(inventoryRuns)
  if (judgeRunId !== null) ids.add(judgeRunId)
  const used: PackRunUsed[] = []
  for (const id of [...ids].sort((a, b) => a - b)) {
    const row = deps.runs.get(id)
    if (!row) continue
    const usedFor: PackRunUsed['usedFor'] = []
    if (inventoryRuns.has(id)) usedFor.push('inventory')
    if (id === judgeRunId) usedFor.push('missing')
    used.push({
      runId: row.id,
      status: row.status,
      hadErrors: row.hadErrors,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      confidence: row.status === 'success' && !row.hadErrors ? 'high' : 'low',
      usedFor
    })
  }
  return used
}

function* ledgerRows(deps: Deps, tenant: TenantRow, runsUsed: PackRunUsed[]): Generator<LedgerExportRow> {
  for (const used of runsUsed) {
    const row = deps.runs.get(used.runId)
    if (!row) continue
    const ledger = runLedger(toRunSummary(row))
    for (const e of ledger.entries) {
      yield {
        tenantId: tenant.id,
        tenantName: tenant.displayName,
        runId: row.id,
        runStatus: ledger.run.status,
        policyType: e.policyType,
        policyTypeLabel: e.label,
        category: e.category,
        state: e.state,
        observed: e.observed,
        pages: e.pages,
        errorCode: e.errorCode ?? null,
        errorMessage: e.errorMessage ?? null,
        requestId: e.requestId ?? null,
        missingScopes: e.missingScopes ?? []
      }
    }
  }
}

/** The runs repository, noting every run id looked up through `get`. */
function recordingRuns(runs: RunsRepo, seen: Set<number>): RunsRepo {
  return new Proxy(runs, {
    get(target, prop) {
      if (prop === 'get') {
        return (id: number) => {
          seen.add(id)
          return target.get(id)
        }
      }
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    }
  })
}

/** Hash of the file as written (read back, so the manifest describes the bytes on disk). */
function sha256Of(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')))
  })
}
