import { describe, expect, it } from 'vitest'
import {
  GraphError,
  classifyGraphError,
  extractMissingScopes,
  parseGraphErrorBody,
  statusLabel
} from '../../main/graph/classify-error'

// graph-intune-reference.md §3d, verbatim: Intune serialises a JSON document into error.message
const INTUNE_403_SCOPES = String.raw`{"error":{"code":"Forbidden","message":"{\r\n  \"_version\": 3,\r\n  \"Message\": \"Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: 8191cc94-6c68-4ae6-a843-dcb7f44d2765 - Url: https://fef.amsua0202.manage.microsoft.com/DeviceConfiguration_2311/StatelessDeviceConfigurationFEService/deviceManagement/deviceCompliancePolicies?api-version=5023-10-14\",\r\n  \"CustomApiErrorPhrase\": \"\",\r\n  \"RetryAfter\": null,\r\n  \"ErrorSourceService\": \"\",\r\n  \"HttpHeaders\": \"{}\"\r\n}","innerError":{"date":"2023-11-25T10:00:00","request-id":"8191cc94-6c68-4ae6-a843-dcb7f44d2765","client-request-id":"8191cc94-6c68-4ae6-a843-dcb7f44d2765"}}}`

// §5.5: license-gated feature, stringified message without a scope list
const INTUNE_403_LICENSE = JSON.stringify({
  error: {
    code: 'Forbidden',
    message: JSON.stringify({
      _version: 3,
      Message:
        'An error has occurred - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: 11111111-2222-3333-4444-555555555555 - Url: https://fef.msub01.manage.microsoft.com/x',
      CustomApiErrorPhrase: '',
      RetryAfter: null
    }),
    innerError: { date: '2024-01-01T00:00:00', 'request-id': 'rid-lic', 'client-request-id': 'cid-lic' }
  }
})

const body = (code: string, message: string, inner: Record<string, string> = {}) => ({
  error: { code, message, innerError: inner }
})

describe('parseGraphErrorBody', () => {
  it('unwraps the Intune stringified message and keeps the ids', () => {
    const p = parseGraphErrorBody(JSON.parse(INTUNE_403_SCOPES))
    expect(p.code).toBe('Forbidden')
    expect(p.message).toMatch(/^Application is not authorized to perform this operation\./)
    expect(p.requestId).toBe('8191cc94-6c68-4ae6-a843-dcb7f44d2765')
    expect(p.clientRequestId).toBe('8191cc94-6c68-4ae6-a843-dcb7f44d2765')
    expect(p.date).toBe('2023-11-25T10:00:00')
  })

  it('reads innererror in any case', () => {
    const p = parseGraphErrorBody({ error: { code: 'X', message: 'm', innererror: { 'Request-Id': 'r1' } } })
    expect(p.requestId).toBe('r1')
  })

  it('tolerates bodies that are not Graph errors', () => {
    expect(parseGraphErrorBody(undefined)).toEqual({})
    expect(parseGraphErrorBody('oops')).toEqual({})
    expect(parseGraphErrorBody({ error: 'invalid_client' })).toEqual({})
    expect(parseGraphErrorBody({ error: { message: '{not json' } }).message).toBe('{not json')
  })
})

describe('extractMissingScopes', () => {
  it('lists the scopes up to the Intune " - Operation ID" suffix', () => {
    expect(
      extractMissingScopes(
        'Application must have one of the following scopes: DeviceManagementScripts.Read.All, DeviceManagementConfiguration.Read.All - Operation ID (for customer support): 0'
      )
    ).toEqual(['DeviceManagementScripts.Read.All', 'DeviceManagementConfiguration.Read.All'])
  })

  it('handles a plain message that ends after the list', () => {
    expect(extractMissingScopes('must have one of the following scopes: Policy.Read.All')).toEqual([
      'Policy.Read.All'
    ])
  })

  it('returns undefined when no scope is named', () => {
    expect(extractMissingScopes('An error has occurred - Operation ID: 1')).toBeUndefined()
    expect(extractMissingScopes('must have one of the following scopes: ')).toBeUndefined()
  })
})

