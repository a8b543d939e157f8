import { X509Certificate, constants, createHash, createPrivateKey, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AtlasError, type ErrorCode } from '../../domain/error-codes'
import { cloudEndpoints, type CloudName } from '../../main/auth/clouds'
import { createMsalTokenProvider } from '../../main/auth/msal-token-provider'
import { MemorySecretStore } from '../../main/auth/secret-store'
import type { TenantAuthConfig } from '../../main/auth/token-provider'
import type { Logger } from '../../main/util/logger'
import { redactText } from '../../main/util/redact'
import { FakeClock } from '../support/fake-clock'
import {
  IdentityFake,
  httpsNetworkClient,
  startIdentityFake,
  type RunningIdentityFake
} from '../../main/demo/simulator/identity-fake'

const FIXTURES = join(__dirname, '../fixtures/auth')
const BUNDLE_A = readFileSync(join(FIXTURES, 'app-cert-a.pem'), 'utf8')
const BUNDLE_B = readFileSync(join(FIXTURES, 'app-cert-b.pem'), 'utf8')

const TENANT = '11111111-2222-3333-4444-555555555555'
const TENANT_2 = '66666666-7777-8888-9999-aaaaaaaaaaaa'
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
const SECRET = 'Qx8~fake.SECRET-value_0123456789abcdefXYZ'

