import type { InventoryRepo, ItemRow } from '../../db/repositories/inventory-repo'
import type { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import type { RunRow, RunsRepo } from '../../db/repositories/runs-repo'
import { toRunSummary } from '../../db/repositories/runs-repo'
import type { TenantRow, TenantsRepo } from '../../db/repositories/tenants-repo'
import { CATEGORIES, type Category, type Platform } from '../../domain/policy-type'
import type { RunStatus, RunTrigger } from '../../domain/run'
import {
  INVENTORY_COLUMNS,
  MISSING_COLUMNS,
  RUN_COLUMNS,
  type ExportedObject,
  type InventoryExportRow,
  type MissingExportRow,
  type Provenance,
  type RunExportRow
} from './csv-columns'
import { writeCsvFile } from './csv-writer'
import { screenColumns, type ScreenRow } from './inventory-screen-columns'
import { typesWithLabelMatching } from '../inventory/inventory-workspace'
import { getPolicyType, POLICY_TYPES } from '../graph/registry'
import type { MissingService } from '../inventory/missing-service'
import type { Clock } from '../util/clock'
import type { InventoryColumnId, InventoryFilter, InventorySortEntry } from '../../domain/inventory-query'

export interface ExportInput {
  view: 'inventory' | 'missing' | 'runs'
  /** one tenant id/name, or all tenants */
  tenant: string | { all: true }
  /** for the missing view: the selection to judge (default: every category) */
  selection?: unknown
  policyTypes?: string[]
  /**
   * Inventory view only: export what the grid shows. `filter` and `sort` narrow and order the rows as the
   * page does; `columns` switches to the on-screen variant (docs/csv-format.md): those columns, in order.
   */
  filter?: InventoryFilter
  sort?: InventorySortEntry[]
  columns?: InventoryColumnId[]
  path: string
}

interface Deps {
  tenants: TenantsRepo
  runs: RunsRepo
  inventory: InventoryRepo
  inventoryQuery: InventoryQueryRepo
  missing: MissingService
  clock: Clock
  appVersion: string
}

/** The object identity both the inventory and the missing view start with. */
function objectColumns(
  tenant: TenantRow,
  item: { policyType: string; category: string; platform: string; externalId: string; displayName: string }
): ExportedObject {
  return {
    tenantId: tenant.id,
    tenantName: tenant.displayName,
    policyType: item.policyType,
    policyTypeLabel: getPolicyType(item.policyType)?.label ?? item.policyType,
    category: item.category as Category,
    platform: item.platform as Platform,
    externalId: item.externalId,
    displayName: item.displayName
  }
}

/** Every category: the default scope of the missing view when no selection is given. */
export const ALL_CATEGORIES_SELECTION = { categories: [...CATEGORIES] }

/**
 * Builds export rows lazily from the repositories and streams them through the shared CSV writer
 * (main/export), so a 200k-row export keeps memory flat.
 */
export class ExportService {
  constructor(private readonly deps: Deps) {}

  async export(
    input: ExportInput,
    resolveTenant: (idOrName: string) => TenantRow
  ): Promise<{ rows: number; bytes: number; path: string }> {
    const tenants =
      typeof input.tenant === 'string' ? [resolveTenant(input.tenant)] : this.deps.tenants.list()
    const exportedAt = new Date(this.deps.clock.now()).toISOString()
    const runCache = new Map<number, RunRow | undefined>()
    const runOf = (id: number | null): RunRow | undefined => {
      if (id === null) return undefined
      if (!runCache.has(id)) runCache.set(id, this.deps.runs.get(id))
      return runCache.get(id)
    }
    const provenance = (run: RunRow | undefined): Provenance => ({
      exportedAt,
      appVersion: this.deps.appVersion,
      sourceRunId: run?.id ?? null,
      sourceRunStatus: run?.status ?? null,
      sourceRunFinishedAt: run?.finishedAt ?? null,
      confidence: run && run.status === 'success' && !run.hadErrors ? 'high' : 'low'
    })
    const deps = this.deps

    if (input.view === 'inventory') {
      // the grid's view (filter, sort) when the page sends one, else the documented listing of the types
      const items = (tenant: TenantRow): IterableIterator<ItemRow> =>
        input.filter || input.sort
          ? deps.inventoryQuery.iterate(
              tenant.id,
              { ...input.filter, policyTypes: input.filter?.policyTypes ?? input.policyTypes },
              input.sort ?? [],
              typesWithLabelMatching(input.filter?.search)
            )
          : deps.inventory.iterate({ tenantId: tenant.id, policyTypes: input.policyTypes })
      if (input.columns) {
        const chosen = input.columns
        function* screenRows(): Generator<ScreenRow> {
          for (const tenant of tenants) {
            for (const item of items(tenant)) {
              yield { ...item, policyTypeLabel: getPolicyType(item.policyType)?.label ?? item.policyType }
            }
          }
        }
        return writeCsvFile({ columns: screenColumns(chosen), rows: screenRows(), path: input.path })
      }
      function* rows(): Generator<InventoryExportRow> {
        for (const tenant of tenants) {
          for (const item of items(tenant)) {
            yield {
              ...objectColumns(tenant, item),
              firstSeenAt: item.firstSeenAt,
              firstSeenRunId: item.firstSeenRunId,
              lastSeenAt: item.lastSeenAt,
              lastSeenRunId: item.lastSeenRunId,
              metaJson: item.metaJson,
              provenance: provenance(runOf(item.lastSeenRunId))
            }
          }
        }
      }
      return writeCsvFile({ columns: INVENTORY_COLUMNS, rows: rows(), path: input.path })
    }

    if (input.view === 'missing') {
      function* rows(): Generator<MissingExportRow> {
        for (const tenant of tenants) {
          const judgement = deps.missing.judge(tenant.id, input.selection ?? ALL_CATEGORIES_SELECTION, {
            policyTypes: input.policyTypes
          })
          const judge = judgement.judgedBy ? runOf(judgement.judgedBy.runId) : undefined
          for (const item of judgement.items) {
            yield {
              ...objectColumns(tenant, item),
              reason: item.reason,
              firstSeenAt: item.firstSeenAt,
              lastSeenAt: item.lastSeenAt,
              missingSince: item.missingSince,
              lowConfidence: judgement.lowConfidence,
              judgedByRunId: judgement.judgedBy?.runId ?? null,
              judgedByRunStatus: judgement.judgedBy?.status ?? null,
              absentInCompleteRuns: item.absentInCompleteRuns,
              provenance: provenance(judge)
            }
          }
        }
      }
      return writeCsvFile({ columns: MISSING_COLUMNS, rows: rows(), path: input.path })
    }

    function* rows(): Generator<RunExportRow> {
      for (const tenant of tenants) {
        for (const row of deps.runs.listForTenant(tenant.id, 1_000_000)) {
          const run = toRunSummary(row)
          const outcomes = Object.values(run.typeOutcomes)
          yield {
            tenantId: tenant.id,
            tenantName: tenant.displayName,
            runId: run.id,
            status: run.status as RunStatus,
            hadErrors: run.hadErrors,
            errorCodes: run.errorCodes,
            itemsObservedCount: run.itemsObservedCount,
            itemsUpsertedCount: run.itemsUpsertedCount,
            errorsCount: run.errorsCount,
            typesComplete: outcomes.filter((o) => o.status === 'complete').length,
            typesFailed: outcomes.filter((o) => o.status === 'failed' || o.status === 'skipped').length,
            // a run records an outcome for every type it set out to read; the others were not selected
            typesOutOfSelection: POLICY_TYPES.length - outcomes.length,
            trigger: run.trigger as RunTrigger,
            correlationId: run.correlationId,
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
            selectionHash: run.selectionHash,
            provenance: provenance(row)
          }
        }
      }
    }
    return writeCsvFile({ columns: RUN_COLUMNS, rows: rows(), path: input.path })
  }
}
