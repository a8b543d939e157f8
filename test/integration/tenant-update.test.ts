import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { IdentityFake } from '../../main/demo/simulator/identity-fake'
import {
  createHarness,
  FAKE_GRAPH_ORIGIN,
  FAKE_LOGIN_ORIGIN,
  syncAndWait,
  type Harness
} from '../support/harness'

/**
 * updateTenant on the real engine with real MSAL against the identity fake: a corrected secret is used at
 * once (the cached token and client are forgotten), bad input changes nothing, and a credential of another
 * kind replaces the old one in the vault.
 */

const CLIENT_ID = '22222222-3333-4444-5555-666666666666'
const AZURE_TENANT = 'fabrikam.onmicrosoft.com'
const SELECTION = { policy_types: ['compliancePolicy'] }
const CERT_PEM = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'auth', 'app-cert-a.pem'), 'utf8')

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function withMsal(identity: IdentityFake): Promise<Harness> {
  const harness = await createHarness({ size: 30 })
  harness.atlas = harness.reopen({ tokenProvider: undefined, msalNetwork: identity })
  return harness
}

function addFabrikam(hh: Harness, secret: string) {
  return hh.atlas.addTenant({
    displayName: 'Fabrikam',
    azureTenantId: AZURE_TENANT,
    clientId: CLIENT_ID,
    cloud: 'custom',
    authorityHost: FAKE_LOGIN_ORIGIN,
    graphEndpoint: FAKE_GRAPH_ORIGIN,
    credential: { kind: 'secret', value: secret }
  })
}

describe('updateTenant', () => {
  it('a corrected secret is used by the next sync (the old token and client are forgotten)', async () => {
    const identity = new IdentityFake()
    identity.registerApp({ tenant: AZURE_TENANT, clientId: CLIENT_ID, secret: 'right-secret-value' })
    h = await withMsal(identity)
    const tenant = await addFabrikam(h, 'wrong-secret-value')
    const failed = await syncAndWait({ atlas: h.atlas, tenant }, SELECTION)
    expect(failed.errorCodes).toEqual(['AUTH_INVALID_SECRET'])

    const updated = await h.atlas.updateTenant({
      idOrName: 'Fabrikam',
      displayName: 'Fabrikam EU',
      credential: { kind: 'secret', value: 'right-secret-value' }
    })
    expect(updated).toMatchObject({ id: tenant.id, displayName: 'Fabrikam EU', credentialSource: 'vault' })
    expect(updated.updatedAt >= tenant.updatedAt).toBe(true)
    const ok = await syncAndWait({ atlas: h.atlas, tenant }, SELECTION)
    expect(ok.status).toBe('success')
  })

  it('checks the edited tenant like a new one and changes nothing when it is wrong', async () => {
    h = await createHarness({ size: 10 })
    await h.addTenant('Northwind')
    const before = h.atlas.getTenant(h.tenant.id)
    const attempts: Array<[Parameters<Harness['atlas']['updateTenant']>[0], RegExp]> = [
      [{ idOrName: 'Contoso', clientId: 'not-a-guid' }, /client \(application\) id must be a GUID/],
      [{ idOrName: 'Contoso', displayName: 'Northwind' }, /already exists/],
      [{ idOrName: 'Contoso', graphEndpoint: null }, /custom cloud needs both/],
      [{ idOrName: 'Contoso', cloud: 'global' }, /only for the custom cloud/],
      [{ idOrName: 'Contoso', credential: { kind: 'certificate_pem', pem: 'not a pem' } }, /./]
    ]
    for (const [input, message] of attempts) {
      await expect(h.atlas.updateTenant(input), JSON.stringify(input)).rejects.toMatchObject({
        code: expect.stringMatching(/INVALID_INPUT|AUTH_CERTIFICATE_INVALID/),
        message: expect.stringMatching(message)
      })
    }
    expect(h.atlas.getTenant(h.tenant.id)).toEqual(before)
    await expect(h.atlas.updateTenant({ idOrName: 'nobody' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('moves a tenant to the global cloud when both custom endpoints are cleared', async () => {
    h = await createHarness({ size: 10 })
    const moved = await h.atlas.updateTenant({
      idOrName: h.tenant.id,
      cloud: 'global',
      authorityHost: null,
      graphEndpoint: null
    })
    expect(moved).toMatchObject({ cloud: 'global', authorityHost: null, graphEndpoint: null })
  })

  it('replaces a secret with a certificate and forgets the secret', async () => {
    h = await createHarness({ size: 10 })
    const vault = new MemorySecretStore()
    const atlas = h.reopen({ secretStore: vault })
    const tenant = await atlas.addTenant({
      displayName: 'Tailspin',
      azureTenantId: 'tailspin.onmicrosoft.com',
      clientId: CLIENT_ID,
      cloud: 'global',
      credential: { kind: 'secret', value: 'tailspin-secret-value' }
    })
    const secretRef = `vault:tenant/${tenant.id}/client-secret`
    expect(await vault.get(secretRef)).toBe('tailspin-secret-value')
    const updated = await atlas.updateTenant({
      idOrName: tenant.id,
      credential: { kind: 'certificate_pem', pem: CERT_PEM }
    })
    expect(updated).toMatchObject({ authMethod: 'certificate', credentialSource: 'vault' })
    expect(updated.certificateThumbprint).toMatch(/\S/)
    expect(await vault.get(secretRef)).toBeUndefined()
    expect(await vault.get(`vault:tenant/${tenant.id}/certificate`)).toBe(CERT_PEM)
  })

  it('refuses while the tenant syncs', async () => {
    h = await createHarness({ size: 10 })
    const { requestId } = h.atlas.startSync({ tenantId: h.tenant.id, selection: SELECTION, trigger: 'test' })
    await expect(h.atlas.updateTenant({ idOrName: h.tenant.id, displayName: 'X' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/sync in progress/)
    })
    await h.atlas.waitForSync(requestId)
  })

  it('lets the demo tenant change only its name', async () => {
    h = await createHarness({ size: 10 })
    const demo = await h.atlas.addTenant({
      displayName: 'Demo',
      azureTenantId: 'contoso-demo.tenant-atlas.invalid',
      clientId: '33333333-4444-5555-6666-777777777777',
      cloud: 'custom',
      authorityHost: 'https://login.demo.tenant-atlas.invalid',
      graphEndpoint: 'https://graph.demo.tenant-atlas.invalid',
      credential: { kind: 'secret', value: 'x' },
      isDemo: true
    })
    await expect(h.atlas.updateTenant({ idOrName: demo.id, clientId: CLIENT_ID })).rejects.toMatchObject({
      code: 'INVALID_INPUT'
    })
    expect(await h.atlas.updateTenant({ idOrName: demo.id, displayName: 'Demo tenant' })).toMatchObject({
      displayName: 'Demo tenant',
      isDemo: true
    })
  })
})