// MSAL stamps assertions and its cache with the system clock, so the fake checks against real time; the
// provider's injected clock only drives certificate validity (fixtures are valid 2020..2100).
const providerClock = (): FakeClock => new FakeClock(Date.parse('2030-06-01T00:00:00Z'))

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const rec = (obj: Record<string, unknown>, msg?: string): void => {
    lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`)
  }
  return { lines, debug: rec, info: rec, warn: rec, error: rec }
}

function secretCfg(over: Partial<TenantAuthConfig> = {}): TenantAuthConfig {
  return {
    tenantKey: 't1',
    azureTenantId: TENANT,
    clientId: CLIENT,
    cloud: 'global',
    credential: { kind: 'secret', secretRef: 'tenant/t1/secret' },
    ...over
  }
}

function certCfg(over: Partial<TenantAuthConfig> = {}): TenantAuthConfig {
  return secretCfg({ credential: { kind: 'certificate', secretRef: 'tenant/t1/cert' }, ...over })
}

async function setup(opts: { tokenCanary?: string; fakeClock?: FakeClock } = {}) {
  const fake = new IdentityFake({
    ...(opts.tokenCanary ? { tokenCanary: opts.tokenCanary } : {}),
    ...(opts.fakeClock ? { clock: opts.fakeClock } : {})
  })
  const secrets = new MemorySecretStore()
  await secrets.set('tenant/t1/secret', SECRET)
  await secrets.set('tenant/t1/cert', BUNDLE_A)
  const logger = recordingLogger()
  const clock = providerClock()
  const provider = createMsalTokenProvider({ secrets, networkClient: fake, clock, logger })
  return { fake, secrets, provider, logger, clock }
}

function claims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

async function failure(p: Promise<unknown>): Promise<AtlasError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(AtlasError)
    return err as AtlasError
  }
  throw new Error('expected a rejection')
}

describe('client secret through real MSAL', () => {
  it('gets a JWT-shaped token for the right tenant and app, then serves it from the cache', async () => {
    const { fake, provider } = await setup()
    fake.registerApp({
      tenant: TENANT,
      clientId: CLIENT,
      secret: SECRET,
      roles: ['DeviceManagementApps.Read.All']
    })

    const t1 = await provider.getToken(secretCfg())
    expect(t1.split('.')).toHaveLength(3)
    expect(claims(t1)).toMatchObject({ tid: TENANT, appid: CLIENT, roles: ['DeviceManagementApps.Read.All'] })
    expect(claims(t1).aud).toBe('https://graph.microsoft.com')

    const t2 = await provider.getToken(secretCfg())
    expect(t2).toBe(t1)
    expect(fake.tokenRequests(CLIENT)).toBe(1)

    const post = fake.calls.find((c) => c.method === 'POST')
    expect(post?.form).toMatchObject({
      grant_type: 'client_credentials',
      client_id: CLIENT,
      client_secret: SECRET,
      scope: 'https://graph.microsoft.com/.default'
    })
  })

  it('forceRefresh sends a new token request and returns a new token', async () => {
    const { fake, provider } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
    const t1 = await provider.getToken(secretCfg())
    const t2 = await provider.getToken(secretCfg(), { forceRefresh: true })
    expect(t2).not.toBe(t1)
    expect(fake.tokenRequests(CLIENT)).toBe(2)
    // and the refreshed token is the one cached afterwards
    expect(await provider.getToken(secretCfg())).toBe(t2)
    expect(fake.tokenRequests(CLIENT)).toBe(2)
  })

  it('concurrent callers share one token request', async () => {
    const { fake, provider } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
    const tokens = await Promise.all([1, 2, 3, 4].map(() => provider.getToken(secretCfg())))
    expect(new Set(tokens).size).toBe(1)
    expect(fake.tokenRequests(CLIENT)).toBe(1)
  })

  it('sends the caller correlation id as client-request-id', async () => {
    const { fake, provider } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
    const correlationId = '0f0e0d0c-0b0a-4909-8807-060504030201'
    await provider.getToken(secretCfg(), { correlationId })
    const url = new URL(fake.calls[0]?.url ?? 'https://x')
    expect(url.searchParams.get('client-request-id')).toBe(correlationId)
  })

  it('registers the secret for redaction once it is read', async () => {
    const { fake, provider, secrets } = await setup()
    const secret = 'another-UNIQUE-secret-for-redaction-7731'
    await secrets.set('r', secret)
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret })
    expect(redactText(`a ${secret} b`)).toContain(secret) // not known yet
    await provider.getToken(secretCfg({ credential: { kind: 'secret', secretRef: 'r' } }))
    expect(redactText(`a ${secret} b`)).not.toContain(secret)
  })
})

describe('certificate through real MSAL', () => {
  it('signs a PS256 assertion with x5t#S256 that the fake verifies, and caches the token', async () => {
    const { fake, provider } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, certificatePem: BUNDLE_A })

    const t1 = await provider.getToken(certCfg())
    expect(claims(t1)).toMatchObject({ tid: TENANT, appid: CLIENT })
    expect(await provider.getToken(certCfg())).toBe(t1)
    expect(fake.tokenRequests(CLIENT)).toBe(1)

    const form = fake.calls.find((c) => c.method === 'POST')?.form ?? {}
    expect(form.client_secret).toBeUndefined()
    expect(form.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    const header = JSON.parse(
      Buffer.from(form.client_assertion?.split('.')[0] ?? '', 'base64url').toString()
    ) as Record<string, unknown>
    expect(header.alg).toBe('PS256')
    expect(typeof header['x5t#S256']).toBe('string')
    expect(Array.isArray(header.x5c)).toBe(true)
  })

  it('a certificate not registered on the app → AUTH_CERTIFICATE_INVALID (AADSTS700027), no key material in the message', async () => {
    const { fake, provider, secrets } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, certificatePem: BUNDLE_A })
    await secrets.set('tenant/t1/cert', BUNDLE_B)
    const err = await failure(provider.getToken(certCfg()))
    expect(err.code).toBe('AUTH_CERTIFICATE_INVALID')
    expect(err.message).toContain('AADSTS700027')
    expect(err.message).not.toMatch(/PRIVATE KEY|eyJ/)
    expect(err.details).toMatchObject({ aadsts: 700027, oauthError: 'invalid_client' })
  })

  it('a clock that is off → AUTH_CLOCK_SKEW (AADSTS700024)', async () => {
    // The identity service's clock runs 2 h ahead of this machine: the assertion (valid 10 min) is stale.
    const { fake, provider } = await setup({ fakeClock: new FakeClock(Date.now() + 2 * 3600_000) })
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, certificatePem: BUNDLE_A })
    const err = await failure(provider.getToken(certCfg()))
    expect(err.code).toBe('AUTH_CLOCK_SKEW')
    expect(err.message).toContain('AADSTS700024')
  })

  it('an expired certificate is refused before any request, also when it expires while the client is held', async () => {
    const { fake, provider, clock } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, certificatePem: BUNDLE_A })
    await provider.getToken(certCfg())
    expect(fake.tokenRequests(CLIENT)).toBe(1)
    clock.set(Date.parse('2100-01-01T00:00:01Z'))
    const err = await failure(provider.getToken(certCfg(), { forceRefresh: true }))
    expect(err.code).toBe('AUTH_CERTIFICATE_INVALID')
    expect(err.message).toMatch(/expired/)
    expect(fake.tokenRequests(CLIENT)).toBe(1)
  })

  it('a stored value that is not a PEM bundle → AUTH_CERTIFICATE_INVALID without a network call', async () => {
    const { fake, provider, secrets } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, certificatePem: BUNDLE_A })
    await secrets.set('tenant/t1/cert', 'not a certificate')
    const err = await failure(provider.getToken(certCfg()))
    expect(err.code).toBe('AUTH_CERTIFICATE_INVALID')
    expect(fake.calls).toHaveLength(0)
  })
})

describe('one client per tenant', () => {
  it('reuses the client per tenant, rebuilds only when the config changes or after forget()', async () => {
    const { fake, provider, secrets } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
    fake.registerApp({ tenant: TENANT_2, clientId: CLIENT, secret: 'second-tenant-secret-value' })
    await secrets.set('tenant/t2/secret', 'second-tenant-secret-value')
    const t2cfg = secretCfg({
      tenantKey: 't2',
      azureTenantId: TENANT_2,
      credential: { kind: 'secret', secretRef: 'tenant/t2/secret' }
    })

    const a = await provider.getToken(secretCfg())
    const b = await provider.getToken(t2cfg)
    expect(claims(b).tid).toBe(TENANT_2)
    await provider.getToken(secretCfg())
    await provider.getToken(t2cfg)
    expect(provider.stats()).toEqual({ clients: 2, built: 2 })
    expect(fake.tokenRequests(CLIENT, TENANT)).toBe(1)
    expect(fake.tokenRequests(CLIENT, TENANT_2)).toBe(1)

    // same tenantKey, different credential ref → a new client (and a new token request)
    await secrets.set('tenant/t1/secret-v2', SECRET)
    const c = await provider.getToken(
      secretCfg({ credential: { kind: 'secret', secretRef: 'tenant/t1/secret-v2' } })
    )
    expect(c).not.toBe(a)
    expect(provider.stats()).toEqual({ clients: 2, built: 3 })

    provider.forget('t2')
    expect(provider.stats().clients).toBe(1)
    await provider.getToken(t2cfg)
    expect(provider.stats()).toEqual({ clients: 2, built: 4 })
    expect(fake.tokenRequests(CLIENT, TENANT_2)).toBe(2)
  })

  it('a missing credential → AUTH_NO_CREDENTIAL, and storing it later is enough to recover', async () => {
    const { fake, provider, secrets } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
    await secrets.delete('tenant/t1/secret')
    const err = await failure(provider.getToken(secretCfg()))
    expect(err.code).toBe('AUTH_NO_CREDENTIAL')
    expect(fake.calls).toHaveLength(0)
    await secrets.set('tenant/t1/secret', SECRET)
    await expect(provider.getToken(secretCfg())).resolves.toMatch(/\./)
  })

  it('after a rejected secret, a corrected value in the vault is picked up without forget()', async () => {
    const { fake, provider, secrets } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
    await secrets.set('tenant/t1/secret', 'the-secret-ID-not-the-value-0000')
    expect((await failure(provider.getToken(secretCfg()))).code).toBe('AUTH_INVALID_SECRET')
    await secrets.set('tenant/t1/secret', SECRET)
    await expect(provider.getToken(secretCfg())).resolves.toMatch(/\./)
  })

  it('rejects invalid tenant and client ids before touching the network', async () => {
    const { fake, provider } = await setup()
    expect((await failure(provider.getToken(secretCfg({ azureTenantId: 'common' })))).code).toBe(
      'INVALID_INPUT'
    )
    expect((await failure(provider.getToken(secretCfg({ clientId: 'my-app' })))).code).toBe('INVALID_INPUT')
    expect(fake.calls).toHaveLength(0)
  })
})

describe('Entra errors → stable codes, messages without the secret', () => {
  const wrongSecret = 'WRONG-secret-value-that-must-not-leak-42'
  const cases: Array<{
    name: string
    reg: Parameters<IdentityFake['registerApp']>[0] | undefined
    aadsts: number
    code: ErrorCode
    hint: RegExp
  }> = [
    {
      name: 'wrong secret',
      reg: { tenant: TENANT, clientId: CLIENT, secret: 'the-real-one-xxxxxxxx' },
      aadsts: 7000215,
      code: 'AUTH_INVALID_SECRET',
      hint: /VALUE, not its ID/
    },
    {
      name: 'expired secret',
      reg: { tenant: TENANT, clientId: CLIENT, secret: wrongSecret, secretExpired: true },
      aadsts: 7000222,
      code: 'AUTH_SECRET_EXPIRED',
      hint: /expired/
    },
    {
      name: 'app not in tenant',
      reg: { tenant: TENANT, clientId: '99999999-9999-9999-9999-999999999999', secret: wrongSecret },
      aadsts: 700016,
      code: 'AUTH_APP_NOT_FOUND',
      hint: /adminconsent\?client_id=/
    },
    { name: 'unknown tenant', reg: undefined, aadsts: 90002, code: 'AUTH_TENANT_NOT_FOUND', hint: /cloud/ },
    {
      name: 'no admin consent',
      reg: { tenant: TENANT, clientId: CLIENT, secret: wrongSecret, consentMissing: true },
      aadsts: 65001,
      code: 'AUTH_CONSENT_MISSING',
      hint: new RegExp(`https://login\\.microsoftonline\\.com/${TENANT}/adminconsent\\?client_id=${CLIENT}`)
    }
  ]

  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      const { fake, secrets, logger } = await setup()
      if (c.reg) fake.registerApp(c.reg)
      await secrets.set('tenant/t1/secret', wrongSecret)
      const provider = createMsalTokenProvider({
        secrets,
        networkClient: fake,
        clock: providerClock(),
        logger
      })
      const err = await failure(provider.getToken(secretCfg()))
      expect(err.code).toBe(c.code)
      expect(err.message).toContain(`AADSTS${c.aadsts}`)
      expect(err.message).toMatch(c.hint)
      expect(err.message).toMatch(/trace [0-9a-f-]{36}/)
      // the message was built without the secret, not merely scrubbed afterwards
      expect(err.message).not.toContain(wrongSecret)
      expect(err.message).not.toContain('REDACTED')
      expect(logger.lines.join('\n')).not.toContain(wrongSecret)
    })
  }

  it('network failure → AUTH_NETWORK (retryable); identity service 503 → AUTH_NETWORK', async () => {
    const { fake, provider } = await setup()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
    fake.failNext('network')
    const net = await failure(provider.getToken(secretCfg()))
    expect(net.code).toBe('AUTH_NETWORK')
    expect(net.details).toMatchObject({ retryable: true })

    fake.failNext('unavailable')
    const unavailable = await failure(provider.getToken(secretCfg()))
    expect(unavailable.code).toBe('AUTH_NETWORK')

    // no throttling state is left behind: the next attempt goes out and succeeds
    await expect(provider.getToken(secretCfg())).resolves.toMatch(/\./)
  })

  it('never logs the token (canary planted in every token)', async () => {
    const { fake, provider, logger } = await setup({ tokenCanary: 'CANARY' })
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
    const token = await provider.getToken(secretCfg())
    expect(token).toContain('CANARY')
    await provider.getToken(secretCfg(), { forceRefresh: true })
    expect(logger.lines.length).toBeGreaterThan(0)
    const logs = logger.lines.join('\n')
    expect(logs).not.toContain('CANARY')
    expect(logs).not.toContain(SECRET)
  })
})

