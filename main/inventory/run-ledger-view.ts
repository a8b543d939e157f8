import type { ErrorCode } from '../../domain/error-codes'
import { hintFor } from '../../domain/error-hints'
import type { RunSummary, TypeOutcome } from '../../domain/run'
import { POLICY_TYPES } from '../graph/registry'

export type LedgerState = 'complete' | 'not_collected' | 'pending' | 'running' | 'not_selected'

export interface LedgerEntry {
  policyType: string
  label: string
  category: string
  state: LedgerState
  observed: number
  pages: number
  errorCode?: ErrorCode
  errorMessage?: string
  hint?: string
  /** Graph's request-id of the failing call (quote it to Microsoft support) */
  requestId?: string
  missingScopes?: string[]
  /** objects Graph sent that could not be used, or that appeared twice while paging */
  skippedItems: number
  duplicateItems: number
}

export interface RunLedger {
  run: RunSummary
  entries: LedgerEntry[]
  counts: Record<LedgerState, number>
}

interface TypeErrorContext {
  requestId?: unknown
  missingScopes?: unknown
}

/**
 * A run's per-type ledger, as the run detail screen shows it: every policy type of the registry, in
 * registry order, with what this run did about it. Types the run collected say how many objects; types it
 * did not say why (stable code, the engine's message, the hint for the code, Graph's request id for a
 * support case, the scopes a 403 named); types outside the run's selection say so, so the list answers
 * "was X checked?" for any X.
 */
export function runLedger(run: RunSummary): RunLedger {
  const typeErrors = (run.errorContext.types ?? {}) as Record<string, TypeErrorContext | undefined>
  const entries = POLICY_TYPES.map((def): LedgerEntry => {
    const outcome: TypeOutcome | undefined = run.typeOutcomes[def.key]
    const base = { policyType: def.key, label: def.label, category: def.category }
    if (!outcome) {
      return { ...base, state: 'not_selected', observed: 0, pages: 0, skippedItems: 0, duplicateItems: 0 }
    }
    const context = typeErrors[def.key]
    const requestId = typeof context?.requestId === 'string' ? context.requestId : undefined
    const scopes =
      outcome.missingScopes ?? (Array.isArray(context?.missingScopes) ? context.missingScopes : undefined)
    const hint = hintFor(outcome.errorCode)
    return {
      ...base,
      state: stateOf(outcome),
      observed: outcome.observed,
      pages: outcome.pages,
      ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
      ...(outcome.errorMessage ? { errorMessage: outcome.errorMessage } : {}),
      ...(hint ? { hint } : {}),
      ...(requestId ? { requestId } : {}),
      ...(scopes?.length ? { missingScopes: scopes.map(String) } : {}),
      skippedItems: outcome.skippedItems,
      duplicateItems: outcome.duplicateItems
    }
  })
  const counts: Record<LedgerState, number> = {
    complete: 0,
    not_collected: 0,
    pending: 0,
    running: 0,
    not_selected: 0
  }
  for (const e of entries) counts[e.state]++
  return { run, entries, counts }
}

function stateOf(outcome: TypeOutcome): LedgerState {
  switch (outcome.status) {
    case 'complete':
      return 'complete'
    case 'pending':
    case 'running':
      return outcome.status
    default:
      return 'not_collected'
  }
}
