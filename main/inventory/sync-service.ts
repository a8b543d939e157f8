import type { AtlasDatabase } from '../../db/client'
import type { PageWrite } from '../../db/repositories/inventory-repo'
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
import { GraphError } from '../graph/graph-client'
import { POLICY_TYPES, getPolicyType } from '../graph/registry'
import { isoTime, type Clock } from '../util/clock'
import type { Logger } from '../util/logger'
import { redactText } from '../util/redact'
import type { TenantConnection } from '../tenants/tenant-connection'
import { ActiveSyncs, type ActiveSyncView } from './active-syncs'
import { collectionOrder, readCollections } from './collection-scheduler'
import { addOutcome, processPage } from './page-processor'
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

/** Where page transactions run; `write` resolves after the commit (or rejects, e.g. LockLostError). */
export interface PageWriter {
  write(page: PageWrite): Promise<{ upserted: number }>
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

/** Codes that end the whole run at once (every type would fail the same way). */
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set(['GRAPH_UNAUTHORIZED', 'LOCK_LOST', 'CANCELLED'])

/**
 * The run lifecycle of spec 040, tying its parts together: lease (run-lease.ts) → permit → run row →
 * token → collections in scheduler order (collection-scheduler.ts), each page processed
 * (page-processor.ts) and committed in one transaction → verdict (run-ledger.ts) → release, with
 * progress events throughout.
 */
export class SyncService {
  private readonly active = new ActiveSyncs<ActiveSync>()
  /** for each Graph collection path, every registry type fed by it (routing must see siblings) */
  private readonly typesByPath = new Map<string, PolicyTypeDef[]>()
  private readonly pageWriter: PageWriter

