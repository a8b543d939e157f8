/**
 * Calls between threads (a token the worker asks for, a connection test, a page commit) and the errors
 * that answer them, carried as structured-clone data.
 */
import { LockLostError } from '../../db/repositories/inventory-repo'
import { AtlasError, ERROR_CODES, type ErrorCode } from '../../domain/error-codes'
import { redactText } from '../util/redact'
import type { SerializedError } from './protocol'

/**
 * Messages are redacted on the way out: the API thread knows the registered secret values (the worker
 * does not), so a sign-in error that echoes a credential is cleaned before it crosses.
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof AtlasError) return { code: err.code, name: err.name, message: redactText(err.message) }
  if (err instanceof Error) return { name: err.name, message: redactText(err.message) }
  return { name: 'Error', message: redactText(String(err)) }
}

export function deserializeError(e: SerializedError): Error {
  // a lost lock must stay a LockLostError: the engine ends the run with LOCK_LOST on it
  if (e.name === 'LockLostError') return new LockLostError()
  if (e.code && (ERROR_CODES as readonly string[]).includes(e.code)) {
    return new AtlasError(e.code as ErrorCode, e.message)
  }
  const err = new Error(e.message)
  err.name = e.name
  return err
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
    if (!w) return // already answered, or failed when its thread stopped (rejectAll)
    this.waiting.delete(callId)
    if ('value' in outcome) w.resolve(outcome.value)
    else w.reject(deserializeError(outcome.error))
  }

  /** The other thread is gone: every waiting call fails with `err`. */
  rejectAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err)
    this.waiting.clear()
  }
}
