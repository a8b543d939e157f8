import { afterEach, describe, expect, it } from 'vitest'
import {
  forgetSecret,
  redactDeep,
  redactedMessage,
  redactText,
  redactUrl,
  registerSecret
} from '../../main/util/redact'

// shaped like a real access token: header.payload.signature, base64url
const JWT =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJ0aWQiOiJ4In0.c2lnbmF0dXJlX2J5dGVz-_'
const SECRET = 'Qx8~abc.DEF_ghi-JKL/mno+pqr'

describe('redactText', () => {
  afterEach(() => forgetSecret(SECRET))

  it('removes bearer tokens whatever follows the scheme', () => {
    const out = redactText('GET /x Authorization: Bearer abc.DEF-123_~+/xyz== failed')
    expect(out).not.toContain('abc.DEF-123')
    expect(out).toContain('Authorization: Bearer [REDACTED]')
    expect(out).toMatch(/failed$/)
    expect(redactText('bearer lowercase-token')).not.toContain('lowercase-token')
  })

  it('removes JWTs, complete or truncated to their header', () => {
    expect(redactText(`token was ${JWT} here`)).toBe('token was [REDACTED] here')
    const truncated = 'access "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIs…"'
    expect(redactText(truncated)).not.toContain('eyJ0eXAi')
  })

  it('removes OAuth form fields but keeps their names and the harmless ones', () => {
    const form =
      'client_id=1111&client_secret=s%2Fup3r&grant_type=client_credentials&client_assertion_type=urn:ietf:jwt-bearer&client_assertion=abc.def.ghi'
    const out = redactText(form)
    expect(out).not.toContain('s%2Fup3r')
    expect(out).not.toContain('abc.def.ghi')
    expect(out).toContain('client_secret=[REDACTED]')
    expect(out).toContain('client_assertion=[REDACTED]')
    expect(out).toContain('client_assertion_type=urn:ietf:jwt-bearer')
    expect(out).toContain('client_id=1111')
  })

  it('removes access and refresh tokens in JSON, also JSON serialised inside a string', () => {
    const json =
      '{"token_type":"Bearer","access_token" : "opaque-1","refresh_token":"opaque-2","expires_in":3599}'
    const out = redactText(json)
    expect(out).not.toMatch(/opaque-[12]/)
    expect(out).toContain('"expires_in":3599')
    const nested = JSON.stringify({ message: JSON.stringify({ access_token: 'opaque-3', ok: 1 }) })
    expect(redactText(nested)).not.toContain('opaque-3')
  })

  it('removes PEM private keys', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0BAQEF\n-----END PRIVATE KEY-----'
    expect(redactText(`key: ${pem} end`)).toBe('key: [REDACTED PRIVATE KEY] end')
  })

  it('removes registered secrets, also percent-encoded, until they are forgotten', () => {
    const text = `login failed for ${SECRET} / ${encodeURIComponent(SECRET)}`
    expect(redactText(text)).toContain(SECRET)
    registerSecret(SECRET)
    const out = redactText(text)
    expect(out).not.toContain(SECRET)
    expect(out).not.toContain(encodeURIComponent(SECRET))
    forgetSecret(SECRET)
    expect(redactText(text)).toContain(SECRET)
  })

  it('removes extra secrets passed by the caller, but ignores values too short to be secrets', () => {
    expect(redactText('pw is hunter22', ['hunter22'])).toBe('pw is [REDACTED]')
    expect(redactText('a b c', ['b'])).toBe('a b c')
  })

  it('leaves ordinary messages alone', () => {
    const msg =
      'Graph answered 403 Forbidden for /deviceManagement/x: missing permission A.Read.All [request-id 42]'
    expect(redactText(msg)).toBe(msg)
  })
})

describe('redactedMessage', () => {
  afterEach(() => forgetSecret(SECRET))

  it('redacts the message of an Error and of anything else thrown', () => {
    registerSecret(SECRET)
    expect(redactedMessage(new Error(`sign-in failed for ${SECRET}`))).toBe('sign-in failed for [REDACTED]')
    expect(redactedMessage(`raw ${SECRET}`)).toBe('raw [REDACTED]')
    expect(redactedMessage(undefined)).toBe('undefined')
  })
})

describe('redactDeep', () => {
  afterEach(() => forgetSecret(SECRET))

  it('redacts every string of a value, in objects and arrays, and leaves the rest as it was', () => {
    registerSecret(SECRET)
    const report = {
      tenantId: 't-1',
      auth: { ok: false, message: `AADSTS7000215: invalid secret ${SECRET}` },
      types: [
        { policyType: 'mobileApp', status: 403, message: `Bearer ${JWT}` },
        { policyType: 'x', ok: true }
      ],
      at: null,
      count: 3
    }
    expect(redactDeep(report)).toEqual({
      tenantId: 't-1',
      auth: { ok: false, message: 'AADSTS7000215: invalid secret [REDACTED]' },
      types: [
        { policyType: 'mobileApp', status: 403, message: 'Bearer [REDACTED]' },
        { policyType: 'x', ok: true }
      ],
      at: null,
      count: 3
    })
    expect(report.auth.message).toContain(SECRET) // a copy: the value given is not changed
    expect(redactDeep(SECRET)).toBe('[REDACTED]')
  })

  it('turns an Error into its name and redacted message, and ends on a cyclic value', () => {
    registerSecret(SECRET)
    expect(redactDeep({ err: new TypeError(`failed ${SECRET}`) })).toEqual({
      err: { name: 'TypeError', message: 'failed [REDACTED]' }
    })
    // a cyclic value (a log object or a list that refers to itself) ends: the walk is bounded
    const cyclic: { secret: string; self?: unknown } = { secret: SECRET }
    cyclic.self = cyclic
    expect(redactDeep(cyclic)).toMatchObject({ secret: '[REDACTED]', self: { secret: '[REDACTED]' } })
    const list: unknown[] = [SECRET]
    list.push(list)
    const out = redactDeep(list) as unknown[]
    expect([out[0], (out[1] as unknown[])[0]]).toEqual(['[REDACTED]', '[REDACTED]'])
  })

  it('redacts strings in objects nested six deep', () => {
    registerSecret(SECRET)
    let nested: unknown = { secret: SECRET }
    for (let i = 0; i < 6; i++) nested = { next: nested }
    expect(JSON.stringify(redactDeep(nested))).not.toContain(SECRET)
  })
})