describe('national clouds: MSAL posts to the cloud authority, with no discovery calls', () => {
  const clouds: Array<{ cloud: CloudName; custom?: { authorityHost: string; graphEndpoint: string } }> = [
    { cloud: 'global' },
    { cloud: 'usgov' },
    { cloud: 'usgovdod' },
    { cloud: 'china' },
    {
      cloud: 'custom',
      custom: {
        authorityHost: 'https://login.contoso.test:8443',
        graphEndpoint: 'https://graph.contoso.test'
      }
    }
  ]
  for (const { cloud, custom } of clouds) {
    it(cloud, async () => {
      const { fake, provider } = await setup()
      fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET })
      const token = await provider.getToken(secretCfg({ cloud, ...(custom ? { custom } : {}) }))
      const e = cloudEndpoints(cloud, custom)
      expect(fake.tokenEndpointsCalled()).toEqual([`${e.authorityHost}/${TENANT}/oauth2/v2.0/token`])
      expect(fake.calls.filter((c) => c.method === 'GET')).toEqual([])
      expect(fake.calls[0]?.form?.scope).toBe(e.graphScope)
      expect(claims(token).aud).toBe(e.graphEndpoint)
    })
  }

  it('the expected hosts per cloud', () => {
    expect(cloudEndpoints('usgovdod').graphScope).toBe('https://dod-graph.microsoft.us/.default')
    expect(cloudEndpoints('china').authorityHost).toBe('https://login.chinacloudapi.cn')
  })
})

