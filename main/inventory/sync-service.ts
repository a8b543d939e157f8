import type { AtlasDatabase } from '../../db/client'
import { LockLostError, type InventoryRepo } from '../../db/repositories/inventory-repo'
import type { LocksRepo, LockOwner } from '../../db/repositories/locks-repo'
import type { RunsRepo } from '../../db/repositories/runs-repo'
import { toRunSummary } from '../../db/repositories/runs-repo'
import type { TenantRow, TenantsRepo } from '../../db/repositories/tenants-repo'
import type { TokenProvider } from '../auth/token-provider'
import type { ConcurrencyLimiter, Permit } from '../concurrency/limiter'
import { AtlasError, type ErrorCode } from '../../domain/error-codes'
import type { PolicyTypeDef } from '../../domain/policy-type'
import { emptyTypeOutcome, type RunSummary, type RunTrigger, type TypeOutcome } from '../../domain/run'
import type { NormalizedSelection } from '../../domain/selection'
import type { GraphEvent, TenantSession } from '../graph/graph-client'
import { getPolicyType } from '../graph/registry'
import { isoTime, type Clock } from '../util/clock'
import type { Logger } from '../util/logger'
import { redactedMessage, redactText } from '../util/redact'
import type { TenantConnection } from '../tenants/tenant-connection'
import { ActiveSyncs, type ActiveSyncView } from './active-syncs'
import { collectionOrder, readCollections } from './collection-scheduler'
import { CollectionReader, runIds, type PageWriter, type RunContext } from './collection-reader'
import { abandonRun, recoverAbandoned, runVerdict } from './run-ledger'
import { RunLease } from './run-lease'
import { selectionHash, typesToSync } from './selection'
import { parseExcludedTypes } from '../tenants/excluded-types'
import { finishedEvent, type SyncEvent } from './sync-events'

export interface SyncRequest {
  tenantId: string
  /** validated and normalised by the caller (AtlasApi.startSync): a run never sees a raw selection */
  selection: NormalizedSelection
  trigger: RunTrigger
  /** chosen by the caller when it must know the id before the request arrives (the sync worker's host) */
  requestId?: string
}

export interface SyncHandle {
  requestId: string
  tenantId: string
  /** resolves with the run as stored when it ends, whatever the outcome; never rejects for run errors */
  done: Promise<RunSummary>
}

export interface SyncServiceDeps {
  db: AtlasDatabase
  tenants: TenantsRepo
  runs: RunsRepo
  locks: LocksRepo
  inventory: InventoryRepo
  graph: { session(args: Parameters<GraphSessionFactory>[0]): TenantSession }
  tokens: TokenProvider
  limiter: ConcurrencyLimiter
  clock: Clock
  owner: LockOwner
  newId: () => string
  emit: (event: SyncEvent) => void
  logger: Logger
  connectionFor: (tenant: TenantRow) => TenantConnection
  options: SyncOptions
  /** real timers by default: they only keep the lease alive while a run waits (queue, Retry-After) */
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval }
  /**
   * Commits a page (one transaction). Default: `inventory.writePage` on this thread. The sync worker
   * passes a writer on its own thread, so commits never delay the responses of the other page chains.
   */
  pageWriter?: PageWriter
}

export interface SyncOptions {
  /** collections enumerated at once within one run (page chains are sequential per collection) */
  typeConcurrency: number
  /** lock lease; renewed on every stored page and by a timer every third of it */
  lockTtlMs: number
}

type GraphSessionFactory = (args: {
  tenantKey: string
  graphBaseUrl: string
  getToken: (o: { forceRefresh: boolean }) => Promise<string>
  correlationId: string
  onEvent?: (e: GraphEvent) => void
}) => TenantSession

interface ActiveSync extends ActiveSyncView {
  controller: AbortController
}

/**
 * The run lifecycle of spec 040, tying its parts together: lease (run-lease.ts) → permit → run row →
 * token → collections in scheduler order (collection-scheduler.ts), each read by collection-reader.ts
 * (pages processed by page-processor.ts and committed in one transaction each) → verdict
 * (run-ledger.ts) → release, with progress events throughout.
 */
export class SyncService {
  private readonly active = new ActiveSyncs<ActiveSync>()
  private readonly collections: CollectionReader

  constructor(private readonly deps: SyncServiceDeps) {
    this.collections = new CollectionReader({
      ...deps,
      pageWriter: deps.pageWriter ?? { write: async (page) => deps.inventory.writePage(page) }
    })
  }

