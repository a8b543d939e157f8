import type { AtlasDatabase } from '../../db/client'
import type { PageWrite, StoredItemInput } from '../../db/repositories/inventory-repo'
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
import { POLICY_TYPES, getPolicyType, groupBySource, routeItem } from '../graph/registry'
import { isoTime, type Clock } from '../util/clock'
import type { Logger } from '../util/logger'
import { redactText } from '../util/redact'
import type { TenantConnection } from '../tenants/tenant-connection'
import { normalizeItem } from './normalize-item'
import { abandonRun, recoverAbandoned, runVerdict } from './run-ledger'
import { normalizeSelection, parseExcludedTypes, selectionHash, typesToSync } from './selection'
import { finishedEvent, type SyncEvent } from './sync-events'

export interface SyncRequest {
  tenantId: string
  /** raw selection: validated and normalised here (unknown types are INVALID_INPUT, no run recorded) */
  selection: unknown
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

interface ActiveSync {
  requestId: string
  tenantId: string
  controller: AbortController
  runId?: number
}

/** Codes that end the whole run at once (every type would fail the same way). */
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set(['GRAPH_UNAUTHORIZED', 'LOCK_LOST', 'CANCELLED'])

/**
 * The run lifecycle of spec 040: validate → lock → permit → run row → token → enumerate collections
 * (pages upserted one transaction each) → status → release, with progress events throughout.
 */
export class SyncService {
  private readonly active = new Map<string, ActiveSync>()
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

  /** Validates and starts a sync. Throws AtlasError INVALID_INPUT / NOT_FOUND before anything is recorded. */
  start(req: SyncRequest): SyncHandle {
    const selection = normalizeSelection(req.selection)
    const tenant = this.deps.tenants.get(req.tenantId)
    if (!tenant) throw new AtlasError('NOT_FOUND', `No tenant with id ${req.tenantId}`)
    const requestId = req.requestId ?? this.deps.newId()
    const entry: ActiveSync = { requestId, tenantId: tenant.id, controller: new AbortController() }
    this.active.set(requestId, entry)
    const done = this.execute(entry, tenant, selection, req.trigger).finally(() =>
      this.active.delete(requestId)
    )
    return { requestId, tenantId: tenant.id, done }
  }

  /** Cancels a queued or running sync by request id or run id. Returns false when nothing matched. */
  cancel(id: string | number): boolean {
    for (const entry of this.active.values()) {
      if (entry.requestId === id || entry.runId === id) {
        entry.controller.abort(new AtlasError('CANCELLED', 'The sync was cancelled by the user.'))
        return true
      }
    }
    return false
  }

  activeSyncs(): Array<{ requestId: string; tenantId: string; runId?: number }> {
    return [...this.active.values()].map(({ requestId, tenantId, runId }) => ({ requestId, tenantId, runId }))
  }

  /** Closes runs left 'running' by an engine that died (run-ledger.ts), except the ones running here. */
  recoverAbandoned(): number[] {
    return recoverAbandoned(this.deps, (runId) => [...this.active.values()].some((a) => a.runId === runId))
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
    const correlationId = deps.newId()
    const base: RunBase = { tenantId: tenant.id, selectionHash: hash, selection, correlationId, trigger }

    const nowIso = isoTime(deps.clock.now())
    const lock = deps.locks.acquire({
      tenantId: tenant.id,
      selectionHash: hash,
      owner: deps.owner,
      nowIso,
      expiresIso: isoTime(deps.clock.now() + deps.options.lockTtlMs)
    })
    if (!lock.acquired) {
      return this.recordRefused(entry, base, typeKeys, 'skipped', 'LOCK_HELD', {
        message: 'Another sync of the same tenant and selection is running.',
        holderRunId: lock.holderRunId
      })
    }
    if (lock.reclaimedRunId !== null) {
      abandonRun(deps, lock.reclaimedRunId, 'Its lock was reclaimed after the process stopped heart-beating.')
    }
    const lease = this.keepLeaseAlive(tenant.id, hash, lock.token, entry)

    let permit: Permit | undefined
    try {
      permit = await deps.limiter.acquire(tenant.id, {
        id: entry.requestId,
        signal: entry.controller.signal,
        onQueued: (position) =>
          deps.emit({ kind: 'queued', requestId: entry.requestId, tenantId: tenant.id, position })
      })
    } catch (err) {
      lease.stop()
      deps.locks.release(tenant.id, hash, lock.token, isoTime(deps.clock.now()))
      const code = err instanceof AtlasError ? err.code : 'INTERNAL'
      return this.recordRefused(entry, base, typeKeys, code === 'CANCELLED' ? 'failed' : 'skipped', code, {
        message: err instanceof Error ? redactText(err.message) : 'refused'
      })
    }

    try {
      return await this.runWithPermit(entry, tenant, base, typeKeys, lock.token)
    } finally {
      lease.stop()
      permit.release()
      deps.locks.release(tenant.id, hash, lock.token, isoTime(deps.clock.now()))
    }
  }

