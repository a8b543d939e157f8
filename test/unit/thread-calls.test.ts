import { describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import { deserializeError, serializeError } from '../../main/sync-worker/thread-calls'

describe('calls between threads', () => {
  it('errors keep their code, name and network cause across the thread boundary', () => {
    const atlas = deserializeError(serializeError(new AtlasError('AUTH_SECRET_EXPIRED', 'expired')))
    expect(atlas).toBeInstanceOf(AtlasError)
    expect(atlas).toMatchObject({ code: 'AUTH_SECRET_EXPIRED', message: 'expired' })

    const net = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' })
    })
    const back = deserializeError(serializeError(net))
    expect(back).not.toBeInstanceOf(AtlasError)
    expect(back.name).toBe('TypeError')
    expect((back.cause as { code: string }).code).toBe('ECONNRESET')

    // an unknown code (another build's worker) is not trusted as an AtlasError
    const odd = deserializeError({ code: 'NOPE' as never, name: 'Error', message: 'm' })
    expect(odd).not.toBeInstanceOf(AtlasError)
    expect(serializeError('plain')).toEqual({ name: 'Error', message: 'plain' })
  })
})
