import { describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import { deserializeError, PendingCalls, serializeError } from '../../main/sync-worker/thread-calls'

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
    const calls = new PendingCalls<string>()
    const a = calls.open()
    const b = calls.open()
    const c = calls.open()
    const d = calls.open()
    expect(new Set([a.callId, b.callId, c.callId, d.callId]).size).toBe(4)
    calls.settle(b.callId, { error: { code: 'AUTH_NETWORK', name: 'AtlasError', message: 'offline' } })
    calls.settle(a.callId, { value: 'token-a' })
    await expect(a.result).resolves.toBe('token-a')
    await expect(b.result).rejects.toMatchObject({ code: 'AUTH_NETWORK' })
    calls.settle(c.callId, { value: 'token-c' })
    expect(() => calls.settle(c.callId, { value: 'late' })).not.toThrow()
    await expect(c.result).resolves.toBe('token-c')
    calls.rejectAll(new Error('worker gone'))
    await expect(d.result).rejects.toThrow('worker gone')
  })
})
