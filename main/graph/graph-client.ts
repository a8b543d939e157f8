import { AtlasError } from '../../domain/error-codes'
import type { Clock, RandomSource } from '../util/clock'
import { raceAbort } from '../util/race-abort'
import { redactText, redactUrl } from '../util/redact'
import { GraphError, classifyGraphError, statusLabel } from './classify-error'
import type { FetchLike } from '../net/fetch-like'
import { readLimited } from '../net/read-limited'
import { DEFAULT_PACING, SlidingWindowPacer, type PacingOptions } from './pacer'
import { SharedBudget, type ThrottleStore } from './throttle-store'
import {
  DEFAULT_RETRY,
  decideRetry,
  parseRetryAfter,
  type AttemptFailure,
  type RetryOptions
} from './retry-policy'

export { GraphError } from './classify-error'

export type { FetchLike } from '../net/fetch-like'

/** Arms a timer that calls onTimeout after ms; returns a cancel function. */
export type ArmTimeout = (ms: number, onTimeout: () => void) => () => void

export interface GraphClientOptions {
  fetch: FetchLike
  clock: Clock
  random: RandomSource
  /** per tenant; default 900 starts per 20 s (Intune allows 1000 per app per tenant) */
  pacing?: PacingOptions
  retry?: Partial<RetryOptions>
  /** a response body larger than this is GRAPH_BAD_RESPONSE; default 50 MB */
  maxResponseBytes?: number
  /** per attempt, body included; default 100 s */
  requestTimeoutMs?: number
  /**
   * The request timeout runs on real timers by default: it measures network time, and tying it to an
   * injected virtual clock would fire it instantly in auto-advancing test clocks. Tests inject their own.
   */
  armTimeout?: ArmTimeout
  /** pauses and request budget shared with other processes on the same database (none: this process only) */
  throttleStore?: ThrottleStore
}

export interface GraphPage {
  items: unknown[]
  pageIndex: number
  requestId?: string
  nextLink?: string
}

export type GraphEvent =
  | { kind: 'throttled'; status: number; waitMs: number; attempt: number; path: string }
  | {
      kind: 'retry'
      reason: 'server_error' | 'network' | 'token_refresh'
      status?: number
      waitMs: number
      attempt: number
      path: string
    }

export interface ListPagesOptions {
  signal?: AbortSignal
  /** the type is a licensed feature: a 403 without a scope list becomes GRAPH_NOT_LICENSED */
  licenseGated?: boolean
}

export interface TenantSession {
  listPages(path: string, opts?: ListPagesOptions): AsyncGenerator<GraphPage>
}

export interface SessionArgs {
  tenantKey: string
  /** e.g. https://graph.microsoft.com/beta */
  graphBaseUrl: string
  getToken: (o: { forceRefresh: boolean }) => Promise<string>
  /** the run's correlation id, sent as client-request-id so support can find every call of a run */
  correlationId: string
  onEvent?: (e: GraphEvent) => void
}

export interface GraphClient {
  session(args: SessionArgs): TenantSession
  tenantState(tenantKey: string): { notBefore: number; requestsInWindow: number }
}

/** Shared by every session of one tenant: Intune budgets and throttles per tenant, not per run. */
interface TenantState {
  pacer: SlidingWindowPacer
  /** no request of this tenant may start before this time (set by 429 / 503 with Retry-After) */
  notBefore: number
  /** this process's grants of the budget shared with other processes */
  budget?: SharedBudget
}

export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024
const DEFAULT_REQUEST_TIMEOUT_MS = 100_000

const realTimeout: ArmTimeout = (ms, onTimeout) => {
  const timer = setTimeout(onTimeout, ms)
  // a pending timeout must not keep a CLI process alive
  timer.unref?.()
  return () => clearTimeout(timer)
}