describe('over https (startIdentityFake)', () => {
  let running: RunningIdentityFake | undefined
  afterEach(async () => {
    await running?.close()
    running = undefined
  })

  it('secret and certificate both work against the TLS fake as a custom cloud', async () => {
    const cert = readFileSync(join(FIXTURES, 'identity-fake-tls.cert.pem'), 'utf8')
    const key = readFileSync(join(FIXTURES, 'identity-fake-tls.key.pem'), 'utf8')
    running = await startIdentityFake({ tls: { key, cert } })
    running.fake.registerApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET, certificatePem: BUNDLE_A })

    const secrets = new MemorySecretStore()
    await secrets.set('s', SECRET)
    await secrets.set('c', BUNDLE_A)
    const provider = createMsalTokenProvider({
      secrets,
      networkClient: httpsNetworkClient({ ca: cert }),
      clock: providerClock()
    })
    const custom = { authorityHost: running.origin, graphEndpoint: 'https://graph.fake.test' }

    const viaSecret = await provider.getToken(
      secretCfg({ tenantKey: 'a', cloud: 'custom', custom, credential: { kind: 'secret', secretRef: 's' } })
    )
    const viaCert = await provider.getToken(
      certCfg({
        tenantKey: 'b',
        cloud: 'custom',
        custom,
        credential: { kind: 'certificate', secretRef: 'c' }
      })
    )
    expect(claims(viaSecret).aud).toBe('https://graph.fake.test')
    expect(claims(viaCert).appid).toBe(CLIENT)
    expect(running.fake.tokenEndpointsCalled()).toEqual([
      `${running.origin}/${TENANT}/oauth2/v2.0/token`,
      `${running.origin}/${TENANT}/oauth2/v2.0/token`
    ])
  })
})

