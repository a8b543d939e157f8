import { AuthError, ClientAuthError, ServerError } from '@azure/msal-node'
import { describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import { adminConsentUrl, toAuthError } from '../../main/auth/auth-errors'

const TRACE = '255d1aef-8c98-452f-ac51-23d051240864'
const CORR = 'fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7'
const TENANT = '11111111-2222-3333-4444-555555555555'
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'

/** A ServerError exactly as msal-common's ResponseHandler builds it from a token-endpoint error body. */
function serverError(error: string, code: number, description: string, status: number): ServerError {
  const errString =
    `Error(s): ${code} - Timestamp: 2026-01-01 00:00:00Z - Description: AADSTS${code}: ${description}\r\n` +
    `Trace ID: ${TRACE}\r\nCorrelation ID: ${CORR}\r\nTimestamp: 2026-01-01 00:00:00Z - Correlation ID: ${CORR} - Trace ID: ${TRACE}`
  return new ServerError(error, CORR, errString, undefined, String(code), status)
}

const ctx = { azureTenantId: TENANT, clientId: CLIENT, cloud: 'global' as const }

describe('toAuthError', () => {
  const table = [
    { error: 'invalid_client', no: 7000215, status: 401, code: 'AUTH_INVALID_SECRET' },
    { error: 'invalid_client', no: 7000222, status: 401, code: 'AUTH_SECRET_EXPIRED' },
    { error: 'unauthorized_client', no: 700016, status: 400, code: 'AUTH_APP_NOT_FOUND' },
    { error: 'invalid_tenant', no: 90002, status: 400, code: 'AUTH_TENANT_NOT_FOUND' },
    { error: 'invalid_grant', no: 65001, status: 400, code: 'AUTH_CONSENT_MISSING' },
    { error: 'invalid_client', no: 700027, status: 401, code: 'AUTH_CERTIFICATE_INVALID' },
    { error: 'invalid_client', no: 700024, status: 400, code: 'AUTH_CLOCK_SKEW' },
    { error: 'invalid_request', no: 7000112, status: 400, code: 'AUTH_FAILED' }
  ] as const
  for (const row of table) {
    it(`AADSTS${row.no} → ${row.code}`, () => {
      const err = toAuthError(serverError(row.error, row.no, 'Something happened.', row.status), ctx)
      expect(err).toBeInstanceOf(AtlasError)
      expect(err.code).toBe(row.code)
      expect(err.message).toContain(`AADSTS${row.no}`)
      expect(err.message).toContain(TRACE)
      expect(err.message).toContain(CORR)
      expect(err.details).toMatchObject({
        aadsts: row.no,
        oauthError: row.error,
        status: row.status,
        traceId: TRACE
      })
    })
  }

  it('the invalid-secret hint tells to use the secret value, not its id', () => {
    const err = toAuthError(
      serverError('invalid_client', 7000215, 'Invalid client secret provided.', 401),
      ctx
    )
    expect(err.message).toMatch(/secret VALUE, not its ID/)
  })

  it('consent and app-not-found hints carry the admin consent URL', () => {
    for (const no of [65001, 700016]) {
      const err = toAuthError(serverError('invalid_grant', no, 'x', 400), ctx)
      expect(err.message).toContain(
        `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${CLIENT}`
      )
    }
  })

  it("an unknown AADSTS code keeps Entra's sentence, with any secret removed", () => {
    const secret = 'leaky-secret-value-123456'
    const err = toAuthError(
      serverError(
        'invalid_request',
        7000112,
        `Application is disabled. client_secret=${secret} was sent`,
        400
      ),
      { ...ctx, secrets: [secret] }
    )
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.message).toContain('Application is disabled.')
    expect(err.message).not.toContain(secret)
  })

  it('tokens and assertions in an error text never survive', () => {
    const jwt = 'eyJhbGciOiJQUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl'
    const err = toAuthError(new Error(`weird failure with client_assertion=${jwt} and Bearer ${jwt}`), ctx)
    expect(err.message).not.toContain('eyJ')
  })

  it('clock-skew wording without a known number → AUTH_CLOCK_SKEW', () => {
    const err = toAuthError(
      new ServerError(
        'invalid_client',
        '',
        'Description: The token is not yet valid (nbf) - clock skew',
        undefined,
        undefined,
        400
      ),
      ctx
    )
    expect(err.code).toBe('AUTH_CLOCK_SKEW')
  })

  it('AADSTS50012 is a certificate problem only when a certificate was used', () => {
    const e = serverError('invalid_client', 50012, 'Client assertion contains an invalid signature.', 401)
    expect(toAuthError(e, { ...ctx, credentialKind: 'certificate' }).code).toBe('AUTH_CERTIFICATE_INVALID')
    expect(toAuthError(e, { ...ctx, credentialKind: 'secret' }).code).toBe('AUTH_FAILED')
  })

  it('network failures → AUTH_NETWORK, retryable', () => {
    const msalNetwork = new AuthError('network_error', '', 'Network request failed: fetch failed')
    const rawFetch = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND login.microsoftonline.com'), {
        code: 'ENOTFOUND'
      })
    })
    const socket = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    for (const e of [msalNetwork, rawFetch, socket]) {
      const mapped = toAuthError(e, ctx)
      expect(mapped.code).toBe('AUTH_NETWORK')
      expect(mapped.details).toMatchObject({ retryable: true })
    }
  })

  it('a 5xx or temporarily_unavailable from Entra → AUTH_NETWORK', () => {
    expect(toAuthError(serverError('temporarily_unavailable', 90033, 'try again', 503), ctx).code).toBe(
      'AUTH_NETWORK'
    )
    expect(
      toAuthError(new ServerError('server_error', '', 'boom', undefined, undefined, 500), ctx).code
    ).toBe('AUTH_NETWORK')
  })

  it('other MSAL client errors → AUTH_FAILED naming the MSAL code; AtlasErrors pass through untouched', () => {
    const mapped = toAuthError(new ClientAuthError('invalid_cache_record', 'x'), ctx)
    expect(mapped.code).toBe('AUTH_FAILED')
    expect(mapped.message).toContain('invalid_cache_record')
    const own = new AtlasError('AUTH_NO_CREDENTIAL', 'none')
    expect(toAuthError(own)).toBe(own)
    expect(toAuthError('a string').code).toBe('AUTH_FAILED')
  })
})

describe('adminConsentUrl', () => {
  it('uses the cloud authority host and the tenant', () => {
    expect(adminConsentUrl('global', TENANT, CLIENT)).toBe(
      `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${CLIENT}`
    )
    expect(adminConsentUrl('usgovdod', 'Contoso.OnMicrosoft.us', CLIENT)).toBe(
      `https://login.microsoftonline.us/contoso.onmicrosoft.us/adminconsent?client_id=${CLIENT}`
    )
    expect(adminConsentUrl('china', TENANT, CLIENT)).toMatch(/^https:\/\/login\.chinacloudapi\.cn\//)
    expect(
      adminConsentUrl('custom', TENANT, CLIENT, {
        authorityHost: 'https://login.example.test',
        graphEndpoint: 'https://g.example.test'
      })
    ).toMatch(/^https:\/\/login\.example\.test\//)
  })

  it('refuses multi-tenant aliases', () => {
    expect(() => adminConsentUrl('global', 'common', CLIENT)).toThrow(AtlasError)
  })
})
