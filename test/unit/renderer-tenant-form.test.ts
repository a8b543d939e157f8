import { describe, expect, it } from 'vitest'
import type { CloudInfo, TenantView } from '../../renderer/src/atlas-client'
import {
  cloudHosts,
  emptyForm,
  excludedTypesChange,
  FIELD_PLACEHOLDERS,
  fieldHint,
  formOf,
  toAddInput,
  toUpdateInput,
  validateTenantForm,
  withNotLicensed,
  type Field,
  type TenantForm
} from '../../renderer/src/tenant-form'

const CLOUDS: CloudInfo[] = [
  {
    name: 'global',
    authorityHost: 'https://login.microsoftonline.com',
    graphEndpoint: 'https://graph.microsoft.com'
  },
  {
    name: 'usgov',
    authorityHost: 'https://login.microsoftonline.us',
    graphEndpoint: 'https://graph.microsoft.us'
  }
]

const GOOD: TenantForm = {
  ...emptyForm(CLOUDS),
  displayName: 'Contoso',
  azureTenantId: 'contoso.onmicrosoft.com',
  clientId: '11111111-2222-4333-8444-555555555555',
  secret: 's3cret'
}

describe('tenant form validation (in the page, before the engine)', () => {
  it('accepts a complete form and builds the engine input without extra fields', () => {
    expect(validateTenantForm(GOOD)).toEqual({})
    expect(toAddInput({ ...GOOD, displayName: '  Contoso  ' })).toEqual({
      displayName: 'Contoso',
      azureTenantId: 'contoso.onmicrosoft.com',
      clientId: '11111111-2222-4333-8444-555555555555',
      cloud: 'global',
      credential: { kind: 'secret', value: 's3cret' }
    })
  })

  it.each([
    ['azureTenantId', 'not a domain', /GUID or a domain/],
    ['azureTenantId', 'common', /not a tenant/],
    ['azureTenantId', '00000000-0000-0000-0000-000000000000', /empty GUID/],
    ['azureTenantId', '', /Enter the tenant ID or domain/],
    ['displayName', '', /Enter a display name/],
    ['displayName', 'x'.repeat(121), /Too long: 121/],
    ['displayName', 'Contoso \u202egnp.exe', /control or text-direction characters/],
    ['displayName', 'Contoso\u0007', /control or text-direction characters/],
    ['clientId', 'abc', /GUID/],
    ['secret', '', /client secret/]
  ] as const)('%s = %j is refused next to the field', (field, value, message) => {
    const errors = validateTenantForm({ ...GOOD, [field]: value })
    expect(Object.keys(errors)).toEqual([field])
    expect(errors[field]).toMatch(message)
  })

  it('says each thing once: a field’s error says what is wrong, its hint what to enter', () => {
    const pem = (text: string) => ({ name: 'a.pem', kind: 'pem' as const, text })
    const cert = { ...GOOD, credentialKind: 'certificate' as const }
    const wrong: Array<[TenantForm, boolean]> = [
      [{ ...GOOD, displayName: '', azureTenantId: '', clientId: '', secret: '' }, false],
      [{ ...GOOD, azureTenantId: 'not a domain', clientId: 'abc', secret: 'x'.repeat(4097) }, false],
      [{ ...GOOD, azureTenantId: 'common' }, false],
      [{ ...GOOD, cloud: 'custom', authorityHost: '', graphEndpoint: '' }, false],
      [
        { ...GOOD, cloud: 'custom', authorityHost: 'nope', graphEndpoint: 'https://graph.example.com/v1.0' },
        false
      ],
      [{ ...GOOD, azureTenantId: '00000000-0000-0000-0000-000000000000' }, false],
      [{ ...GOOD, azureTenantId: `${'a'.repeat(250)}.com` }, false],
      [cert, false],
      [{ ...cert, certificate: pem('-----BEGIN CERTIFICATE-----') }, false],
      [{ ...cert, certificate: pem('-----BEGIN PRIVATE KEY-----') }, true],
      [
        {
          ...cert,
          certificate: { name: 'a.pfx', kind: 'pfx' as const, base64: 'AAAA' },
          passphrase: 'p'.repeat(1025)
        },
        true
      ]
    ]
    const sentences = (text: string) => text.split(/(?<=[.:])\s+/).map((t) => t.replace(/[.:]$/, ''))
    // an example or a file type the hint gives ("contoso.onmicrosoft.com", ".pfx/.p12")
    const examples = (text: string) => text.split(/[\s,()]+/).filter((w) => /\w\.\w|^\.\w/.test(w))
    let checked = 0
    for (const [form, editing] of wrong) {
      for (const [field, error] of Object.entries(validateTenantForm(form, editing))) {
        const hint = fieldHint(field as Field, form, editing)
        const placeholder = FIELD_PLACEHOLDERS[field as Field]
        if (!hint && !placeholder) continue
        checked++
        for (const s of sentences(error)) expect(sentences(hint ?? ''), `${field}: ${error}`).not.toContain(s)
        for (const e of examples(`${hint ?? ''} ${placeholder ?? ''}`)) {
          expect(error, `${field}: ${error}`).not.toContain(e.replace(/\.$/, ''))
        }
      }
    }
    // every hinted field was shown with an error: tenant ID, client ID, secret, certificate, passphrase,
    // and the custom cloud's endpoints with their placeholders
    expect(checked).toBeGreaterThanOrEqual(14)
    expect(validateTenantForm({ ...GOOD, azureTenantId: 'not a domain' }).azureTenantId).toBe(
      'Not a GUID or a domain.'
    )
    expect(fieldHint('azureTenantId', GOOD)).toBe('A GUID or a domain such as contoso.onmicrosoft.com.')
    expect(validateTenantForm(cert).certificate).toBe('Choose the certificate file.')
    expect(fieldHint('certificate', cert)).toMatch(/\.pem .* \.pfx\/\.p12/)
  })

  it('accepts a tenant GUID in any case', () => {
    expect(validateTenantForm({ ...GOOD, azureTenantId: 'AABBCCDD-1111-4222-8333-444455556666' })).toEqual({})
  })

  it('checks custom cloud endpoints as bare https origins and sends them only for custom', () => {
    const custom = { ...GOOD, cloud: 'custom' as const }
    expect(
      validateTenantForm({ ...custom, authorityHost: 'nope', graphEndpoint: 'http://graph.example' })
    ).toEqual({
      authorityHost: expect.stringMatching(/Not a valid URL/),
      graphEndpoint: expect.stringMatching(/https/)
    })
    expect(
      validateTenantForm({
        ...custom,
        authorityHost: 'https://login.example/x',
        graphEndpoint: 'https://u:p@g.example'
      })
    ).toEqual({
      authorityHost: expect.stringMatching(/bare origin/),
      graphEndpoint: expect.stringMatching(/user name or password/)
    })
    const ok = { ...custom, authorityHost: 'https://login.example', graphEndpoint: 'https://graph.example' }
    expect(validateTenantForm(ok)).toEqual({})
    expect(toAddInput(ok)).toMatchObject({
      authorityHost: 'https://login.example',
      graphEndpoint: 'https://graph.example'
    })
    // a sovereign cloud's prefilled endpoints are the engine's to know: not sent
    expect(toAddInput({ ...GOOD, cloud: 'usgov' })).not.toHaveProperty('authorityHost')
  })

  it('requires a certificate file with a key, and sends PFX with its passphrase', () => {
    const cert = { ...GOOD, credentialKind: 'certificate' as const, secret: '' }
    expect(validateTenantForm(cert).certificate).toMatch(/Choose the certificate file/)
    const noKey = {
      ...cert,
      certificate: { name: 'a.pem', kind: 'pem' as const, text: '-----BEGIN CERTIFICATE-----' }
    }
    expect(validateTenantForm(noKey).certificate).toMatch(/no private key/)
    const pfx = {
      ...cert,
      certificate: { name: 'a.pfx', kind: 'pfx' as const, base64: 'AAAA' },
      passphrase: 'pw'
    }
    expect(validateTenantForm(pfx)).toEqual({})
    expect(toAddInput(pfx).credential).toEqual({
      kind: 'certificate_pfx',
      pfxBase64: 'AAAA',
      passphrase: 'pw'
    })
  })

  it('lets an edit keep the stored credential (empty secret)', () => {
    expect(validateTenantForm({ ...GOOD, secret: '' }, true)).toEqual({})
  })

  it('sends only what an edit changed, and a credential only when a new one was entered', () => {
    const before = {
      id: 't1',
      displayName: 'Contoso',
      azureTenantId: 'contoso.onmicrosoft.com',
      clientId: '11111111-2222-4333-8444-555555555555',
      cloud: 'custom',
      authorityHost: 'https://login.example',
      graphEndpoint: 'https://graph.example',
      authMethod: 'client_secret',
      excludedTypes: ['namedLocation']
    } as TenantView
    const form = formOf(before, CLOUDS)
    expect(form.secret).toBe('')
    expect(form.excludedTypes).toEqual(['namedLocation'])
    expect(toUpdateInput(before, form)).toEqual({ idOrName: 't1' })
    expect(toUpdateInput(before, { ...form, displayName: 'Contoso EU', secret: 'new' })).toEqual({
      idOrName: 't1',
      displayName: 'Contoso EU',
      credential: { kind: 'secret', value: 'new' }
    })
    // leaving the custom cloud clears its endpoints
    expect(toUpdateInput(before, { ...form, cloud: 'usgov' })).toEqual({
      idOrName: 't1',
      cloud: 'usgov',
      authorityHost: null,
      graphEndpoint: null
    })
  })

  it('pre-fills a national cloud with the hosts the engine serves, and leaves custom to the user', () => {
    expect(cloudHosts('usgov', CLOUDS)).toEqual({
      authorityHost: 'https://login.microsoftonline.us',
      graphEndpoint: 'https://graph.microsoft.us'
    })
    expect(cloudHosts('custom', CLOUDS)).toEqual({ authorityHost: '', graphEndpoint: '' })
    // a cloud the engine did not list is typed in rather than guessed
    expect(cloudHosts('china', CLOUDS)).toEqual({ authorityHost: '', graphEndpoint: '' })
    expect(emptyForm(CLOUDS)).toMatchObject({ cloud: 'global', graphEndpoint: 'https://graph.microsoft.com' })
  })

  it('saves excluded types only when the form changed them, in a stable order', () => {
    expect(excludedTypesChange(['namedLocation', 'mobileApp'], ['mobileApp', 'namedLocation'])).toBeNull()
    expect(excludedTypesChange([], ['namedLocation', 'mobileApp'])).toEqual(['mobileApp', 'namedLocation'])
    expect(excludedTypesChange(['mobileApp'], [])).toEqual([])
  })

  it('offers to exclude the not-licensed types the test found, keeping the tenant’s own exclusions', () => {
    const probes = [
      { policyType: 'conditionalAccessPolicy', access: 'not_licensed' },
      { policyType: 'mobileApp', access: 'readable' },
      { policyType: 'deviceManagementScript', access: 'missing_permission' }
    ]
    expect(withNotLicensed(['namedLocation'], probes)).toEqual(['conditionalAccessPolicy', 'namedLocation'])
    // nothing new to offer once they are excluded, or when every type is licensed
    expect(withNotLicensed(['conditionalAccessPolicy'], probes)).toBeNull()
    expect(withNotLicensed([], probes.slice(1))).toBeNull()
  })
})