describe('identity fake assertion checks (what makes the certificate tests meaningful)', () => {
  const endpoint = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`

  function assertion(
    signWith: string,
    header: Record<string, unknown>,
    payload: Record<string, unknown>
  ): string {
    const h = Buffer.from(JSON.stringify(header)).toString('base64url')
    const p = Buffer.from(JSON.stringify(payload)).toString('base64url')
    const sig = sign('sha256', Buffer.from(`${h}.${p}`), {
      key: createPrivateKey(signWith),
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST
    })
    return `${h}.${p}.${sig.toString('base64url')}`
  }

  function post(fake: IdentityFake, jwt: string) {
    return fake.handle(
      'POST',
      endpoint,
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT,
        scope: 'https://graph.microsoft.com/.default',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt
      }).toString()
    )
  }

  it('accepts a correctly signed assertion and rejects a wrong key, a wrong audience and a stale one', () => {
    const fake = new IdentityFake()
    fake.registerApp({ tenant: TENANT, clientId: CLIENT, certificatePem: BUNDLE_A })
    const x5t = createHash('sha256').update(new X509Certificate(BUNDLE_A).raw).digest('base64url')
    const now = Math.floor(Date.now() / 1000)
    const good = { aud: endpoint, iss: CLIENT, sub: CLIENT, nbf: now, exp: now + 600, jti: 'x' }
    const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': x5t }

    expect(post(fake, assertion(BUNDLE_A, header, good)).status).toBe(200)
    const errorCodes = (r: { body: unknown }) => (r.body as { error_codes: number[] }).error_codes
    expect(errorCodes(post(fake, assertion(BUNDLE_B, header, good)))).toEqual([700027])
    expect(
      errorCodes(post(fake, assertion(BUNDLE_A, header, { ...good, aud: 'https://elsewhere/token' })))
    ).toEqual([700027])
    expect(
      errorCodes(post(fake, assertion(BUNDLE_A, header, { ...good, nbf: now - 4000, exp: now - 3400 })))
    ).toEqual([700024])
  })
})
