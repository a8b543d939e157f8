import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify
} from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import {
  parseCertificateBundle,
  parsePfx,
  pfxToPemBundle,
  toMsalClientCertificate
} from '../../main/auth/certificate'
import { FakeClock } from '../support/fake-clock'

const FIXTURES = join(__dirname, '../fixtures/auth')
const BUNDLE_A = readFileSync(join(FIXTURES, 'app-cert-a.pem'), 'utf8')
const BUNDLE_B = readFileSync(join(FIXTURES, 'app-cert-b.pem'), 'utf8')
const PFX_A = readFileSync(join(FIXTURES, 'app-cert-a.pfx'))

const blocks = (pem: string, label: string): string[] =>
  [...pem.matchAll(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g'))].map(
    (m) => m[0]
  )
const keyA = blocks(BUNDLE_A, 'PRIVATE KEY')[0]!
const certA = blocks(BUNDLE_A, 'CERTIFICATE')[0]!
const keyB = blocks(BUNDLE_B, 'PRIVATE KEY')[0]!
const certB = blocks(BUNDLE_B, 'CERTIFICATE')[0]!
const x509A = new X509Certificate(certA)

const during = new FakeClock(Date.parse('2030-01-01T00:00:00Z'))

function invalid(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AtlasError)
    expect((err as AtlasError).code).toBe('AUTH_CERTIFICATE_INVALID')
    return (err as AtlasError).message
  }
  throw new Error('expected AUTH_CERTIFICATE_INVALID')
}

async function invalidAsync(fn: () => Promise<unknown>): Promise<string> {
  const err: unknown = await fn().then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(AtlasError)
  expect((err as AtlasError).code).toBe('AUTH_CERTIFICATE_INVALID')
  return (err as AtlasError).message
}

describe('parseCertificateBundle', () => {
  it('computes the thumbprints the way Entra shows them', () => {
    const c = parseCertificateBundle(BUNDLE_A, { clock: during })
    // X509Certificate.fingerprint256 is an independent computation ("AB:CD:…")
    expect(c.thumbprintSha256).toBe(x509A.fingerprint256.replaceAll(':', '').toLowerCase())
    expect(c.thumbprintSha1).toBe(x509A.fingerprint.replaceAll(':', ''))
    expect(c.subject).toContain('tenant-atlas-test-app-a')
    expect(c.notBefore).toBe(Date.parse('2020-01-01T00:00:00Z'))
    expect(c.notAfter).toBe(Date.parse('2100-01-01T00:00:00Z'))
  })

  it('returns a PKCS#8 key that signs for the certificate, and the certificate for x5c', () => {
    const c = parseCertificateBundle(BUNDLE_A, { clock: during })
    expect(c.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    const data = Buffer.from('assertion')
    expect(verify('sha256', data, x509A.publicKey, sign('sha256', data, c.privateKey))).toBe(true)
    expect(new X509Certificate(c.x5c).fingerprint256).toBe(x509A.fingerprint256)
    expect(toMsalClientCertificate(c)).toEqual({
      thumbprintSha256: c.thumbprintSha256,
      privateKey: c.privateKey,
      x5c: c.x5c
    })
  })

  it('finds the leaf among chain certificates and puts it first', () => {
    const c = parseCertificateBundle([certB, keyA, certA].join('\n'), { clock: during })
    expect(c.thumbprintSha256).toBe(x509A.fingerprint256.replaceAll(':', '').toLowerCase())
    const order = blocks(c.x5c, 'CERTIFICATE').map((p) => new X509Certificate(p).fingerprint256)
    expect(order).toEqual([x509A.fingerprint256, new X509Certificate(certB).fingerprint256])
  })

  it('accepts a PKCS#1 key and an encrypted key with its passphrase', () => {
    const pkcs1 = createPrivateKey(keyA).export({ type: 'pkcs1', format: 'pem' }).toString()
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY')
    expect(parseCertificateBundle(`${pkcs1}\n${certA}`, { clock: during }).privateKey).toMatch(
      /BEGIN PRIVATE KEY/
    )

    const encrypted = createPrivateKey(keyA)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw-123' })
      .toString()
    const bundle = `${encrypted}\n${certA}`
    expect(parseCertificateBundle(bundle, { passphrase: 'pw-123', clock: during }).privateKey).toMatch(
      /BEGIN PRIVATE KEY/
    )
    expect(invalid(() => parseCertificateBundle(bundle, { clock: during }))).toMatch(
      /encrypted: provide its passphrase/
    )
    expect(invalid(() => parseCertificateBundle(bundle, { passphrase: 'nope', clock: during }))).toMatch(
      /wrong passphrase/
    )
  })

  it('rejects a key that does not belong to the certificate', () => {
    expect(invalid(() => parseCertificateBundle(`${keyB}\n${certA}`, { clock: during }))).toMatch(
      /does not match/
    )
  })

  it('rejects non-RSA keys (MSAL signs PS256)', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    expect(invalid(() => parseCertificateBundle(`${ec}\n${certA}`, { clock: during }))).toMatch(
      /ec; .* must be RSA/
    )
  })

  it('checks validity against the injected clock', () => {
    expect(
      invalid(() =>
        parseCertificateBundle(BUNDLE_A, { clock: new FakeClock(Date.parse('2100-01-01T00:00:00Z')) })
      )
    ).toMatch(/expired on 2100-01-01/)
    expect(
      invalid(() =>
        parseCertificateBundle(BUNDLE_A, { clock: new FakeClock(Date.parse('2019-12-31T23:59:59Z')) })
      )
    ).toMatch(/not valid before 2020-01-01/)
    expect(() =>
      parseCertificateBundle(BUNDLE_A, { clock: new FakeClock(Date.parse('2020-01-01T00:00:00Z')) })
    ).not.toThrow()
  })

  it('explains what is missing', () => {
    expect(invalid(() => parseCertificateBundle('', { clock: during }))).toMatch(/empty/)
    expect(invalid(() => parseCertificateBundle('hello', { clock: during }))).toMatch(/not PEM/)
    expect(invalid(() => parseCertificateBundle(certA, { clock: during }))).toMatch(/no private key/)
    expect(invalid(() => parseCertificateBundle(keyA, { clock: during }))).toMatch(/no certificate/)
    expect(invalid(() => parseCertificateBundle(`${keyA}\n${keyB}\n${certA}`, { clock: during }))).toMatch(
      /more than one private key/
    )
  })

  it('never puts key material in its messages', () => {
    const msg = invalid(() => parseCertificateBundle(`${keyB}\n${certA}`, { clock: during }))
    expect(msg).not.toContain('PRIVATE KEY-----')
    expect(msg).not.toContain(keyB.split('\n')[1])
  })
})