/** What one HTTP attempt produced. */
type AttemptOutcome =
  | { kind: 'response'; status: number; headers: Headers; text: string | undefined }
  | { kind: 'network'; detail: string; timedOut: boolean }

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...opts.retry }
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new AtlasError(
      'INVALID_INPUT',
      `retry.maxAttempts must be a positive integer, got ${retry.maxAttempts}`
    )
  }
  const pacing = opts.pacing ?? DEFAULT_PACING
  const maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const armTimeout = opts.armTimeout ?? realTimeout
  const { clock, random, throttleStore } = opts
  const tenants = new Map<string, TenantState>()

  function stateOf(tenantKey: string): TenantState {
    let state = tenants.get(tenantKey)
    if (!state) {
      state = {
        pacer: new SlidingWindowPacer(clock, pacing),
        notBefore: 0,
        budget: throttleStore && new SharedBudget(throttleStore, tenantKey, pacing)
      }
      tenants.set(tenantKey, state)
    }
    return state
  }

  /** The tenant's pause: this process's own, or one another process received (shared store). */
  function pausedUntil(tenantKey: string, state: TenantState): number {
    return Math.max(state.notBefore, throttleStore?.pausedUntil(tenantKey) ?? 0)
  }

  function pause(tenantKey: string, state: TenantState, until: number): void {
    state.notBefore = Math.max(state.notBefore, until)
    throttleStore?.pauseUntil(tenantKey, until)
  }

  /**
   * Waits until the tenant is not paused, the local pacer has a slot and (with a store) this process holds
   * a start of the shared budget, then takes the slot and calls `send` in the same synchronous step. No
   * microtask runs between the last check and the request: a page being stored by another collection in
   * between could otherwise let a pause learned meanwhile (here or in another process) go unheeded.
   */
  async function sendWhenAllowed<T>(
    tenantKey: string,
    state: TenantState,
    signal: AbortSignal | undefined,
    send: () => Promise<T>
  ): Promise<T> {
    for (;;) {
      signal?.throwIfAborted()
      const now = clock.now()
      let wait = Math.max(pausedUntil(tenantKey, state) - now, state.pacer.delayAt(now))
      // the shared budget is asked last: a start it grants is spent
      if (wait <= 0 && state.budget) wait = state.budget.take(now)
      if (wait <= 0) {
        state.pacer.record(now)
        return send()
      }
      await clock.sleep(wait, signal)
    }
  }

  /** One HTTP attempt: fetch and read the body under a byte limit, a timeout and the caller's signal. */
  async function attempt(
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined
  ): Promise<AttemptOutcome | 'too_large'> {
    const controller = new AbortController()
    const onAbort = (): void => controller.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    let timedOut = false
    const cancelTimeout = armTimeout(requestTimeoutMs, () => {
      timedOut = true
      controller.abort(new Error('request timed out'))
    })
    try {
      const work = (async () => {
        const res = await opts.fetch(url, {
          method: 'GET',
          headers,
          signal: controller.signal,
          redirect: 'manual'
        })
        const body = await readBodyText(res, maxResponseBytes)
        return { res, body }
      })()
      // a fetch implementation that ignores the signal must still not hold a cancelled run hostage
      const { res, body } = await raceAbort(work, controller.signal)
      if (body === 'too_large' && res.ok) return 'too_large'
      // an oversized error body is just dropped: the status alone still classifies the failure
      const text = body === 'too_large' ? undefined : body
      return { kind: 'response', status: res.status, headers: res.headers, text }
    } catch (err) {
      if (signal?.aborted) throw signal.reason
      return {
        kind: 'network',
        detail: timedOut ? `no answer within ${requestTimeoutMs} ms` : describeNetworkError(err),
        timedOut
      }
    } finally {
      cancelTimeout()
      signal?.removeEventListener('abort', onAbort)
    }
  }

  /** Fetches one page URL until it succeeds or fails for good; returns the parsed JSON body. */
  async function fetchPage(
    session: SessionArgs,
    state: TenantState,
    url: string,
    target: string,
    path: string,
    options: ListPagesOptions
  ): Promise<{ body: unknown; requestId?: string }> {
    const { signal } = options
    const emit = (event: GraphEvent): void => {
      try {
        session.onEvent?.(event)
      } catch {
        // a broken progress listener must not fail the sync
      }
    }
    let attemptsMade = 0
    let earlier500s = 0
    let tokenRefreshed = false
    let forceRefresh = false
    let badBodyRetried = false
    for (;;) {
      // the token first: nothing may be awaited between the gate/pacing check and the request, or a
      // 429 seen by another collection meanwhile would not hold this request back
      const token = await session.getToken({ forceRefresh })
      forceRefresh = false
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        'client-request-id': session.correlationId
      }
      if (attemptsMade > 0) headers['Retry-Attempt'] = String(attemptsMade)
      attemptsMade++

      // every attempt, retries included, waits for the tenant gate and a pacing slot
      const outcome = await sendWhenAllowed(session.tenantKey, state, signal, () =>
        attempt(url, headers, signal)
      )
      if (outcome === 'too_large') {
        throw new GraphError(
          'GRAPH_BAD_RESPONSE',
          `Graph sent more than ${formatBytes(maxResponseBytes)} for ${target}; the page was not read`
        )
      }
      const requestId =
        outcome.kind === 'response' ? (outcome.headers.get('request-id') ?? undefined) : undefined
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        try {
          return { body: parseJsonBody(outcome.text ?? '', target, requestId), requestId }
        } catch (err) {
          // a body cut off in transit is usually transient: read the same page once more, then give up
          if (badBodyRetried || !(err instanceof GraphError)) throw err
          badBodyRetried = true
          emit({
            kind: 'retry',
            reason: 'server_error',
            status: outcome.status,
            waitMs: 0,
            attempt: attemptsMade,
            path
          })
          continue
        }
      }

      if (outcome.kind === 'response' && outcome.status === 401 && !tokenRefreshed) {
        // an expired or revoked token: one fresh token, then give up (a second 401 is fatal for the run)
        tokenRefreshed = true
        forceRefresh = true
        emit({ kind: 'retry', reason: 'token_refresh', status: 401, waitMs: 0, attempt: attemptsMade, path })
        continue
      }

      const failure: AttemptFailure =
        outcome.kind === 'network'
          ? { kind: 'network' }
          : {
              kind: 'status',
              status: outcome.status,
              retryAfterMs: parseRetryAfter(outcome.headers.get('retry-after'), clock.now())
            }
      const decision = decideRetry(failure, { attemptsMade, earlier500s }, retry, random)
      if (failure.kind === 'status' && failure.status === 500) earlier500s++

      if (!decision.retry) {
        const exhausted = decision.reason === 'attempts_exhausted'
        const retryAfterMs = failure.kind === 'status' ? failure.retryAfterMs : undefined
        // giving up on this page does not end the tenant's pause: the next run (or another collection)
        // must still wait out the Retry-After Graph gave us
        if (
          retryAfterMs !== undefined &&
          failure.kind === 'status' &&
          (failure.status === 429 || failure.status === 503)
        ) {
          pause(session.tenantKey, state, clock.now() + Math.min(retryAfterMs, retry.maxRetryAfterMs))
        }
        throw finalError(outcome, target, options, { attemptsMade, exhausted, retryAfterMs })
      }
      if (decision.pauseTenant && failure.kind === 'status') {
        // the gate holds back every session of this tenant; the pacer loop above does the waiting
        pause(session.tenantKey, state, clock.now() + decision.delayMs)
        emit({
          kind: 'throttled',
          status: failure.status,
          waitMs: decision.delayMs,
          attempt: attemptsMade,
          path
        })
      } else {
        emit({
          kind: 'retry',
          reason: failure.kind === 'network' ? 'network' : 'server_error',
          status: failure.kind === 'status' ? failure.status : undefined,
          waitMs: decision.delayMs,
          attempt: attemptsMade,
          path
        })
        if (decision.delayMs > 0) await clock.sleep(decision.delayMs, signal)
      }
    }
  }

  async function* listPages(
    session: SessionArgs,
    path: string,
    options: ListPagesOptions
  ): AsyncGenerator<GraphPage> {
    options.signal?.throwIfAborted()
    if (!path.startsWith('/')) {
      throw new AtlasError('INVALID_INPUT', `Graph path must start with "/": ${redactUrl(path)}`)
    }
    const base = session.graphBaseUrl.replace(/\/+$/, '')
    const origin = new URL(base).origin
    const state = stateOf(session.tenantKey)
    // Read-ahead: page n+1 is requested before page n is handed to the caller, so storing a page overlaps
    // the network wait of the next one. A local controller stops that request when the caller stops early.
    const local = new AbortController()
    const onOuterAbort = (): void => local.abort(options.signal?.reason)
    options.signal?.addEventListener('abort', onOuterAbort, { once: true })
    const fetchOptions: ListPagesOptions = { ...options, signal: local.signal }
    const request = (url: string, pageIndex: number): Promise<{ body: unknown; requestId?: string }> => {
      const target = pageIndex === 0 ? path : `${path} (page ${pageIndex + 1})`
      const pending = fetchPage(session, state, url, target, path, fetchOptions)
      pending.catch(() => undefined) // observed when awaited; never an unhandled rejection meanwhile
      return pending
    }
    try {
      let url = base + path
      let pending = request(url, 0)
      for (let pageIndex = 0; ; pageIndex++) {
        const target = pageIndex === 0 ? path : `${path} (page ${pageIndex + 1})`
        const { body, requestId } = await pending
        const { items, nextLink } = readPage(body, target, requestId)
        if (nextLink !== undefined) {
          checkNextLink(nextLink, url, origin, target, requestId)
          // opaque: the exact string Graph sent, never rebuilt or re-encoded
          url = nextLink
          pending = request(url, pageIndex + 1)
        }
        yield { items, pageIndex, requestId, nextLink }
        if (nextLink === undefined) return
      }
    } finally {
      options.signal?.removeEventListener('abort', onOuterAbort)
      local.abort(new AtlasError('CANCELLED', 'page enumeration stopped'))
    }
  }

  return {
    session(args) {
      return { listPages: (path, options) => listPages(args, path, options ?? {}) }
    },
    tenantState(tenantKey) {
      const shared = throttleStore?.pausedUntil(tenantKey) ?? 0
      const state = tenants.get(tenantKey)
      if (!state) return { notBefore: shared, requestsInWindow: 0 }
      return {
        notBefore: pausedUntil(tenantKey, state),
        requestsInWindow: state.pacer.countInWindow(clock.now())
      }
    }
  }
}

