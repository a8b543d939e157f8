import { describe, expect, it } from 'vitest'
import { hintFor as cliHint } from '../../main/cli/error-hints'
import { ERROR_CODES } from '../../domain/error-codes'
import { hintFor } from '../../domain/error-hints'
import { createDispatch } from '../../main/ipc/dispatch'
import type { ChannelHandlers } from '../../preload/contract'
import { AtlasError } from '../../domain/error-codes'

describe('one hint table for the CLI and the app', () => {
  it('has an app hint for every code a run or a call can end with', () => {
    const without = ERROR_CODES.filter((c) => hintFor(c, 'app') === undefined)
    // input errors carry their own message (which field, what is wrong); nothing else may be silent
    expect(without).toEqual(['INVALID_INPUT'])
  })

  it('words a step for the surface where the two differ, the same text everywhere else', () => {
    expect(cliHint('NOT_FOUND')).toContain('tenant-atlas tenants list')
    expect(hintFor('NOT_FOUND', 'app')).not.toContain('tenant-atlas')
    expect(cliHint('AUTH_NO_CREDENTIAL')).toContain('environment variable')
    expect(hintFor('AUTH_NO_CREDENTIAL', 'app')).toContain('edit the tenant')
    expect(hintFor('GRAPH_FORBIDDEN', 'app')).toBe(cliHint('GRAPH_FORBIDDEN'))
    expect(cliHint('INTERNAL')).toBeUndefined()
  })

  it('answers nothing for an unknown code or a prototype key', () => {
    expect(hintFor('NOPE')).toBeUndefined()
    expect(hintFor('toString')).toBeUndefined()
    expect(hintFor(undefined)).toBeUndefined()
  })

  it('rides along every error the dispatch returns', async () => {
    const dispatch = createDispatch({
      handlers: {
        'tenants:get': () => {
          throw new AtlasError('AUTH_SECRET_EXPIRED', 'The client secret expired.')
        }
      } as unknown as ChannelHandlers
    })
    expect(await dispatch('tenants:get', [{ idOrName: 'x' }])).toEqual({
      ok: false,
      error: {
        code: 'AUTH_SECRET_EXPIRED',
        message: 'The client secret expired.',
        hint: 'the client secret expired: create a new one on the app registration'
      }
    })
    // no hint key at all when there is none (the message says what is wrong)
    const invalid = await dispatch('tenants:get', [{ idOrName: '' }])
    expect(invalid.ok === false && 'hint' in invalid.error).toBe(false)
  })
})
