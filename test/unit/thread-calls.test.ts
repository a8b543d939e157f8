import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AtlasError } from '../../domain/error-codes'
import {
  answerSchema,
  answerWith,
  CallId,
  deserializeError,
  PendingCalls,
  serializeError,
  type Answer
} from '../../main/sync-worker/thread-calls'

describe('calls between threads', () => {
  it('errors keep their code and name across the thread boundary, redacted', () => {
    const atlas = deserializeError(serializeError(new AtlasError('AUTH_SECRET_EXPIRED', 'expired')))
    expect(atlas).toBeInstanceOf(AtlasError)
    expect(atlas).toMatchObject({ code: 'AUTH_SECRET_EXPIRED', message: 'expired' })

    const echo = new TypeError('sign-in failed: client_secret=abc123secret')
    const back = deserializeError(serializeError(echo))
    expect(back).not.toBeInstanceOf(AtlasError)
    expect(back.name).toBe('TypeError')
    expect(back.message).toBe('sign-in failed: client_secret=[REDACTED]')

    // an unknown code (another build's worker) is not trusted as an AtlasError
    const odd = deserializeError({ code: 'NOPE' as never, name: 'Error', message: 'm' })
    expect(odd).not.toBeInstanceOf(AtlasError)
    expect(serializeError('plain')).toEqual({ name: 'Error', message: 'plain' })
  })

  it('pending calls: answered by id, once (a late second answer is ignored), a lost thread fails the rest', async () => {
    const calls = new PendingCalls()
    const [a, b, c, d, kept] = ['a', 'b', 'c', 'd', 'kept'].map((what) => calls.open(what, z.string()))
    expect(new Set([a, b, c, d, kept].map((x) => x!.callId)).size).toBe(5)
    const offline = { code: 'AUTH_NETWORK' as const, name: 'AtlasError', message: 'offline' }
    calls.settle({ callId: b!.callId, error: offline })
    calls.settle({ callId: a!.callId, value: 'token-a' })
    await expect(a!.result).resolves.toBe('token-a')
    await expect(b!.result).rejects.toMatchObject({ code: 'AUTH_NETWORK' })
    calls.settle({ callId: c!.callId, value: 'token-c' })
    expect(() => calls.settle({ callId: c!.callId, value: 'late' })).not.toThrow()
    await expect(c!.result).resolves.toBe('token-c')
    calls.rejectAll(new Error('worker gone'), new Set([kept!.callId]))
    await expect(d!.result).rejects.toThrow('worker gone')
    // a call kept out of rejectAll still takes its answer
    calls.settle({ callId: kept!.callId, value: 'later' })
    await expect(kept!.result).resolves.toBe('later')
  })

  it("an answer is checked against its call's schema: a malformed one fails the call, naming the field", async () => {
    const calls = new PendingCalls()
    const run = calls.open('start', z.object({ id: z.int(), status: z.enum(['complete', 'failed']) }))
    calls.settle({ callId: run.callId, value: { id: 1, status: 'great' } })
    const err = await run.result.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AtlasError)
    expect(err).toMatchObject({ code: 'INTERNAL', name: 'ProtocolError' })
    expect((err as Error).message).toMatch(/^Malformed answer to 'start' at status: /)
    const token = calls.open('token', z.string())
    calls.settle({ callId: token.callId }) // neither value nor error
    // the value itself is wrong: no field to name
    await expect(token.result).rejects.toThrow(/^Malformed answer to 'token': \S/)
    const nested = calls.open('start', z.object({ outcome: z.object({ pages: z.int() }) }))
    calls.settle({ callId: nested.callId, value: { outcome: { pages: 'two' } } })
    await expect(nested.result).rejects.toThrow(/^Malformed answer to 'start' at outcome\.pages: \S/)
  })

  it('call ids are valid on the wire (whole, not negative) and never repeat', () => {
    const calls = new PendingCalls()
    const ids = Array.from({ length: 5 }, () => calls.open('token', z.string()).callId)
    expect(new Set(ids).size).toBe(5)
    for (const id of ids) expect(CallId.safeParse(id).success).toBe(true)
  })

  it('an answer on the wire is a value or an error with its name and message, nothing else', () => {
    const error = { code: 'NOT_FOUND', name: 'AtlasError', message: 'No tenant with id x' }
    expect(answerSchema.parse({ t: 'answer', callId: 2, error })).toEqual({ t: 'answer', callId: 2, error })
    expect(answerSchema.parse({ t: 'answer', callId: 3, value: 'x' })).toEqual({
      t: 'answer',
      callId: 3,
      value: 'x'
    })
    expect(answerSchema.safeParse({ t: 'answer', callId: 2, error: { name: 'Error' } }).success).toBe(false)
    expect(answerSchema.safeParse({ t: 'reply', callId: 2, value: 'x' }).success).toBe(false)
    expect(answerSchema.safeParse({ t: 'answer', callId: -1, value: 'x' }).success).toBe(false)
  })

  it('answerWith answers a call with what its work returns, resolves to, throws or rejects with', async () => {
    const answers: Answer[] = []
    const post = (a: Answer): number => answers.push(a)
    answerWith(1, () => ({ upserted: 3 }), post)
    answerWith(2, () => Promise.resolve('t'), post)
    answerWith(
      3,
      () => {
        throw new AtlasError('NOT_FOUND', 'No tenant with id x')
      },
      post
    )
    answerWith(4, () => Promise.reject(new Error('client_secret=abc123secret')), post)
    await new Promise((resolve) => setImmediate(resolve))
    expect(answers.sort((x, y) => x.callId - y.callId)).toEqual([
      { t: 'answer', callId: 1, value: { upserted: 3 } },
      { t: 'answer', callId: 2, value: 't' },
      {
        t: 'answer',
        callId: 3,
        error: { code: 'NOT_FOUND', name: 'AtlasError', message: 'No tenant with id x' }
      },
      { t: 'answer', callId: 4, error: { name: 'Error', message: 'client_secret=[REDACTED]' } }
    ])
  })
})