  /** Starts a sync of a validated selection. Throws NOT_FOUND (nothing recorded) for an unknown tenant. */
  start(req: SyncRequest): SyncHandle {
    const tenant = this.deps.tenants.get(req.tenantId)
    if (!tenant) throw new AtlasError('NOT_FOUND', `No tenant with id ${req.tenantId}`)
    const requestId = req.requestId ?? this.deps.newId()
    const entry: ActiveSync = { requestId, tenantId: tenant.id, controller: new AbortController() }
    this.active.add(entry)
    const done = this.execute(entry, tenant, req.selection, req.trigger).finally(() =>
      this.active.remove(requestId)
    )
    return { requestId, tenantId: tenant.id, done }
  }

  /** Cancels a queued or running sync by request id or run id. Returns false when nothing matched. */
  cancel(id: string | number): boolean {
    const entry = this.active.find(id)
    entry?.controller.abort(new AtlasError('CANCELLED', 'The sync was cancelled by the user.'))
    return entry !== undefined
  }

  activeSyncs(): ActiveSyncView[] {
    return this.active.list()
  }

  /** Closes runs left 'running' by an engine that died (run-ledger.ts), except the ones running here. */
  recoverAbandoned(): number[] {
    return recoverAbandoned(this.deps, (runId) => this.active.hasRun(runId))
  }

  private async execute(
    entry: ActiveSync,
    tenant: TenantRow,
    selection: NormalizedSelection,
    trigger: RunTrigger
  ): Promise<RunSummary> {
    const { deps } = this
    const hash = selectionHash(selection)
    const typeKeys = typesToSync(selection, parseExcludedTypes(tenant.excludedTypes))
    const base: RunBase = {
      tenantId: tenant.id,
      selectionHash: hash,
      selection,
      correlationId: deps.newId(),
      trigger
    }

    const lease = RunLease.acquire(
      { ...deps, ttlMs: deps.options.lockTtlMs },
      { tenantId: tenant.id, selectionHash: hash }
    )
    if (!(lease instanceof RunLease)) {
      return this.recordRefused(entry, base, typeKeys, 'skipped', 'LOCK_HELD', {
        message: 'Another sync of the same tenant and selection is running.',
        holderRunId: lease.holderRunId
      })
    }
    if (lease.reclaimedRunId !== null) {
      abandonRun(
        deps,
        lease.reclaimedRunId,
        'Its lock was reclaimed after the process stopped heart-beating.'
      )
    }
    const lost = (): void => entry.controller.abort(new AtlasError('LOCK_LOST', new LockLostError().message))
    lease.keepAlive(lost)

    let permit: Permit | undefined
    try {
      permit = await deps.limiter.acquire(tenant.id, {
        id: entry.requestId,
        signal: entry.controller.signal,
        onQueued: (position) =>
          deps.emit({ kind: 'queued', requestId: entry.requestId, tenantId: tenant.id, position })
      })
    } catch (err) {
      lease.release()
      const code = err instanceof AtlasError ? err.code : 'INTERNAL'
      return this.recordRefused(entry, base, typeKeys, code === 'CANCELLED' ? 'failed' : 'skipped', code, {
        message: err instanceof Error ? redactText(err.message) : 'refused'
      })
    }

    try {
      return await this.runWithPermit(entry, tenant, base, typeKeys, lease, lost)
    } finally {
      permit.release()
      lease.release()
    }
  }

