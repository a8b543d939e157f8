import { describe, expect, it } from 'vitest'
import {
  GraphError,
  classifyGraphError,
  extractMissingScopes,
  parseGraphErrorBody
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