describe('classifyGraphError', () => {
  it('403 with a scope list (Intune stringified body) → GRAPH_FORBIDDEN with the scopes', () => {
    for (const licenseGated of [false, true]) {
      const c = classifyGraphError({ status: 403, body: JSON.parse(INTUNE_403_SCOPES), licenseGated })
      expect(c.code).toBe('GRAPH_FORBIDDEN')
      expect(c.missingScopes).toEqual([
        'DeviceManagementConfiguration.Read.All',
        'DeviceManagementConfiguration.ReadWrite.All'
      ])
      expect(c.reason).toContain('DeviceManagementConfiguration.Read.All')
      expect(c.requestId).toBe('8191cc94-6c68-4ae6-a843-dcb7f44d2765')
    }
  })

  it('403 without a scope list → not licensed on license-gated types, forbidden otherwise', () => {
    const parsed: unknown = JSON.parse(INTUNE_403_LICENSE)
    expect(classifyGraphError({ status: 403, body: parsed, licenseGated: true }).code).toBe(
      'GRAPH_NOT_LICENSED'
    )
    expect(classifyGraphError({ status: 403, body: parsed }).code).toBe('GRAPH_FORBIDDEN')
    expect(classifyGraphError({ status: 403, body: undefined, licenseGated: true }).code).toBe(
      'GRAPH_NOT_LICENSED'
    )
  })

  it('a 403 that plainly says "permission" stays forbidden even on license-gated types', () => {
    const b = body(
      'Forbidden',
      'The application ... as called in app only context but does not have application permissions configured.'
    )
    expect(classifyGraphError({ status: 403, body: b, licenseGated: true }).code).toBe('GRAPH_FORBIDDEN')
    const denied = body('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
    expect(classifyGraphError({ status: 403, body: denied, licenseGated: true }).code).toBe('GRAPH_FORBIDDEN')
  })

  it('400 "Request not applicable to target tenant" → TENANT_NO_INTUNE', () => {
    const b = body('BadRequest', 'Request not applicable to target tenant.', { 'request-id': 'r-400' })
    const c = classifyGraphError({ status: 400, body: b })
    expect(c.code).toBe('TENANT_NO_INTUNE')
    expect(c.requestId).toBe('r-400')
  })

  it('unknown segment (400) and 404 → GRAPH_NOT_FOUND; other 400 → GRAPH_BAD_REQUEST', () => {
    const seg = body('BadRequest', "Resource not found for the segment 'configurationPolicies'.")
    expect(classifyGraphError({ status: 400, body: seg }).code).toBe('GRAPH_NOT_FOUND')
    expect(classifyGraphError({ status: 404, body: body('ResourceNotFound', 'nope') }).code).toBe(
      'GRAPH_NOT_FOUND'
    )
    const query = body(
      'BadRequest',
      "The query specified in the URI is not valid. Query option 'Filter' is not allowed."
    )
    const c = classifyGraphError({ status: 400, body: query })
    expect(c.code).toBe('GRAPH_BAD_REQUEST')
    expect(c.reason).toContain("Query option 'Filter' is not allowed")
  })

  it('maps the remaining statuses', () => {
    const c = (status: number) => classifyGraphError({ status, body: undefined }).code
    expect(c(401)).toBe('GRAPH_UNAUTHORIZED')
    expect(c(429)).toBe('GRAPH_THROTTLED')
    expect(c(500)).toBe('GRAPH_UNAVAILABLE')
    expect(c(503)).toBe('GRAPH_UNAVAILABLE')
    expect(c(302)).toBe('GRAPH_BAD_RESPONSE')
    expect(c(409)).toBe('GRAPH_BAD_REQUEST')
  })
})

describe('GraphError', () => {
  it('redacts its message and keeps the support ids in details', () => {
    const e = new GraphError('GRAPH_BAD_REQUEST', 'echo: Authorization: Bearer abc.def.ghi', {
      status: 400,
      requestId: 'r1'
    })
    expect(e).toBeInstanceOf(Error)
    expect(e.code).toBe('GRAPH_BAD_REQUEST')
    expect(e.message).not.toContain('abc.def.ghi')
    expect(e.details).toEqual({ status: 400, requestId: 'r1' })
    expect(e.requestId).toBe('r1')
  })
})

// Table-driven checks over the error bodies of graph-intune-reference.md §3d/§5.5: what a consultant reads
// in the run's per-type line, not only the code.
describe('classifyGraphError reasons', () => {
  const noIntune = body('BadRequest', 'Request not applicable to target tenant.')
  const segment = body('BadRequest', "Resource not found for the segment 'configurationPolicies'.")
  const throttled = {
    error: {
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: { code: '429', message: 'Please retry after', 'request-id': 'r-429', status: '429' }
    }
  }
  const expired = body('InvalidAuthenticationToken', 'Access token has expired or is not yet valid.')
  const unavailable = body('serviceNotAvailable', 'Service Unavailable')
  const cases: Array<[string, number, unknown, string, string]> = [
    [
      '401 expired token',
      401,
      expired,
      'GRAPH_UNAUTHORIZED',
      'the access token was rejected, also after a refresh'
    ],
    ['429', 429, throttled, 'GRAPH_THROTTLED', 'Graph is throttling this tenant'],
    [
      '503 with a body',
      503,
      unavailable,
      'GRAPH_UNAVAILABLE',
      'Graph failed on its side (Graph said: Service Unavailable)'
    ],
    ['500 without a body', 500, undefined, 'GRAPH_UNAVAILABLE', 'Graph failed on its side'],
    [
      '400 no Intune',
      400,
      noIntune,
      'TENANT_NO_INTUNE',
      'the tenant has no usable Intune (no license or no MDM authority)'
    ],
    [
      '404 no body',
      404,
      undefined,
      'GRAPH_NOT_FOUND',
      'this collection does not exist for this API version or tenant'
    ],
    [
      '400 unknown segment',
      400,
      segment,
      'GRAPH_NOT_FOUND',
      "this collection does not exist for this API version or tenant (Graph said: Resource not found for the segment 'configurationPolicies'.)"
    ],
    ['400 without a body', 400, undefined, 'GRAPH_BAD_REQUEST', 'the request was rejected'],
    [
      '409 conflict',
      409,
      body('Conflict', 'Busy.'),
      'GRAPH_BAD_REQUEST',
      'the request was rejected (Graph said: Busy.)'
    ],
    ['403 no body', 403, undefined, 'GRAPH_FORBIDDEN', 'access denied'],
    [
      '403 other text',
      403,
      body('Forbidden', 'Nope.'),
      'GRAPH_FORBIDDEN',
      'access denied (Graph said: Nope.)'
    ],
    ['300', 300, undefined, 'GRAPH_BAD_RESPONSE', 'Graph answered with a redirect, which is not followed'],
    ['302', 302, undefined, 'GRAPH_BAD_RESPONSE', 'Graph answered with a redirect, which is not followed'],
    ['399', 399, undefined, 'GRAPH_BAD_RESPONSE', 'Graph answered with a redirect, which is not followed'],
    ['200 (not an error)', 200, undefined, 'GRAPH_BAD_RESPONSE', 'unexpected status'],
    ['299', 299, undefined, 'GRAPH_BAD_RESPONSE', 'unexpected status']
  ]
  it.each(cases)('%s', (_name, status, b, code, reason) => {
    const c = classifyGraphError({ status, body: b })
    expect(c.code).toBe(code)
    expect(c.reason).toBe(reason)
  })

  it('names the missing scopes joined by "or"', () => {
    const c = classifyGraphError({ status: 403, body: JSON.parse(INTUNE_403_SCOPES) })
    expect(c.reason).toBe(
      'missing permission DeviceManagementConfiguration.Read.All or DeviceManagementConfiguration.ReadWrite.All'
    )
  })

  it('says "not licensed" for a license-gated 403 without a permission phrase', () => {
    const c = classifyGraphError({ status: 403, body: JSON.parse(INTUNE_403_LICENSE), licenseGated: true })
    expect(c.reason).toBe('the tenant is not licensed for this feature')
    expect(c.requestId).toBe('rid-lic')
    expect(c.clientRequestId).toBe('cid-lic')
    expect(c.graphCode).toBe('Forbidden')
  })

  it.each([
    'Application is not authorized to perform this operation.',
    'Insufficient privileges to complete the operation.',
    'The app was called in app only context but does not have application permissions configured.',
    'The app has no permission configured for this API.',
    'Access is denied.'
  ])('a license-gated 403 saying "%s" is a permission problem', (message) => {
    const c = classifyGraphError({ status: 403, body: body('Forbidden', message), licenseGated: true })
    expect(c.code).toBe('GRAPH_FORBIDDEN')
    expect(c.reason).toBe(`the app lacks permission to read this (Graph said: ${message})`)
  })

  it("Graph's Authorization_RequestDenied code means forbidden whatever the status and text", () => {
    for (const code of ['Authorization_RequestDenied', 'authorization_requestdenied']) {
      const b = body(code, 'Caller cannot read this directory object.')
      for (const status of [400, 403]) {
        const c = classifyGraphError({ status, body: b, licenseGated: true })
        expect(c.code).toBe('GRAPH_FORBIDDEN')
        expect(c.reason).toBe(
          'the app lacks permission to read this (Graph said: Caller cannot read this directory object.)'
        )
      }
    }
  })

  it('quotes Graph on one line, whitespace runs collapsed', () => {
    const b = body('BadRequest', '  Line one\r\n\tLine   two  ')
    expect(classifyGraphError({ status: 400, body: b }).reason).toBe(
      'the request was rejected (Graph said: Line one Line two)'
    )
  })

  it('clips a long Graph message to 300 characters with an ellipsis, and keeps one of 300 whole', () => {
    const whole = 'x'.repeat(300)
    const said = (m: string) =>
      classifyGraphError({ status: 400, body: body('BadRequest', m) }).reason.replace(
        /^the request was rejected \(Graph said: (.*)\)$/,
        '$1'
      )
    expect(said(whole)).toBe(whole)
    expect(said(`${whole}yz`)).toBe(`${'x'.repeat(299)}…`)
    expect(said(`${'x'.repeat(299)}yz`)).toBe(`${'x'.repeat(299)}…`)
  })
})

describe('parseGraphErrorBody edge cases', () => {
  it('keeps undefined for empty or non-string fields', () => {
    expect(parseGraphErrorBody({ error: { code: '', message: '' } })).toStrictEqual({
      code: undefined,
      message: undefined,
      requestId: undefined,
      clientRequestId: undefined,
      date: undefined
    })
    const p = parseGraphErrorBody({
      error: { code: 403, message: { text: 'm' }, innerError: { 'request-id': 7 } }
    })
    expect(p.code).toBeUndefined()
    expect(p.message).toBeUndefined()
    expect(p.requestId).toBeUndefined()
  })

  it('reads a body without a message', () => {
    expect(parseGraphErrorBody({ error: { code: 'BadRequest' } })).toMatchObject({ code: 'BadRequest' })
  })

  it('treats null as no error document', () => {
    expect(parseGraphErrorBody(null)).toStrictEqual({})
    expect(parseGraphErrorBody({ error: null })).toStrictEqual({})
    expect(parseGraphErrorBody({ error: { code: 'X', innerError: null } }).code).toBe('X')
  })

  it('treats arrays as no error document', () => {
    expect(parseGraphErrorBody([{ error: { code: 'X' } }])).toStrictEqual({})
    expect(parseGraphErrorBody({ error: [{ code: 'X' }] })).toStrictEqual({})
    const p = parseGraphErrorBody({ error: { code: 'X', message: 'm', innerError: ['r'] } })
    expect(p.requestId).toBeUndefined()
  })

  it('prefers the exactly spelled property over another casing', () => {
    const p = parseGraphErrorBody({
      error: { code: 'X', message: 'm', innerError: { 'Request-Id': 'other', 'request-id': 'exact' } }
    })
    expect(p.requestId).toBe('exact')
  })

  it('unwraps an Intune message that starts with whitespace', () => {
    const p = parseGraphErrorBody({ error: { code: 'X', message: '\r\n {"Message":"inner text"}' } })
    expect(p.message).toBe('inner text')
  })

  it('keeps the raw text when the Intune document has no Message', () => {
    expect(parseGraphErrorBody({ error: { message: '{"_version":3}' } }).message).toBe('{"_version":3}')
  })
})

describe('extractMissingScopes forms', () => {
  it.each<[string, string[] | undefined]>([
    ['one of the following scopes:Policy.Read.All,Group.Read.All', ['Policy.Read.All', 'Group.Read.All']],
    ['one of the following scopes : Policy.Read.All', ['Policy.Read.All']],
    ['One Of The Following Scopes: Policy.Read.All; Group.Read.All', ['Policy.Read.All', 'Group.Read.All']],
    ['one of the following scopes: Policy.Read.All or Group.Read.All', ['Policy.Read.All', 'Group.Read.All']],
    ['one of the following scopes: [Policy.Read.All, Group.Read.All]', ['Policy.Read.All', 'Group.Read.All']],
    ['one of the following scopes: Policy.Read.All, Policy.Read.All', ['Policy.Read.All']],
    ['one of the following scopes: Policy.Read.All", "RetryAfter": null', ['Policy.Read.All']],
    ['one of the following scopes: Policy.Read.All\nGroup.Read.All', ['Policy.Read.All']],
    ['one of the following scopes: Policy.Read.All, and more', ['Policy.Read.All']],
    [
      'one of the following scopes: Policy.Read.All, (Group.Read.All, Group.Read.All), x[y.Read',
      ['Policy.Read.All']
    ],
    ['one of the following scopes: (none)', undefined],
    ['one of the following scopes: Read', undefined]
  ])('%s', (message, scopes) => {
    expect(extractMissingScopes(message)).toEqual(scopes)
  })
})

describe('GraphError details', () => {
  it('leaves out unset fields and has no details when nothing is known', () => {
    const e = new GraphError('GRAPH_THROTTLED', 'slow down', { status: 429, requestId: undefined })
    expect(Object.keys(e.details ?? {})).toEqual(['status'])
    expect(new GraphError('GRAPH_THROTTLED', 'slow down').details).toBeUndefined()
    expect(new GraphError('GRAPH_THROTTLED', 'slow down', { requestId: undefined }).details).toBeUndefined()
    expect(e.name).toBe('GraphError')
  })
})

describe('statusLabel', () => {
  it.each<[number, string]>([
    [301, '301 Moved Permanently'],
    [302, '302 Found'],
    [307, '307 Temporary Redirect'],
    [308, '308 Permanent Redirect'],
    [400, '400 Bad Request'],
    [401, '401 Unauthorized'],
    [403, '403 Forbidden'],
    [404, '404 Not Found'],
    [405, '405 Method Not Allowed'],
    [409, '409 Conflict'],
    [429, '429 Too Many Requests'],
    [500, '500 Internal Server Error'],
    [502, '502 Bad Gateway'],
    [503, '503 Service Unavailable'],
    [504, '504 Gateway Timeout'],
    [418, '418']
  ])('%i → %s', (status, label) => {
    expect(statusLabel(status)).toBe(label)
  })
})
