import { LockLostError } from '../../db/repositories/inventory-repo'
import { AtlasError, type ErrorCode } from '../../domain/error-codes'
import type { PolicyTypeDef } from '../../domain/policy-type'
import { emptyTypeOutcome, type TypeOutcome } from '../../domain/run'
import type { PageWrite } from '../../db/repositories/inventory-repo'
import { GraphError, type TenantSession } from '../graph/graph-client'
import { POLICY_TYPES } from '../graph/registry'
import { isoTime, type Clock } from '../util/clock'
import type { Logger } from '../util/logger'
import { redactedMessage, redactText } from '../util/redact'
import { addOutcome, processPage } from './page-processor'
import type { RunLease } from './run-lease'
import type { SyncEvent } from './sync-events'

/** Where page transactions run; `write` resolves after the commit (or rejects, e.g. LockLostError). */
export interface PageWriter {
  write(page: PageWrite): Promise<{ upserted: number }>
}

/** One run while it reads: what its collections share and move (sync-service.ts makes it). */
export interface RunContext {
  requestId: string
  /** aborted on cancel, on a lost lease and by a fatal Graph answer: every collection stops */
  controller: AbortController
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

export interface CollectionReaderDeps {
  pageWriter: PageWriter
  clock: Clock
  logger: Logger
  emit: (event: SyncEvent) => void
}

/** Codes that end the whole run at once (every type would fail the same way). */
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set(['GRAPH_UNAUTHORIZED', 'LOCK_LOST', 'CANCELLED'])

/**
 * Reads one Graph collection of a run: its pages in order, each processed (page-processor.ts) and
 * committed in one transaction with the run's progress, and the outcome of each type it feeds, whatever
 * way the reading ends (complete, not licensed, forbidden, cancelled, lock lost).
 */
export class CollectionReader {
  /** for each Graph collection path, every registry type fed by it (routing must see siblings) */
  private readonly typesByPath = new Map<string, PolicyTypeDef[]>()

  constructor(private readonly deps: CollectionReaderDeps) {
    for (const def of POLICY_TYPES) {
      const list = this.typesByPath.get(def.path) ?? []
      list.push(def)
      this.typesByPath.set(def.path, list)
    }
  }

  async read(ctx: RunContext, session: TenantSession, path: string, types: PolicyTypeDef[]): Promise<void> {
    const signal = ctx.controller.signal
    if (ctx.fatal || signal.aborted) {
      const code = ctx.fatal?.code ?? 'CANCELLED'
      return this.finishTypes(ctx, types, 'skipped', code, 'The run stopped before this type was read.')
    }
    if (ctx.noIntune && types.every((t) => t.intune)) {
      return this.finishTypes(ctx, types, 'skipped', 'TENANT_NO_INTUNE', ctx.noIntune)
    }
    for (const t of types) {
      ctx.outcomes[t.key] = { ...ctx.outcomes[t.key]!, status: 'running' }
      this.deps.emit({ kind: 'type_started', ...runIds(ctx), policyType: t.key })
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
        ctx.controller.abort(new AtlasError('LOCK_LOST', err.message))
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
          ctx.controller.abort(err)
        }
        const status =
          err.code === 'GRAPH_NOT_LICENSED' || err.code === 'TENANT_NO_INTUNE' ? 'skipped' : 'failed'
        return this.finishTypes(ctx, types, status, err.code, err.message, err.missingScopes, err.requestId)
      }
      this.deps.logger.error({ runId: ctx.runId, path, err: redactedMessage(err) }, 'collection failed')
      return this.finishTypes(ctx, types, 'failed', 'INTERNAL', redactedMessage(err))
    }
  }

  /** Sets the outcome of each type (status, error) and reports it as finished. */
  finishTypes(
    ctx: RunContext,
    types: readonly PolicyTypeDef[],
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
        ...runIds(ctx),
        policyType: t.key,
        status,
        observed: outcome.observed,
        pages: outcome.pages,
        ...(code ? { errorCode: code } : {})
      })
    }
  }

  /**
   * Processes one page at once (pure: route, normalise, dedupe) and commits it in one transaction with
   * the run's progress, after the run's earlier commits (ctx.writes); counts move only after the commit.
   */
  private storePage(
    ctx: RunContext,
    types: PolicyTypeDef[],
    siblings: readonly PolicyTypeDef[],
    seen: Map<string, Set<string>>,
    rawItems: unknown[],
    pageIndex: number
  ): Promise<void> {
    const { items, delta, newIds } = processPage({ types, siblings, seen }, rawItems)
    const commit = async (): Promise<void> => {
      const next: Record<string, TypeOutcome> = {}
      for (const t of types) next[t.key] = addOutcome(ctx.outcomes[t.key]!, delta[t.key]!)
      const observed = ctx.counters.observed + items.length
      const now = this.deps.clock.now()
      const { upserted } = await this.deps.pageWriter.write({
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
      this.deps.emit({
        kind: 'page_stored',
        ...runIds(ctx),
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
}

/** The ids every event of a started run carries. */
export function runIds(ctx: RunContext): { requestId: string; tenantId: string; runId: number } {
  return { requestId: ctx.requestId, tenantId: ctx.tenantId, runId: ctx.runId }
}