function finalError(
  outcome: AttemptOutcome,
  target: string,
  options: ListPagesOptions,
  {
    attemptsMade,
    exhausted,
    retryAfterMs
  }: { attemptsMade: number; exhausted: boolean; retryAfterMs?: number }
): GraphError {
  const tries = exhausted ? ` (gave up after ${attemptsMade} attempts)` : ''
  if (outcome.kind === 'network') {
    return new GraphError('GRAPH_NETWORK', `Could not reach Graph for ${target}: ${outcome.detail}${tries}`)
  }
  const headerRequestId = outcome.headers.get('request-id') ?? undefined
  const c = classifyGraphError({
    status: outcome.status,
    body: tryParseJson(outcome.text),
    licenseGated: options.licenseGated
  })
  const requestId = headerRequestId ?? c.requestId
  const clientRequestId = outcome.headers.get('client-request-id') ?? c.clientRequestId
  const ref = requestId ? ` [request-id ${requestId}]` : ''
  return new GraphError(
    c.code,
    `Graph answered ${statusLabel(outcome.status)} for ${target}: ${c.reason}${tries}${ref}`,
    {
      status: outcome.status,
      requestId,
      clientRequestId,
      missingScopes: c.missingScopes,
      retryAfterMs,
      graphCode: c.graphCode
    }
  )
}

