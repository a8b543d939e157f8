/**
 * The two halves of the worker's calls into the API thread: HTTP and tokens stay with the API thread's
 * injected edges (the demo's routing fetch, test fakes, the MSAL token provider holding the credential),
 * while parsing, normalising and storing pages happen in the worker. The API thread's share of a page is
 * network I/O and one transferred ArrayBuffer, a few hundred microseconds, never a JSON.parse.
 */
import { LockLostError } from '../../db/repositories/inventory-repo'
import { AtlasError, ERROR_CODES, type ErrorCode } from '../../domain/error-codes'
import type { FetchLike } from '../graph/graph-client'
import { readLimited } from '../net/read-limited'
import { raceAbort } from '../util/race-abort'
import { redactText } from '../util/redact'
import type { FetchReply, FetchRequest, SerializedError } from './protocol'

/**
 * Messages are redacted on the way out: the API thread knows the registered secret values (the worker
 * does not), so a transport error that echoes a credential is cleaned before it crosses.
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof AtlasError) return { code: err.code, name: err.name, message: redactText(err.message) }
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause
    const causeCode =
      typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
    return {
      name: err.name,
      message: redactText(err.message),
      ...(typeof causeCode === 'string' ? { causeCode } : {})
    }
  }
  return { name: 'Error', message: redactText(String(err)) }
}

export function deserializeError(e: SerializedError): Error {
  // a lost lock must stay a LockLostError: the engine ends the run with LOCK_LOST on it
  if (e.name === 'LockLostError') return new LockLostError()
  if (e.code && (ERROR_CODES as readonly string[]).includes(e.code)) {
    return new AtlasError(e.code as ErrorCode, e.message)
  }
  const err = new Error(e.message, e.causeCode ? { cause: { code: e.causeCode } } : undefined)
  err.name = e.name
  return err
}

/**
 * API thread: performs one request for the worker and reads at most `maxBytes + 1` bytes of the body, so
 * the worker's own byte limit still sees an oversized body as too large without the whole of it crossing.
 */
export async function performFetch(
  fetchImpl: FetchLike,
  request: FetchRequest,
  maxBytes: number,
  signal: AbortSignal
): Promise<{ reply: FetchReply; transfer: ArrayBuffer[] }> {
  const res = await fetchImpl(request.url, { ...request, signal })
  const headers: Array<[string, string]> = []
  res.headers.forEach((value, key) => headers.push([key, value]))
  let body: ArrayBuffer | null = null
  if (res.body) {
    const { bytes } = await readLimited(res.body, maxBytes)
    // a fresh ArrayBuffer of exactly the body: transferable, so the bytes move instead of being copied
    body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  }
  return {
    reply: { status: res.status, statusText: res.statusText, headers, body },
    transfer: body ? [body] : []
  }
}

/** Promises waiting for an answer from another thread, by call id. */
export class PendingCalls<T> {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve(v: T): void; reject(e: Error): void }>()

  open(): { callId: number; result: Promise<T> } {
    const callId = this.nextId++
    const result = new Promise<T>((resolve, reject) => this.waiting.set(callId, { resolve, reject }))
    return { callId, result }
  }

  settle(callId: number, outcome: { value: T } | { error: SerializedError }): void {
    const w = this.waiting.get(callId)
    if (!w) return // answered after the caller gave up (aborted request)
    this.waiting.delete(callId)
    if ('value' in outcome) w.resolve(outcome.value)
    else w.reject(deserializeError(outcome.error))
  }

  forget(callId: number): void {
    this.waiting.delete(callId)
  }

  /** The other thread is gone: every waiting call fails with `err`. */
  rejectAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err)
    this.waiting.clear()
  }
}

/** Worker: a FetchLike whose requests are carried out by the API thread. */
export function bridgedFetch(
  calls: PendingCalls<FetchReply>,
  post: (
    msg:
      | { t: 'fetch'; callId: number; request: FetchRequest; maxBytes: number }
      | { t: 'fetch-abort'; callId: number }
  ) => void,
  maxBytes: number
): FetchLike {
  return async (url, init) => {
    const { signal, ...rest } = init
    signal?.throwIfAborted()
    const { callId, result } = calls.open()
    const onAbort = (): void => {
      calls.forget(callId)
      post({ t: 'fetch-abort', callId })
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    post({ t: 'fetch', callId, request: { url, ...rest }, maxBytes })
    try {
      const reply = await (signal ? raceAbort(result, signal) : result)
      // null-body statuses (204, 304) must not be given a body, even an empty one
      const body = reply.body && reply.body.byteLength > 0 ? reply.body : null
      return new Response(body, {
        status: reply.status,
        statusText: reply.statusText,
        headers: reply.headers
      })
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }
}