  private async runWithPermit(
    entry: ActiveSync,
    tenant: TenantRow,
    base: RunBase,
    typeKeys: string[],
    lease: RunLease,
    onLeaseLost: () => void
  ): Promise<RunSummary> {
    const { deps } = this
    const outcomes: Record<string, TypeOutcome> = Object.fromEntries(
      typeKeys.map((k) => [k, emptyTypeOutcome()])
    )
    const run = deps.db.sqlite
      .transaction(() => {
        const row = deps.runs.createRunning({
          ...base,
          startedAt: isoTime(deps.clock.now()),
          typeOutcomes: outcomes
        })
        if (!deps.locks.setHolder(tenant.id, base.selectionHash, lease.token, row.id))
          throw new LockLostError()
        return row
      })
      .immediate()
    entry.runId = run.id
    const ctx: RunContext = {
      requestId: entry.requestId,
      controller: entry.controller,
      runId: run.id,
      tenantId: tenant.id,
      selectionHash: base.selectionHash,
      lease,
      onLeaseLost,
      outcomes,
      selected: new Set(typeKeys),
      counters: { observed: 0, upserted: 0 },
      fatal: undefined,
      noIntune: undefined,
      requestIds: {},
      writes: Promise.resolve()
    }
    deps.emit({
      kind: 'started',
      requestId: entry.requestId,
      tenantId: tenant.id,
      runId: run.id,
      correlationId: base.correlationId,
      policyTypes: typeKeys
    })

    try {
      const connection = deps.connectionFor(tenant)
      // the token comes first: credential problems end the run before any Graph call
      await deps.tokens.getToken(connection.auth, { correlationId: base.correlationId })
      const session = deps.graph.session({
        tenantKey: tenant.id,
        graphBaseUrl: connection.graphBaseUrl,
        correlationId: base.correlationId,
        getToken: ({ forceRefresh }) =>
          deps.tokens.getToken(connection.auth, { forceRefresh, correlationId: base.correlationId }),
        onEvent: (e) => this.onGraphEvent(ctx, e)
      })
      const defs = typeKeys.map((k) => getPolicyType(k)).filter((d): d is PolicyTypeDef => d !== undefined)
      const order = collectionOrder(defs, deps.runs.lastPagesByType(tenant.id))
      await readCollections(order, deps.options.typeConcurrency, (group) =>
        this.collections.read(ctx, session, group.path, group.types)
      )
    } catch (err) {
      ctx.fatal = ctx.fatal ?? toFatal(err)
      if (!(err instanceof AtlasError))
        deps.logger.error({ runId: run.id, err: redactedMessage(err) }, 'sync failed')
    }
    // every collection awaited its own commits; this also covers one left behind by an early exit
    await ctx.writes
    return this.finishRun(ctx)
  }

  private finishRun(ctx: RunContext): RunSummary {
    const { deps } = this
    // types never reached (fatal error before enumeration) are not collected
    for (const [key, o] of Object.entries(ctx.outcomes)) {
      if (o.status === 'pending' || o.status === 'running') {
        const def = getPolicyType(key)
        if (def)
          this.collections.finishTypes(
            ctx,
            [def],
            'skipped',
            ctx.fatal?.code ?? 'INTERNAL',
            ctx.fatal?.message
          )
      }
    }
    const fatal = ctx.fatal && { code: ctx.fatal.code, message: redactText(ctx.fatal.message) }
    const verdict = runVerdict(ctx.outcomes, fatal, ctx.requestIds)
    deps.runs.finish(ctx.runId, {
      ...verdict,
      itemsObservedCount: ctx.counters.observed,
      itemsUpsertedCount: ctx.counters.upserted,
      typeOutcomes: ctx.outcomes,
      finishedAt: isoTime(deps.clock.now())
    })
    const summary = toRunSummary(deps.runs.get(ctx.runId)!)
    deps.emit(finishedEvent(ctx.requestId, summary))
    return summary
  }

  /** A run refused before it could start (lock held, no permit, cancelled in the queue). */
  private recordRefused(
    entry: ActiveSync,
    base: RunBase,
    typeKeys: string[],
    status: 'skipped' | 'failed',
    code: ErrorCode,
    context: { message: string; [k: string]: unknown }
  ): RunSummary {
    const outcomes = Object.fromEntries(
      typeKeys.map((k) => [k, { ...emptyTypeOutcome(), status: 'skipped' as const, errorCode: code }])
    )
    const row = this.deps.runs.createSkipped({
      ...base,
      status,
      startedAt: isoTime(this.deps.clock.now()),
      code,
      context: { fatal: { code, ...context } },
      typeOutcomes: outcomes
    })
    const summary = toRunSummary(this.deps.runs.get(row.id)!)
    entry.runId = row.id
    this.deps.emit(finishedEvent(entry.requestId, summary))
    return summary
  }

  private onGraphEvent(ctx: RunContext, e: GraphEvent): void {
    if (e.kind !== 'throttled') return
    // a long Retry-After must not let the lease lapse
    ctx.lease.heartbeat(ctx.onLeaseLost)
    this.deps.emit({
      kind: 'throttled',
      ...runIds(ctx),
      status: e.status,
      waitSeconds: Math.round(e.waitMs / 100) / 10,
      retryAt: isoTime(this.deps.clock.now() + e.waitMs),
      policyTypes: [...ctx.selected].filter((key) => getPolicyType(key)?.path === e.path),
      attempt: e.attempt
    })
  }
}

/** What every run row of one request shares, refused or not. */
interface RunBase {
  tenantId: string
  selectionHash: string
  selection: NormalizedSelection
  correlationId: string
  trigger: RunTrigger
}

function toFatal(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof LockLostError) return { code: 'LOCK_LOST', message: err.message }
  if (err instanceof AtlasError) return { code: err.code, message: redactText(err.message) }
  return { code: 'INTERNAL', message: redactedMessage(err) }
}
