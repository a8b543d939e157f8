import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm'
import type { ErrorCode } from '../../domain/error-codes'
import type { RunSummary, RunTrigger, TypeOutcome } from '../../domain/run'
import { TERMINAL_RUN_STATUSES } from '../../domain/run'
import type { NormalizedSelection } from '../../domain/selection'
import type { Orm } from '../client'
import type { RunRow } from '../run-row'
import { inventorySyncRuns } from '../schema'

// the row type and its mapping live in db/run-row.ts (no ORM import: the CLI's quick read path uses them)
export { toRunSummary, type RunRow } from '../run-row'

export interface NewRun {
  tenantId: string
  selectionHash: string
  selection: NormalizedSelection
  correlationId: string
  trigger: RunTrigger
  startedAt: string
  typeOutcomes: Record<string, TypeOutcome>
}

/** What finishing a run writes: the outcome fields of RunSummary plus the finish time. */
export type RunFinish = Pick<
  RunSummary,
  | 'status'
  | 'hadErrors'
  | 'errorCodes'
  | 'errorContext'
  | 'itemsObservedCount'
  | 'itemsUpsertedCount'
  | 'errorsCount'
  | 'typeOutcomes'
> & { finishedAt: string }

/** The run ledger: every sync attempt, including refused ones (skipped), is a row here. */
export class RunsRepo {
  constructor(private readonly orm: Orm) {}

  createRunning(run: NewRun): RunRow {
    return this.orm
      .insert(inventorySyncRuns)
      .values({
        tenantId: run.tenantId,
        selectionHash: run.selectionHash,
        selectionPayload: JSON.stringify(run.selection),
        status: 'running',
        correlationId: run.correlationId,
        trigger: run.trigger,
        startedAt: run.startedAt,
        typeOutcomes: JSON.stringify(run.typeOutcomes)
      })
      .returning()
      .get()
  }

  /**
   * A refused run (lock held, no permit: 'skipped'; cancelled while queued: 'failed'), recorded so the
   * refusal is observable, never silent.
   */
  createSkipped(
    run: Omit<NewRun, 'typeOutcomes'> & {
      status: 'skipped' | 'failed'
      code: ErrorCode
      context: Record<string, unknown>
      typeOutcomes: Record<string, TypeOutcome>
    }
  ): RunRow {
    return this.orm
      .insert(inventorySyncRuns)
      .values({
        tenantId: run.tenantId,
        selectionHash: run.selectionHash,
        selectionPayload: JSON.stringify(run.selection),
        status: run.status,
        hadErrors: true,
        errorCodes: JSON.stringify([run.code]),
        errorContext: JSON.stringify(run.context),
        errorsCount: 1,
        correlationId: run.correlationId,
        trigger: run.trigger,
        startedAt: run.startedAt,
        finishedAt: run.startedAt,
        typeOutcomes: JSON.stringify(run.typeOutcomes)
      })
      .returning()
      .get()
  }

  /** Only a run still 'running' can finish (a reclaimed run closed as ABANDONED stays closed). */
  finish(id: number, f: RunFinish): boolean {
    return (
      this.orm
        .update(inventorySyncRuns)
        .set({
          status: f.status,
          hadErrors: f.hadErrors,
          errorCodes: JSON.stringify(f.errorCodes),
          errorContext: JSON.stringify(f.errorContext),
          itemsObservedCount: f.itemsObservedCount,
          itemsUpsertedCount: f.itemsUpsertedCount,
          errorsCount: f.errorsCount,
          typeOutcomes: JSON.stringify(f.typeOutcomes),
          finishedAt: f.finishedAt
        })
        .where(and(eq(inventorySyncRuns.id, id), eq(inventorySyncRuns.status, 'running')))
        .run().changes > 0
    )
  }

  get(id: number): RunRow | undefined {
    return this.orm.select().from(inventorySyncRuns).where(eq(inventorySyncRuns.id, id)).get()
  }

  listForTenant(tenantId: string, limit = 100): RunRow[] {
    return this.orm
      .select()
      .from(inventorySyncRuns)
      .where(eq(inventorySyncRuns.tenantId, tenantId))
      .orderBy(desc(inventorySyncRuns.id))
      .limit(limit)
      .all()
  }

  listRunning(): RunRow[] {
    return this.orm.select().from(inventorySyncRuns).where(eq(inventorySyncRuns.status, 'running')).all()
  }

  /** Spec: the latest run of the selection that reached a terminal status, latest by finished_at then id. */
  latestTerminal(tenantId: string, selectionHash: string): RunRow | undefined {
    return this.orm
      .select()
      .from(inventorySyncRuns)
      .where(
        and(
          eq(inventorySyncRuns.tenantId, tenantId),
          eq(inventorySyncRuns.selectionHash, selectionHash),
          inArray(inventorySyncRuns.status, [...TERMINAL_RUN_STATUSES]),
          isNotNull(inventorySyncRuns.finishedAt)
        )
      )
      .orderBy(desc(inventorySyncRuns.finishedAt), desc(inventorySyncRuns.id))
      .limit(1)
      .get()
  }

  /** Terminal runs of one selection in id order (small: one row per sync), for "missing since". */
  terminalRunsOfSelection(
    tenantId: string,
    selectionHash: string
  ): Pick<RunRow, 'id' | 'startedAt' | 'typeOutcomes'>[] {
    return this.orm
      .select({
        id: inventorySyncRuns.id,
        startedAt: inventorySyncRuns.startedAt,
        typeOutcomes: inventorySyncRuns.typeOutcomes
      })
      .from(inventorySyncRuns)
      .where(
        and(
          eq(inventorySyncRuns.tenantId, tenantId),
          eq(inventorySyncRuns.selectionHash, selectionHash),
          inArray(inventorySyncRuns.status, [...TERMINAL_RUN_STATUSES])
        )
      )
      .orderBy(inventorySyncRuns.id)
      .all()
  }

  /** Page counts of the tenant's latest finished run per type: used to start long page chains first. */
  lastPagesByType(tenantId: string): Record<string, number> {
    const rows = this.orm
      .select({ typeOutcomes: inventorySyncRuns.typeOutcomes })
      .from(inventorySyncRuns)
      .where(and(eq(inventorySyncRuns.tenantId, tenantId), isNotNull(inventorySyncRuns.finishedAt)))
      .orderBy(desc(inventorySyncRuns.id))
      .limit(20)
      .all()
    const pages: Record<string, number> = {}
    for (const row of rows) {
      const outcomes = JSON.parse(row.typeOutcomes) as Record<string, TypeOutcome>
      for (const [type, o] of Object.entries(outcomes)) {
        if (pages[type] === undefined && o.status === 'complete') pages[type] = o.pages
      }
    }
    return pages
  }
}
