import type { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import type { InventoryRepo } from '../../db/repositories/inventory-repo'
import type { InsightRepo } from '../../db/repositories/insight-repo'
import type { RunsRepo } from '../../db/repositories/runs-repo'
import type { TenantRow, TenantsRepo } from '../../db/repositories/tenants-repo'
import { AtlasError } from '../../domain/error-codes'
import { ChangesService, type ChangesSince } from '../inventory/changes'
import { CrossTenantService } from '../inventory/cross-tenant'
import type { MissingService } from '../inventory/missing-service'
import type { Clock } from '../util/clock'
import type { AtlasApi, LastVisitSummary } from './atlas-api'
import { writeAuditPack } from '../export/audit-pack'

export type InsightApi = Pick<
  AtlasApi,
  | 'exportAuditPack'
  | 'getChanges'
  | 'markLastVisit'
  | 'changesSummary'
  | 'crossTenantMatrix'
  | 'crossTenantObjects'
>

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
