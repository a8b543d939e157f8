import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import { cloudEndpoints, validateAzureTenantId } from '../../main/auth/clouds'

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return err instanceof AtlasError ? err.code : 'NOT_ATLAS'
  }
  return undefined
}

describe('cloudEndpoints', () => {
  it('knows the national clouds', () => {
    expect(cloudEndpoints('global')).toEqual({
      authorityHost: 'https://login.microsoftonline.com',
      graphEndpoint: 'https://graph.microsoft.com',
      graphScope: 'https://graph.microsoft.com/.default'
    })
    expect(cloudEndpoints('usgov')).toEqual({
      authorityHost: 'https://login.microsoftonline.us',
      graphEndpoint: 'https://graph.microsoft.us',
      graphScope: 'https://graph.microsoft.us/.default'
    })
    expect(cloudEndpoints('usgovdod')).toEqual({
      authorityHost: 'https://login.microsoftonline.us',
      graphEndpoint: 'https://dod-graph.microsoft.us',
      graphScope: 'https://dod-graph.microsoft.us/.default'
    })
    expect(cloudEndpoints('china')).toEqual({
      authorityHost: 'https://login.chinacloudapi.cn',
      graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
      graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default'
    })
  })

  it('accepts a custom https origin (port kept, trailing slash dropped)', () => {
    expect(
      cloudEndpoints('custom', {
        authorityHost: 'https://login.contoso.test:8443/',
        graphEndpoint: ' https://graph.contoso.test '
      })
    ).toEqual({
      authorityHost: 'https://login.contoso.test:8443',
      graphEndpoint: 'https://graph.contoso.test',
      graphScope: 'https://graph.contoso.test/.default'
    })
  })

  it('rejects custom endpoints that are missing, not https, not a bare origin, or not URLs', () => {
    const ok = 'https://login.contoso.test'
    expect(code(() => cloudEndpoints('custom'))).toBe('INVALID_INPUT')
    for (const bad of [
      'http://login.contoso.test',
      'https://login.contoso.test/tenant',
      'https://login.contoso.test/?x=1',
      'https://user:pw@login.contoso.test',
      'login.contoso.test',
      'not a url',
      ''
    ]) {
      expect(
        code(() => cloudEndpoints('custom', { authorityHost: bad, graphEndpoint: ok })),
        bad
      ).toBe('INVALID_INPUT')
      expect(
        code(() => cloudEndpoints('custom', { authorityHost: ok, graphEndpoint: bad })),
        bad
      ).toBe('INVALID_INPUT')
    }
    expect(code(() => cloudEndpoints('azure' as never))).toBe('INVALID_INPUT')
  })
})

describe('validateAzureTenantId', () => {
  it('accepts GUIDs and verified domains, normalised to lower case', () => {
    expect(validateAzureTenantId(' 11111111-2222-3333-4444-55555555AAAA ')).toBe(
      '11111111-2222-3333-4444-55555555aaaa'
    )
    expect(validateAzureTenantId('Contoso.onmicrosoft.com')).toBe('contoso.onmicrosoft.com')
    expect(validateAzureTenantId('fabrikam.co.uk')).toBe('fabrikam.co.uk')
    expect(validateAzureTenantId('contoso.onmicrosoft.us')).toBe('contoso.onmicrosoft.us')
  })

  it('any GUID is accepted', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        fc.pre(id !== '00000000-0000-0000-0000-000000000000')
        expect(validateAzureTenantId(id)).toBe(id.toLowerCase())
      })
    )
  })

  it('rejects the multi-tenant aliases with a message that says why', () => {
    for (const alias of ['common', 'organizations', 'consumers', 'Common']) {
      expect(() => validateAzureTenantId(alias)).toThrow(/not a tenant/)
    }
  })

  it('rejects the empty GUID, empty input and garbage', () => {
    expect(() => validateAzureTenantId('00000000-0000-0000-0000-000000000000')).toThrow(/empty GUID/)
    for (const bad of [
      '',
      '   ',
      'contoso',
      '1111-2222',
      '11111111-2222-3333-4444-5555555555555',
      'contoso..com',
      '-contoso.com',
      'https://login.microsoftonline.com/contoso.com',
      'contoso.com/extra',
      'a b.com'
    ]) {
      expect(
        code(() => validateAzureTenantId(bad)),
        bad
      ).toBe('INVALID_INPUT')
    }
  })
})
