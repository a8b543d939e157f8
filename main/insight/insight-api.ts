import type { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import type { InventoryRepo } from '../../db/repositories/inventory-repo'
import type { InsightRepo } from '../../db/repositories/insight-repo'
import type { RunsRepo } from '../../db/repositories/runs-repo'
import type { TenantRow, TenantsRepo } from '../../db/repositories/tenants-repo'
import { AtlasError } from '../../domain/error-codes'
import { ChangesService, type ChangesReport, type ChangesSince } from '../inventory/changes'
import { CrossTenantService, type CrossTenantMatrix, type CrossTenantObject } from '../inventory/cross-tenant'
import type { MissingService } from '../inventory/missing-service'
import type { Clock } from '../util/clock'
import { writeAuditPack, type AuditPackResult } from '../export/audit-pack'

/** The AtlasApi methods of the insight features (main/app/atlas-api.ts extends this). */
export interface InsightApi {
  /**
   * Writes one tenant's audit pack into `dir` (created; a non-empty folder is refused with
   * EXPORT_TARGET_NOT_EMPTY): inventory, missing, runs and ledger CSVs plus manifest.json with row counts
   * and sha256 of every file.
   */
  exportAuditPack(input: { tenant: string; dir: string }): Promise<AuditPackResult>
  /**
   * New, changed and gone objects since a run (`sinceRunId`), the last run finished by a date (`since`,
   * YYYY-MM-DD or ISO), or, with neither, the run marked as the user's last visit.
   */
  getChanges(input: { tenantId: string; sinceRunId?: number; since?: string }): ChangesReport
  /** Marks a finished run of the tenant as "my last visit" (null clears the mark). */
  markLastVisit(input: { tenantId: string; runId: number | null }): LastVisitSummary
  /** Per tenant: its last-visit mark and the change counts since it (null counts without a mark). */
  changesSummary(): LastVisitSummary[]
  /** Rows = policy types (or type + normalised name), columns = tenants, cells = object counts. */
  crossTenantMatrix(input: { by?: 'type' | 'name'; policyType?: string; search?: string }): CrossTenantMatrix
  /** The objects of a cell, a row, or a search across every tenant (newest store state). */
  crossTenantObjects(input: {
    tenantId?: string
    policyType?: string
    nameKey?: string
    search?: string
    limit?: number
    offset?: number
  }): { total: number; items: CrossTenantObject[] }
}

/** A tenant's "last visit" mark and what changed since it (the tenants list line). */
export interface LastVisitSummary {
  tenantId: string
  /** the marked run; null when the user marked none */
  runId: number | null
  /** when the marked run finished (the "since 1 Nov" of the line) */
  runFinishedAt: string | null
  counts: { new: number; changed: number; gone: number } | null
  lowConfidence: boolean
}

interface Deps {
  tenants: TenantsRepo
  runs: RunsRepo
  insight: InsightRepo
  inventory: InventoryRepo
  inventoryQuery: InventoryQueryRepo
  missing: MissingService
  clock: Clock
  appVersion: string
  resolveTenant: (idOrName: string) => TenantRow
}

/**
 * The AtlasApi methods of the insight features (audit pack, changes since a visit, cross-tenant view),
 * composed here so the composition root only spreads them in. All of them read the local store only.
 */
export function createInsightApi(deps: Deps): InsightApi {
  const changes = new ChangesService(deps)
  const cross = new CrossTenantService(deps)

  const summaryOf = (tenant: TenantRow): LastVisitSummary => {
    const runId = tenant.lastVisitRunId
    const run = runId === null ? undefined : deps.runs.get(runId)
    if (runId === null || !run) {
      return { tenantId: tenant.id, runId: null, runFinishedAt: null, counts: null, lowConfidence: false }
    }
    const report = changes.changes(tenant.id, { runId })
    return {
      tenantId: tenant.id,
      runId,
      runFinishedAt: run.finishedAt,
      counts: report.counts,
      lowConfidence: report.lowConfidence
    }
  }

  return {
    exportAuditPack: ({ tenant, dir }) => writeAuditPack(deps, deps.resolveTenant(tenant), dir),

    getChanges({ tenantId, sinceRunId, since }) {
      const tenant = deps.resolveTenant(tenantId)
      if (sinceRunId !== undefined && since !== undefined) {
        throw new AtlasError('INVALID_INPUT', 'Give either a run or a date to count changes since, not both.')
      }
      let from: ChangesSince
      if (sinceRunId !== undefined) from = { runId: sinceRunId }
      else if (since !== undefined) from = { date: since }
      else if (tenant.lastVisitRunId !== null) from = { runId: tenant.lastVisitRunId }
      else {
        throw new AtlasError(
          'INVALID_INPUT',
          `No run of "${tenant.displayName}" is marked as your last visit; give a run or a date.`
        )
      }
      return changes.changes(tenant.id, from)
    },

    markLastVisit({ tenantId, runId }) {
      const tenant = deps.resolveTenant(tenantId)
      if (runId !== null) {
        const run = deps.runs.get(runId)
        if (!run || run.tenantId !== tenant.id) {
          throw new AtlasError('NOT_FOUND', `No run ${runId} of "${tenant.displayName}".`)
        }
        if (run.finishedAt === null) {
          throw new AtlasError('INVALID_INPUT', `Run ${runId} has not finished yet; mark a finished run.`)
        }
      }
      const updated = deps.tenants.update(tenant.id, { lastVisitRunId: runId })
      if (!updated) throw new AtlasError('NOT_FOUND', `No tenant ${tenantId}.`)
      return summaryOf(updated)
    },

    changesSummary: () => deps.tenants.list().map(summaryOf),

    crossTenantMatrix: (input) => cross.matrix(input),

    crossTenantObjects(input) {
      const tenantId = input.tenantId === undefined ? undefined : deps.resolveTenant(input.tenantId).id
      return cross.objects({ ...input, tenantId })
    }
  }
}