function tryParseJson(text: string | undefined): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function parseJsonBody(text: string, target: string, requestId: string | undefined): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new GraphError('GRAPH_BAD_RESPONSE', `Graph returned malformed JSON for ${target}`, { requestId })
  }
}

function readPage(
  body: unknown,
  target: string,
  requestId: string | undefined
): { items: unknown[]; nextLink?: string } {
  const bad = (what: string): GraphError =>
    new GraphError('GRAPH_BAD_RESPONSE', `Graph returned ${what} for ${target}`, { requestId })
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('a body that is not a JSON object')
  const record = body as Record<string, unknown>
  const value = record['value']
  if (!Array.isArray(value)) throw bad('no "value" array')
  const next = record['@odata.nextLink']
  // null is read as "no more pages": harmless, and OData writers do emit it
  if (next === undefined || next === null) return { items: value }
  if (typeof next !== 'string') throw bad('an "@odata.nextLink" that is not a string')
  return { items: value, nextLink: next }
}

function checkNextLink(
  nextLink: string,
  current: string,
  origin: string,
  target: string,
  requestId?: string
): void {
  let parsed: URL
  try {
    parsed = new URL(nextLink)
  } catch {
    throw new GraphError(
      'GRAPH_BAD_RESPONSE',
      `Graph returned an "@odata.nextLink" that is not an absolute URL for ${target}`,
      {
        requestId
      }
    )
  }
  if (parsed.origin !== origin) {
    throw new GraphError(
      'GRAPH_NEXTLINK_REJECTED',
      `Graph returned a next page link to ${redactText(parsed.origin)} for ${target}; refused to follow it so the token is only sent to ${origin}`,
      { requestId }
    )
  }
  if (nextLink === current) {
    throw new GraphError(
      'GRAPH_BAD_RESPONSE',
      `Graph returned the same next page link twice in a row for ${target}; stopped to avoid an endless loop`,
      { requestId }
    )
  }
}

/** The body as text, or 'too_large' as soon as it passes the limit (main/net/read-limited.ts). */
async function readBodyText(res: Response, maxBytes: number): Promise<string | 'too_large'> {
  const { bytes, overLimit } = await readLimited(res.body, maxBytes)
  return overLimit ? 'too_large' : new TextDecoder().decode(bytes)
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  // undici hides the useful part (ECONNRESET, ENOTFOUND...) in `cause`
  const cause = (err as { cause?: unknown }).cause
  const causeCode =
    typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
  return typeof causeCode === 'string' ? `${err.message} (${causeCode})` : err.message
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`
}