  private async runWithPermit(
    entry: ActiveSync,
    tenant: TenantRow,
    base: RunBase,
    typeKeys: string[],
    lockToken: number
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
        if (!deps.locks.setHolder(tenant.id, base.selectionHash, lockToken, row.id)) throw new LockLostError()
        return row
      })
      .immediate()
    entry.runId = run.id
    const ctx: RunContext = {
      entry,
      runId: run.id,
      tenantId: tenant.id,
      selectionHash: base.selectionHash,
      lockToken,
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
      await this.enumerateAll(ctx, session)
    } catch (err) {
      ctx.fatal = ctx.fatal ?? toFatal(err)
      if (!(err instanceof AtlasError))
        deps.logger.error({ runId: run.id, err: safeMessage(err) }, 'sync failed')
    }
    // every collection awaited its own commits; this also covers one left behind by an early exit
    await ctx.writes
    return this.finishRun(ctx)
  }

  /** Enumerates every needed collection with a small worker pool, long page chains first. */
  private async enumerateAll(ctx: RunContext, session: TenantSession): Promise<void> {
    const defs = [...ctx.selected]
      .map((k) => getPolicyType(k))
      .filter((d): d is PolicyTypeDef => d !== undefined)
    const lastPages = this.deps.runs.lastPagesByType(ctx.tenantId)
    const groups = groupBySource(defs)
    const weight = (g: (typeof groups)[number]): number =>
      Math.max(...g.types.map((t) => lastPages[t.key] ?? 1 / (t.expectedPageSize ?? 100)))
    const queue = [...groups].sort((a, b) => weight(b) - weight(a))
    const worker = async (): Promise<void> => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        await this.enumerateCollection(ctx, session, group.path, group.types)
      }
    }
    const n = Math.max(1, Math.min(this.deps.options.typeConcurrency, queue.length))
    await Promise.all(Array.from({ length: n }, worker))
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
   * Routes, normalises and stores one page in one transaction; counters move only after the commit.
   * Normalising happens at once; the commit waits for the run's earlier page commits (ctx.writes).
   */
  private storePage(
    ctx: RunContext,
    types: PolicyTypeDef[],
    siblings: PolicyTypeDef[],
    seen: Map<string, Set<string>>,
    rawItems: unknown[],
    pageIndex: number
  ): Promise<void> {
    // per type of this collection: only this collection's pages (one at a time) touch these counts
    const delta: Record<string, TypeOutcome> = {}
    for (const t of types) delta[t.key] = { ...emptyTypeOutcome(), pages: 1 }
    const items: StoredItemInput[] = []
    const newIds = new Map<string, Set<string>>(types.map((t) => [t.key, new Set<string>()]))
    for (const raw of rawItems) {
      const def = isRecord(raw) ? routeItem(siblings, raw) : types[0]
      if (!def || !ctx.selected.has(def.key)) continue // belongs to a type this selection does not cover
      const outcome = delta[def.key]
      if (!outcome) continue
      const normalized = normalizeItem(def, raw)
      if (!normalized.ok) {
        outcome.skippedItems++
        continue
      }
      const { item } = normalized
      const pageIds = newIds.get(def.key)!
      if (seen.get(def.key)!.has(item.externalId) || pageIds.has(item.externalId)) {
        outcome.duplicateItems++
        continue
      }
      pageIds.add(item.externalId)
      outcome.observed++
      outcome.droppedKeys += item.droppedKeys
      outcome.truncatedValues += item.truncatedValues
      items.push({
        policyType: def.key,
        externalId: item.externalId,
        displayName: item.displayName,
        category: item.category,
        platform: item.platform,
        metaJson: item.metaJson
      })
    }
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
        lock: { token: ctx.lockToken, expiresIso: isoTime(now + deps.options.lockTtlMs) },
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
    this.heartbeat(ctx.tenantId, ctx.selectionHash, ctx.lockToken, ctx.entry)
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

  private keepLeaseAlive(tenantId: string, hash: string, token: number, entry: ActiveSync): { stop(): void } {
    const timers = this.deps.timers ?? { setInterval, clearInterval }
    const handle = timers.setInterval(
      () => this.heartbeat(tenantId, hash, token, entry),
      Math.max(1000, Math.floor(this.deps.options.lockTtlMs / 3))
    )
    handle.unref?.()
    return { stop: () => timers.clearInterval(handle) }
  }

  private heartbeat(tenantId: string, hash: string, token: number, entry: ActiveSync): void {
    const now = this.deps.clock.now()
    try {
      const ok = this.deps.locks.heartbeat(
        tenantId,
        hash,
        token,
        isoTime(now),
        isoTime(now + this.deps.options.lockTtlMs)
      )
      if (!ok) entry.controller.abort(new AtlasError('LOCK_LOST', new LockLostError().message))
    } catch (err) {
      // SQLITE_BUSY from another writer: the next heartbeat or page commit renews the lease
      this.deps.logger.warn({ err: safeMessage(err) }, 'lease heartbeat failed')
    }
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
  lockToken: number
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The outcome after one more page: counts added, status and error fields kept from `base`. */
function addOutcome(base: TypeOutcome, page: TypeOutcome): TypeOutcome {
  return {
    ...base,
    pages: base.pages + page.pages,
    observed: base.observed + page.observed,
    skippedItems: base.skippedItems + page.skippedItems,
    duplicateItems: base.duplicateItems + page.duplicateItems,
    droppedKeys: base.droppedKeys + page.droppedKeys,
    truncatedValues: base.truncatedValues + page.truncatedValues
  }
}