describe('redactUrl', () => {
  it('cuts $skiptoken to a short prefix and keeps the rest of the URL', () => {
    const url =
      'https://graph.microsoft.com/beta/deviceManagement/configurationPolicies?$top=25&$skiptoken=%255Bcosmosdb%255D%255B%257B%2522compositeToken&x=1'
    const out = redactUrl(url)
    expect(out).not.toContain('compositeToken')
    expect(out).toContain('$top=25')
    expect(out).toContain('&x=1')
    expect(out).toMatch(/\$skiptoken=.{8}…&/)
  })

  it('also handles $skip, an encoded dollar and mixed case', () => {
    expect(redactUrl('https://h/x?%24skipToken=ABCDEFGHIJKLMNOP')).toBe('https://h/x?%24skipToken=ABCDEFGH…')
    expect(redactUrl('https://h/x?$skip=200')).toBe('https://h/x?$skip=200')
  })

  it('scrubs tokens that ended up in a query string', () => {
    expect(redactUrl('https://h/cb?access_token=zzz999&a=1')).toBe('https://h/cb?access_token=[REDACTED]&a=1')
  })
})

describe('redactText edge cases', () => {
  const SHORT = 'k9Z' // 3 characters: too short to register
  const FOUR = 'k9Zq' // 4 characters: the shortest secret kept
  afterEach(() => {
    for (const s of [SHORT, FOUR, 'k9Zq-longer-secret']) forgetSecret(s)
    forgetSecret(123456 as unknown as string)
  })

  it('registers secrets from four characters on, and only strings', () => {
    registerSecret(SHORT)
    expect(redactText(`id ${SHORT}`)).toBe(`id ${SHORT}`)
    registerSecret(FOUR)
    expect(redactText(`id ${FOUR}`)).toBe('id [REDACTED]')
    registerSecret(123456 as unknown as string)
    expect(redactText('order 123456')).toBe('order 123456')
  })

  it('takes extra secrets from four characters on', () => {
    expect(redactText('pw is k9Zq', ['k9Zq'])).toBe('pw is [REDACTED]')
    expect(redactText('pw is k9Z', ['k9Z'])).toBe('pw is k9Z')
  })

  it('removes a secret that contains a shorter one whole, whatever the order they came in', () => {
    const long = 'k9Zq-longer-secret'
    expect(redactText(`s=${long}.`, [FOUR, long])).toBe('s=[REDACTED].')
    registerSecret(FOUR)
    registerSecret(long)
    expect(redactText(`s=${long}.`)).toBe('s=[REDACTED].')
  })

  it('removes bearer tokens whole, also after several spaces', () => {
    expect(redactText('Authorization: Bearer  abcdef123')).toBe('Authorization: Bearer [REDACTED]')
    expect(redactText('Authorization: Bearer abcdef123 next')).toBe('Authorization: Bearer [REDACTED] next')
  })

  it('removes Basic credentials, padded or not, and leaves the word "Basic" in prose', () => {
    expect(redactText('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe('Authorization: Basic [REDACTED]')
    expect(redactText('Authorization: Basic  dXNlcjpwYXNz;')).toBe('Authorization: Basic [REDACTED];')
    expect(redactText('Basic usage of the API')).toBe('Basic usage of the API')
  })

  it('removes RSA and encrypted PEM keys', () => {
    for (const kind of ['RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY']) {
      const pem = `-----BEGIN ${kind}-----\nMIIEvQIBADANBg\n-----END ${kind}-----`
      expect(redactText(`key: ${pem} end`)).toBe('key: [REDACTED PRIVATE KEY] end')
    }
  })

  it('keeps the JSON shape around a removed token', () => {
    expect(redactText('{"access_token" : "opaque-1","expires_in":1}')).toBe(
      '{"access_token" : "[REDACTED]","expires_in":1}'
    )
    expect(redactText(String.raw`{"m":"{\"Access_Token\": \"opaque-3\",\"ok\":1}"}`)).toBe(
      String.raw`{"m":"{\"Access_Token\": \"[REDACTED]\",\"ok\":1}"}`
    )
  })
})

describe('redactUrl paging values', () => {
  it('keeps a value of eight characters whole and cuts a longer $skip', () => {
    expect(redactUrl('https://h/x?$skiptoken=ABCDEFGH&a=1')).toBe('https://h/x?$skiptoken=ABCDEFGH&a=1')
    expect(redactUrl('https://h/x?$skip=1234567890')).toBe('https://h/x?$skip=12345678…')
  })
})