describe('PFX', () => {
  it('reads a PFX with its passphrase into the same credential as the PEM bundle', async () => {
    const fromPfx = await parsePfx(PFX_A, 'fixture-pass', { clock: during })
    const fromPem = parseCertificateBundle(readFileSync(join(FIXTURES, 'app-cert-a.pem'), 'utf8'), {
      clock: during
    })
    expect(fromPfx.thumbprintSha256).toBe(fromPem.thumbprintSha256)
    expect(createPublicKey(fromPfx.privateKey).export({ type: 'spki', format: 'pem' })).toBe(
      x509A.publicKey.export({ type: 'spki', format: 'pem' })
    )
    // what the vault stores is an ordinary PEM bundle
    expect(await pfxToPemBundle(PFX_A, 'fixture-pass')).toMatch(
      /-----BEGIN RSA PRIVATE KEY-----[\s\S]*-----BEGIN CERTIFICATE-----/
    )
  })

  it('refuses a wrong passphrase and garbage with AUTH_CERTIFICATE_INVALID, without echoing the passphrase', async () => {
    const msg = await invalidAsync(() => parsePfx(PFX_A, 'not-the-pass', { clock: during }))
    expect(msg).toMatch(/passphrase is wrong/)
    expect(msg).not.toContain('not-the-pass')
    expect(await invalidAsync(() => parsePfx(Buffer.from('not a pfx'), 'x', { clock: during }))).toMatch(
      /not a PFX/
    )
  })

  it('a base64 PFX stored where a PEM bundle belongs gets the same advice', () => {
    expect(invalid(() => parseCertificateBundle(PFX_A.toString('base64'), { clock: during }))).toMatch(/PFX/)
  })

  it('the public key of the fixture pair is what the certificate carries (fixture sanity)', () => {
    expect(createPublicKey(keyA).export({ type: 'spki', format: 'pem' })).toBe(
      x509A.publicKey.export({ type: 'spki', format: 'pem' })
    )
  })
})
