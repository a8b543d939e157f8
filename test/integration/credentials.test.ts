import { randomUUID } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../main/util/create-logger'
import { CATEGORIES } from '../../domain/policy-type'
import { IdentityFake } from '../../main/demo/simulator/identity-fake'
import {
  createHarness,
  FAKE_GRAPH_ORIGIN,
  FAKE_LOGIN_ORIGIN,
  syncAndWait,
  type Harness
} from '../support/harness'

const ALL = { categories: [...CATEGORIES] }
const CLIENT_ID = '22222222-3333-4444-5555-666666666666'
const AZURE_TENANT = 'fabrikam.onmicrosoft.com'
const CERT_PEM = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'auth', 'app-cert-a.pem'), 'utf8')

let h: Harness
afterEach(async () => h?.close())

/** Engine with the REAL MSAL token provider against the identity fake (no static tokens). */
async function withMsal(
  identity: IdentityFake,
  extra: Parameters<typeof createHarness>[0] = {}
): Promise<Harness> {
  const harness = await createHarness({ size: 200, ...extra })
  // a second engine on the same data dir whose tokens come from MSAL; the harness closes it too
  harness.atlas = harness.reopen({ tokenProvider: undefined, msalNetwork: identity, ...extra.atlas })
  harness.atlas.onSyncEvent((e) => harness.events.push(e))
  return harness
}

function addTenant(
  hh: Harness,
  credential: Parameters<Harness['atlas']['addTenant']>[0]['credential'],
  name = 'Fabrikam'
) {
  return hh.atlas.addTenant({
    displayName: name,
    azureTenantId: AZURE_TENANT,
    clientId: CLIENT_ID,
    cloud: 'custom',
    authorityHost: FAKE_LOGIN_ORIGIN,
    graphEndpoint: FAKE_GRAPH_ORIGIN,
    credential
  })
}

describe('credentials through real MSAL against the identity fake', () => {
  it('client secret: syncs, and the second sync reuses the cached token (one token request)', async () => {
    const identity = new IdentityFake()
    identity.registerApp({ tenant: AZURE_TENANT, clientId: CLIENT_ID, secret: 'fabrikam-secret-value' })
    h = await withMsal(identity)
    const tenant = await addTenant(h, { kind: 'secret', value: 'fabrikam-secret-value' })
    expect(tenant).toMatchObject({ authMethod: 'client_secret', credentialSource: 'vault' })
    expect((await syncAndWait({ atlas: h.atlas, tenant }, ALL)).status).toBe('success')
    expect((await syncAndWait({ atlas: h.atlas, tenant }, ALL)).status).toBe('success')
    expect(identity.tokenRequests(CLIENT_ID)).toBe(1)
    // the Graph fake saw the MSAL token, not a static one
    expect(h.fake.requests.every((r) => r.tokenSeen?.startsWith('eyJ'))).toBe(true)
  })

  it('certificate: signs a client assertion, stores only a vault reference and the thumbprint', async () => {
    const identity = new IdentityFake()
    identity.registerApp({ tenant: AZURE_TENANT, clientId: CLIENT_ID, certificatePem: CERT_PEM })
    h = await withMsal(identity)
    const tenant = await addTenant(h, { kind: 'certificate_pem', pem: CERT_PEM })
    expect(tenant.authMethod).toBe('certificate')
    expect(tenant.certificateThumbprint).toMatch(/^[0-9a-f]{64}$/)
    expect((await syncAndWait({ atlas: h.atlas, tenant }, { categories: ['apps'] })).status).toBe('success')
    const form = identity.calls.find((c) => c.method === 'POST')?.form
    expect(form?.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    expect(form).not.toHaveProperty('client_secret')
    const row = h.atlas.db.sqlite.prepare('SELECT * FROM tenants WHERE id = ?').get(tenant.id)
    expect(JSON.stringify(row)).not.toContain('PRIVATE KEY')
  })

  it('certificate from a PFX with its passphrase: same thumbprint, syncs, passphrase kept nowhere', async () => {
    const identity = new IdentityFake()
    identity.registerApp({ tenant: AZURE_TENANT, clientId: CLIENT_ID, certificatePem: CERT_PEM })
    h = await withMsal(identity)
    const pfx = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'auth', 'app-cert-a.pfx')).toString(
      'base64'
    )
    const tenant = await addTenant(h, { kind: 'certificate_pfx', pfxBase64: pfx, passphrase: 'fixture-pass' })
    const fromPem = await addTenant(h, { kind: 'certificate_pem', pem: CERT_PEM }, 'Fabrikam PEM')
    expect(tenant.certificateThumbprint).toBe(fromPem.certificateThumbprint)
    expect((await syncAndWait({ atlas: h.atlas, tenant }, { categories: ['apps'] })).status).toBe('success')
    h.atlas.db.sqlite.pragma('wal_checkpoint(PASSIVE)')
    for (const f of readdirSync(h.dir))
      expect(readFileSync(join(h.dir, f)).toString('latin1')).not.toContain('fixture-pass')
    await expect(
      addTenant(h, { kind: 'certificate_pfx', pfxBase64: pfx, passphrase: 'wrong' }, 'Fabrikam wrong pass')
    ).rejects.toMatchObject({ code: 'AUTH_CERTIFICATE_INVALID' })
    expect(h.atlas.listTenants().map((t) => t.displayName)).not.toContain('Fabrikam wrong pass')
  })

  it('a wrong secret fails the run with AUTH_INVALID_SECRET and a hint, before any Graph call', async () => {
    const identity = new IdentityFake()
    identity.registerApp({ tenant: AZURE_TENANT, clientId: CLIENT_ID, secret: 'the-right-one' })
    h = await withMsal(identity)
    const tenant = await addTenant(h, { kind: 'secret', value: 'the-secret-id-not-the-value' })
    const run = await syncAndWait({ atlas: h.atlas, tenant }, ALL)
    expect(run).toMatchObject({ status: 'failed', errorCodes: ['AUTH_INVALID_SECRET'] })
    expect(String((run.errorContext.fatal as { message: string }).message)).toMatch(/VALUE, not its ID/)
    expect(h.fake.requests).toHaveLength(0)
    const report = await h.atlas.testConnection({ tenantId: tenant.id })
    expect(report.auth).toMatchObject({ ok: false, code: 'AUTH_INVALID_SECRET' })
    expect(report.adminConsentUrl).toBe(
      `${FAKE_LOGIN_ORIGIN}/${AZURE_TENANT}/adminconsent?client_id=${CLIENT_ID}`
    )
  })
})