  constructor(private readonly deps: SyncServiceDeps) {
    this.pageWriter = deps.pageWriter ?? { write: async (page) => deps.inventory.writePage(page) }
    for (const def of POLICY_TYPES) {
      const list = this.typesByPath.get(def.path) ?? []
      list.push(def)
      this.typesByPath.set(def.path, list)
    }
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
      entry,
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
        this.enumerateCollection(ctx, session, group.path, group.types)
      )
    } catch (err) {
      ctx.fatal = ctx.fatal ?? toFatal(err)
      if (!(err instanceof AtlasError))
        deps.logger.error({ runId: run.id, err: safeMessage(err) }, 'sync failed')
    }
    // every collection awaited its own commits; this also covers one left behind by an early exit
    await ctx.writes
    return this.finishRun(ctx)
  }

  private async enumerateCollection(
    ctx: RunContext,
    session: TenantSession,
    path: string,
    types: PolicyTypeDef[]
  ): Promise<void> {
    const { deps } = this
    const signal = ctx.entry.controller.signal
    if (ctx.fatal || signal.aborted) {
      const code = ctx.fatal?.code ?? 'CANCELLED'
      return this.finishTypes(ctx, types, 'skipped', code, 'The run stopped before this type was read.')
    }
    if (ctx.noIntune && types.every((t) => t.intune)) {
      return this.finishTypes(ctx, types, 'skipped', 'TENANT_NO_INTUNE', ctx.noIntune)
    }
    for (const t of types) {
      ctx.outcomes[t.key] = { ...ctx.outcomes[t.key]!, status: 'running' }
      deps.emit({ kind: 'type_started', ...this.ids(ctx), policyType: t.key })
    }
    const siblings = this.typesByPath.get(path) ?? types
    const seen = new Map<string, Set<string>>(types.map((t) => [t.key, new Set<string>()]))
    try {
      for await (const page of session.listPages(path, {
        signal,
        licenseGated: types.some((t) => t.licenseGated)
      })) {
        await this.storePage(ctx, types, siblings, seen, page.items, page.pageIndex)
      }
      this.finishTypes(ctx, types, 'complete')
    } catch (err) {
      if (err instanceof LockLostError) {
        ctx.fatal = { code: 'LOCK_LOST', message: err.message }
        ctx.entry.controller.abort(new AtlasError('LOCK_LOST', err.message))
      }
      if (signal.aborted) {
        const reason = signal.reason as unknown
        const code = ctx.fatal?.code ?? (reason instanceof AtlasError ? reason.code : 'CANCELLED')
        return this.finishTypes(ctx, types, 'failed', code, 'The run stopped while this type was being read.')
      }
      if (err instanceof GraphError) {
        if (err.code === 'TENANT_NO_INTUNE' && types.every((t) => t.intune)) ctx.noIntune = err.message
        if (FATAL_CODES.has(err.code)) {
          ctx.fatal = { code: err.code, message: err.message }
          ctx.entry.controller.abort(err)
        }
        const status =
          err.code === 'GRAPH_NOT_LICENSED' || err.code === 'TENANT_NO_INTUNE' ? 'skipped' : 'failed'
        return this.finishTypes(ctx, types, status, err.code, err.message, err.missingScopes, err.requestId)
      }
      deps.logger.error({ runId: ctx.runId, path, err: safeMessage(err) }, 'collection failed')
      return this.finishTypes(ctx, types, 'failed', 'INTERNAL', safeMessage(err))
    }
  }

  /**
   * Processes one page at once (pure: route, normalise, dedupe) and commits it in one transaction with
   * the run's progress, after the run's earlier commits (ctx.writes); counts move only after the commit.
   */
  private storePage(
    ctx: RunContext,
    types: PolicyTypeDef[],
    siblings: PolicyTypeDef[],
    seen: Map<string, Set<string>>,
    rawItems: unknown[],
    pageIndex: number
  ): Promise<void> {
    const { items, delta, newIds } = processPage({ types, siblings, selected: ctx.selected, seen }, rawItems)
    const commit = async (): Promise<void> => {
      const { deps } = this
      const next: Record<string, TypeOutcome> = {}
      for (const t of types) next[t.key] = addOutcome(ctx.outcomes[t.key]!, delta[t.key]!)
      const observed = ctx.counters.observed + items.length
      const now = deps.clock.now()
      const { upserted } = await this.pageWriter.write({
        tenantId: ctx.tenantId,
        selectionHash: ctx.selectionHash,
        runId: ctx.runId,
        nowIso: isoTime(now),
        items,
        lock: { token: ctx.lease.token, expiresIso: ctx.lease.expiresIso(now) },
        progress: {
          itemsObserved: observed,
          itemsUpserted: ctx.counters.upserted,
          typeOutcomesJson: JSON.stringify({ ...ctx.outcomes, ...next })
        }
      })
      // committed: now the in-memory state may move (nothing else moved it meanwhile: the run's commits
      // take turns, and only this collection's pages touch its types)
      Object.assign(ctx.outcomes, next)
      for (const [key, ids] of newIds) for (const id of ids) seen.get(key)!.add(id)
      ctx.counters.observed = observed
      ctx.counters.upserted += upserted
      deps.emit({
        kind: 'page_stored',
        ...this.ids(ctx),
        policyTypes: types.map((t) => t.key),
        pageIndex,
        items: items.length,
        runObserved: observed
      })
    }
    const turn = ctx.writes.then(commit)
    // the chain goes on after a failed commit: that error belongs to this collection, not the next page
    ctx.writes = turn.catch(() => undefined)
    return turn
  }

  private finishTypes(
    ctx: RunContext,
    types: PolicyTypeDef[],
    status: TypeOutcome['status'],
    code?: ErrorCode,
    message?: string,
    missingScopes?: string[],
    requestId?: string
  ): void {
    for (const t of types) {
      const prev = ctx.outcomes[t.key] ?? emptyTypeOutcome()
      const outcome: TypeOutcome = { ...prev, status }
      if (code) outcome.errorCode = code
      if (message) outcome.errorMessage = redactText(message)
      if (missingScopes && missingScopes.length > 0) outcome.missingScopes = missingScopes
      ctx.outcomes[t.key] = outcome
      if (requestId) ctx.requestIds[t.key] = requestId
      this.deps.emit({
        kind: 'type_finished',
        ...this.ids(ctx),
        policyType: t.key,
        status,
        observed: outcome.observed,
        pages: outcome.pages,
        ...(code ? { errorCode: code } : {})
      })
    }
  }

  private finishRun(ctx: RunContext): RunSummary {
    const { deps } = this
    // types never reached (fatal error before enumeration) are not collected
    for (const [key, o] of Object.entries(ctx.outcomes)) {
      if (o.status === 'pending' || o.status === 'running') {
        const def = getPolicyType(key)
        if (def) this.finishTypes(ctx, [def], 'skipped', ctx.fatal?.code ?? 'INTERNAL', ctx.fatal?.message)
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
    deps.emit(finishedEvent(ctx.entry.requestId, summary))
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
      ...this.ids(ctx),
      status: e.status,
      waitSeconds: Math.round(e.waitMs / 100) / 10,
      retryAt: isoTime(this.deps.clock.now() + e.waitMs),
      policyTypes: [...ctx.selected].filter((key) => getPolicyType(key)?.path === e.path),
      attempt: e.attempt
    })
  }

  private ids(ctx: RunContext): { requestId: string; tenantId: string; runId: number } {
    return { requestId: ctx.entry.requestId, tenantId: ctx.tenantId, runId: ctx.runId }
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

interface RunContext {
  entry: ActiveSync
  runId: number
  tenantId: string
  selectionHash: string
  lease: RunLease
  onLeaseLost: () => void
  outcomes: Record<string, TypeOutcome>
  selected: Set<string>
  counters: { observed: number; upserted: number }
  fatal: { code: ErrorCode; message: string } | undefined
  /** set by the first 'Request not applicable to target tenant': later Intune types are skipped */
  noIntune: string | undefined
  /** Graph request-id of the failing call per type, kept for support */
  requestIds: Record<string, string>
  /**
   * The run's page commits, one after the other: each page's progress snapshot and counters are taken when
   * its turn comes, after the previous commit, so concurrent collections never write stale progress.
   */
  writes: Promise<unknown>
}

function toFatal(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof LockLostError) return { code: 'LOCK_LOST', message: err.message }
  if (err instanceof AtlasError) return { code: err.code, message: redactText(err.message) }
  return { code: 'INTERNAL', message: safeMessage(err) }
}

function safeMessage(err: unknown): string {
  return redactText(err instanceof Error ? err.message : String(err))
}
