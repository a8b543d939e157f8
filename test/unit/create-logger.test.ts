import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../main/util/create-logger'
import { registerSecret } from '../../main/util/redact'

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk))
      cb()
    }
  })
  return { stream, text: () => chunks.join('') }
}

describe('createLogger', () => {
  it('censors secret-bearing keys and scrubs tokens and registered secrets from every string', () => {
    const out = capture()
    const log = createLogger({ destination: out.stream, level: 'debug' })
    registerSecret('CANARY-vault-secret-42')
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ4In0.c2lnbmF0dXJl'
    log.info(
      { headers: { authorization: `Bearer ${jwt}` }, clientSecret: 'CANARY-vault-secret-42' },
      'request'
    )
    log.error(
      { err: new Error(`token ${jwt} rejected for CANARY-vault-secret-42`) },
      `failed with Bearer ${jwt}`
    )
    log.warn({ nested: { deeper: [`client_secret=CANARY-vault-secret-42&x=1`] } }, 'form')
    const text = out.text()
    expect(text).not.toContain('CANARY')
    expect(text).not.toContain(jwt)
    expect(text).toContain('[REDACTED]')
    expect(text.trim().split('\n')).toHaveLength(3)
    // still useful: the non-secret parts survive
    expect(text).toContain('rejected for')
  })

  it('drops lines below the level', () => {
    const out = capture()
    const log = createLogger({ destination: out.stream, level: 'warn' })
    log.info({ a: 1 }, 'quiet')
    log.warn({ a: 2 }, 'loud')
    expect(out.text()).toContain('loud')
    expect(out.text()).not.toContain('quiet')
  })
})