describe('test connection (permission preflight)', () => {
  it('reports per type: readable, missing permission with the scopes Graph named, not licensed', async () => {
    const identity = new IdentityFake()
    identity.registerApp({
      tenant: AZURE_TENANT,
      clientId: CLIENT_ID,
      secret: 's3cret-value',
      roles: ['DeviceManagementApps.Read.All']
    })
    h = await withMsal(identity)
    const tenant = await addTenant(h, { kind: 'secret', value: 's3cret-value' })
    h.fake.script({
      path: '/deviceManagement/deviceCompliancePolicies',
      times: Infinity,
      fault: {
        kind: 'forbidden',
        scopes: ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All']
      }
    })
    h.fake.script({
      path: '/deviceManagement/windowsDriverUpdateProfiles',
      times: Infinity,
      fault: { kind: 'forbidden' }
    })
    const report = await h.atlas.testConnection({
      tenantId: tenant.id,
      policyTypes: ['mobileApp', 'compliancePolicy', 'windowsDriverUpdateProfile']
    })
    expect(report.auth).toEqual({ ok: true, grantedRoles: ['DeviceManagementApps.Read.All'] })
    const byType = Object.fromEntries(report.types.map((t) => [t.policyType, t]))
    expect(byType.mobileApp).toMatchObject({ access: 'readable' })
    expect(byType.compliancePolicy).toMatchObject({
      access: 'missing_permission',
      code: 'GRAPH_FORBIDDEN',
      missingScopes: ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All']
    })
    expect(byType.windowsDriverUpdateProfile).toMatchObject({
      access: 'not_licensed',
      code: 'GRAPH_NOT_LICENSED'
    })
    expect(report.summary).toEqual({
      readable: 1,
      missing_permission: 1,
      not_licensed: 1,
      no_intune: 0,
      error: 0
    })
    // probes are minimal: one $top=1 GET per collection
    expect(h.fake.requests.map((r) => r.query.$top)).toEqual(['1', '1', '1'])

    // the sync classifies the same answers the same way: not collected, never empty
    const run = await syncAndWait(
      { atlas: h.atlas, tenant },
      { policy_types: ['mobileApp', 'compliancePolicy', 'windowsDriverUpdateProfile'] }
    )
    expect(run.typeOutcomes.compliancePolicy).toMatchObject({
      status: 'failed',
      errorCode: 'GRAPH_FORBIDDEN'
    })
    expect(run.typeOutcomes.windowsDriverUpdateProfile).toMatchObject({
      status: 'skipped',
      errorCode: 'GRAPH_NOT_LICENSED'
    })
    expect(run.status).toBe('partial')
  })

  it('says when the tenant has no Intune', async () => {
    const identity = new IdentityFake()
    identity.registerApp({ tenant: AZURE_TENANT, clientId: CLIENT_ID, secret: 's3cret-value' })
    h = await withMsal(identity)
    const tenant = await addTenant(h, { kind: 'secret', value: 's3cret-value' })
    h.fake.script({ path: /\/deviceManagement\//, times: Infinity, fault: { kind: 'notApplicable' } })
    const report = await h.atlas.testConnection({
      tenantId: tenant.id,
      policyTypes: ['compliancePolicy', 'conditionalAccessPolicy']
    })
    expect(report.types.map((t) => [t.policyType, t.access])).toEqual([
      ['compliancePolicy', 'no_intune'],
      ['conditionalAccessPolicy', 'readable']
    ])
  })

  it('rejects unknown policy types with INVALID_INPUT', async () => {
    h = await createHarness({ size: 50 })
    await expect(
      h.atlas.testConnection({ tenantId: h.tenant.id, policyTypes: ['nope'] })
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})

describe('canary', () => {
  it('a CANARY secret and CANARY tokens never reach the DB, its WAL, logs, persisted errors, exports or API values', async () => {
    const secret = `CANARY-${randomUUID()}`
    const identity = new IdentityFake({ tokenCanary: 'CANARY' })
    identity.registerApp({ tenant: AZURE_TENANT, clientId: CLIENT_ID, secret })
    const logFile = join('/tmp', `atlas-canary-${randomUUID()}.log`)
    const logger = createLogger({ destination: logFile, level: 'debug' })
    h = await withMsal(identity, { atlas: { logger, graph: { retry: { maxAttempts: 2 } } } })
    const tenant = await addTenant(h, { kind: 'secret', value: secret })
    // the error paths too: a 401 (token refresh), throttling, a server error, a forbidden type
    h.fake.script({ path: '/deviceAppManagement/mobileApps', times: 1, fault: { kind: 'unauthorized' } })
    h.fake.script({
      path: '/deviceManagement/deviceCompliancePolicies',
      times: 1,
      fault: { kind: 'status429', retryAfter: 'int', seconds: 2 }
    })
    h.fake.script({
      path: '/deviceManagement/configurationPolicies',
      times: Infinity,
      fault: { kind: 'status500' }
    })
    h.fake.script({
      path: '/deviceManagement/roleDefinitions',
      times: Infinity,
      fault: { kind: 'forbidden', scopes: ['DeviceManagementRBAC.Read.All'] }
    })
    const run = await syncAndWait({ atlas: h.atlas, tenant }, ALL)
    expect(run.status).toBe('partial')
    // the wrong-secret path puts the secret in flight too
    const bad = await addTenant(h, { kind: 'secret', value: `${secret}-wrong` }, 'Fabrikam wrong')
    const badRun = await syncAndWait({ atlas: h.atlas, tenant: bad }, ALL)
    expect(badRun.errorCodes).toEqual(['AUTH_INVALID_SECRET'])
    expect(identity.tokenRequests(CLIENT_ID)).toBeGreaterThanOrEqual(2)

    const returned = JSON.stringify([
      run,
      badRun,
      h.atlas.listTenants(),
      h.atlas.listRuns({ tenantId: tenant.id }),
      h.atlas.getMissing({ tenantId: tenant.id, selection: ALL }),
      h.atlas.listInventory({ tenantId: tenant.id, limit: 10_000 }),
      await h.atlas.testConnection({ tenantId: tenant.id }),
      await h.atlas.testConnection({ tenantId: bad.id }),
      h.events
    ])
    expect(returned).not.toContain('CANARY')
    for (const view of ['inventory', 'missing', 'runs'] as const) {
      const path = join(h.dir, `${view}.csv`)
      await h.atlas.exportCsv({ view, tenant: { all: true }, path })
    }
    logger.flush()
    expect(readFileSync(logFile, 'utf8')).not.toContain('CANARY')
    h.atlas.db.sqlite.pragma('wal_checkpoint(PASSIVE)')
    const files = readdirSync(h.dir)
    expect(files).toEqual(expect.arrayContaining(['tenant-atlas.db', 'tenant-atlas.db-wal', 'runs.csv']))
    for (const f of files) expect(readFileSync(join(h.dir, f)).toString('latin1'), f).not.toContain('CANARY')
  })
})
