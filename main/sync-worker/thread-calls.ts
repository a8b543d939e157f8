/**
 * Calls between threads (a run or a connection test the API thread asks of the worker, a token the
 * worker asks for, a page commit) and the one message that answers each: its value, or the error that
 * replaced it, carried as structured-clone data.
 */
import { z } from 'zod'
import { LockLostError } from '../../db/repositories/inventory-repo'
import { AtlasError, ERROR_CODES, type ErrorCode } from '../../domain/error-codes'
import { AnyErrorCode } from '../../domain/wire-fields'
import { redactText } from '../util/redact'

export const CallId = z.int().nonnegative()

const serializedErrorSchema = z.object({
  code: AnyErrorCode.optional(),
  name: z.string(),
  message: z.string()
})
export type SerializedError = z.infer<typeof serializedErrorSchema>

/** The answer to a call, by its id. The value is checked by the waiting side, which knows its shape. */
export const answerSchema = z.object({
  t: z.literal('answer'),
  callId: CallId,
  value: z.unknown().optional(),
  error: serializedErrorSchema.optional()
})
export type Answer = z.infer<typeof answerSchema>

/** A message or value that does not have its shape: what it was, and the first bad field. */
export class ProtocolError extends AtlasError {
  constructor(what: string, error: z.ZodError) {
    const issue = error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    super('INTERNAL', `Malformed ${what}${where}: ${issue?.message ?? 'invalid'}`)
    this.name = 'ProtocolError'
  }
}

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

/** The answer a call gets from `work`: what it returns or resolves to, or what it throws or rejects with. */
export function answerWith(callId: number, work: () => unknown, post: (answer: Answer) => void): void {
  void new Promise((resolve) => resolve(work())).then(
    (value) => post({ t: 'answer', callId, value }),
    (err: unknown) => post({ t: 'answer', callId, error: serializeError(err) })
  )
}

interface Waiter {
  what: string
  schema: z.ZodType
  resolve(v: unknown): void
  reject(e: Error): void
}

/** Promises waiting for an answer from another thread, by call id. */
export class PendingCalls {
  private nextId = 1
  private readonly waiting = new Map<number, Waiter>()

  /** A new call named `what`, whose answer must be a `schema`. */
  open<T>(what: string, schema: z.ZodType<T>): { callId: number; result: Promise<T> } {
    const callId = this.nextId++
    const result = new Promise<T>((resolve, reject) =>
      this.waiting.set(callId, { what, schema, resolve: resolve as (v: unknown) => void, reject })
    )
    return { callId, result }
  }

  settle(answer: Pick<Answer, 'callId' | 'value' | 'error'>): void {
    const w = this.waiting.get(answer.callId)
    if (!w) return // already answered, or failed when its thread stopped (rejectAll)
    this.waiting.delete(answer.callId)
    if (answer.error) return w.reject(deserializeError(answer.error))
    const parsed = w.schema.safeParse(answer.value)
    if (parsed.success) w.resolve(parsed.data)
    else w.reject(new ProtocolError(`answer to '${w.what}'`, parsed.error))
  }

  /** The other thread is gone: every waiting call but those `kept` fails with `err`. */
  rejectAll(err: Error, kept: ReadonlySet<number> = new Set()): void {
    for (const [callId, w] of this.waiting) {
      if (kept.has(callId)) continue
      this.waiting.delete(callId)
      w.reject(err)
    }
  }
}
