import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto'
import type forge from 'node-forge'
import { AtlasError } from '../../domain/error-codes'
import { isoTime, systemClock, type Clock } from '../util/clock'

/** A certificate credential, checked and ready for MSAL. `privateKey` is secret material. */
export interface ParsedCertificate {
  /** hex, lower case: what Entra shows as the certificate thumbprint (SHA-256 form) */
  thumbprintSha256: string
  /** hex, upper case: the legacy SHA-1 thumbprint the Entra portal lists; for display and matching only */
  thumbprintSha1: string
  /** unencrypted PKCS#8 PEM: MSAL signs the client assertion with it */
  privateKey: string
  /** the leaf certificate first, then any chain certificates, as PEM (MSAL turns it into the x5c header) */
  x5c: string
  subject: string
  notBefore: number
  notAfter: number
}

/** Exactly the shape of MSAL's `auth.clientCertificate`. */
export interface MsalClientCertificate {
  thumbprintSha256: string
  privateKey: string
  x5c: string
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g
// PKCS#12 bag type OIDs (RFC 7292 §4.2); forge's own oid table is typed as possibly missing
const KEY_BAG = '1.2.840.113549.1.12.10.1.1'
const PKCS8_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2'
const CERT_BAG = '1.2.840.113549.1.12.10.1.3'

const PFX_HINT =
  'Import the .pfx file as a PFX (with its passphrase), or convert it to a PEM bundle, e.g. ' +
  '`openssl pkcs12 -in cert.pfx -nodes -out bundle.pem` (the bundle must contain the private key and the certificate).'

/**
 * Parses the PEM bundle stored for a certificate credential (private key + certificate, optionally the
 * chain; the key may be encrypted when a passphrase is given) and checks what would otherwise only fail
 * at the token endpoint with an opaque AADSTS error: the key matches the certificate, the key is RSA (MSAL
 * signs PS256), and the certificate is valid at `clock.now()`.
 */
export function parseCertificateBundle(
  bundle: string,
  opts: { passphrase?: string; clock?: Clock } = {}
): ParsedCertificate {
  if (typeof bundle !== 'string' || bundle.trim() === '') {
    throw invalid(
      'The certificate credential is empty: store a PEM bundle with the private key and the certificate.'
    )
  }
  const blocks = [...bundle.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1] ?? '', pem: m[0] }))
  if (blocks.length === 0) {
    if (looksLikeBase64Pfx(bundle))
      throw invalid(`This looks like a PFX/PKCS#12 file, which is not supported. ${PFX_HINT}`)
    throw invalid(
      'The certificate credential is not PEM: expected -----BEGIN PRIVATE KEY----- and -----BEGIN CERTIFICATE----- blocks.'
    )
  }

  const keyBlocks = blocks.filter((b) => b.label.endsWith('PRIVATE KEY'))
  if (keyBlocks.length !== 1) {
    throw invalid(
      keyBlocks.length === 0
        ? 'The PEM bundle has no private key: it must contain the private key and the certificate.'
        : 'The PEM bundle has more than one private key: keep only the key of the app certificate.'
    )
  }
  const key = readPrivateKey(keyBlocks[0]!.pem, keyBlocks[0]!.label, opts.passphrase)
  // MSAL signs the client assertion with PS256 (RSA-PSS): any other key type fails only at sign-in.
  if (key.asymmetricKeyType !== 'rsa') {
    throw invalid(
      `The private key is ${key.asymmetricKeyType ?? 'of an unknown type'}; Entra app certificates used here must be RSA.`
    )
  }

  const certs = blocks
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => {
      try {
        return new X509Certificate(b.pem)
      } catch {
        throw invalid('A CERTIFICATE block in the PEM bundle could not be parsed.')
      }
    })
  if (certs.length === 0)
    throw invalid('The PEM bundle has no certificate: add the -----BEGIN CERTIFICATE----- block.')

  // The leaf is whichever certificate the key belongs to; the others are chain certificates.
  const leaf = certs.find((c) => c.checkPrivateKey(key))
  if (!leaf) {
    throw invalid(
      'The private key does not match the certificate in the bundle (they come from different key pairs).'
    )
  }

  const notBefore = Date.parse(leaf.validFrom)
  const notAfter = Date.parse(leaf.validTo)
  const now = (opts.clock ?? systemClock).now()
  const thumbprintSha256 = createHash('sha256').update(leaf.raw).digest('hex')
  if (now >= notAfter) {
    throw invalid(
      `The certificate ${thumbprintSha256} expired on ${isoTime(notAfter)}: upload a new one to the app registration.`
    )
  }
  if (now < notBefore) {
    throw invalid(
      `The certificate ${thumbprintSha256} is not valid before ${isoTime(notBefore)}: check the computer's clock or the certificate.`
    )
  }

  return {
    thumbprintSha256,
    thumbprintSha1: createHash('sha1').update(leaf.raw).digest('hex').toUpperCase(),
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    x5c: [leaf, ...certs.filter((c) => c !== leaf)].map((c) => c.toString().trim()).join('\n') + '\n',
    subject: leaf.subject,
    notBefore,
    notAfter
  }
}

/**
 * Converts a PFX/PKCS#12 file (what Windows and the Azure portal export) to the PEM bundle the vault stores.
 * node:crypto has no PKCS#12 reader (tls.createSecureContext accepts a PFX but never exposes the key), so
 * node-forge decodes it. Only the key and certificates are kept; the passphrase is not needed afterwards.
 * node-forge is loaded here, on the first PFX, not with the engine: a CLI command that never reads a PFX
 * does not pay for evaluating it at start.
 */
export async function pfxToPemBundle(pfx: Uint8Array, passphrase = ''): Promise<string> {
  const { default: forge } = await import('node-forge')
  let p12: forge.pkcs12.Pkcs12Pfx
  try {
    const der = forge.util.createBuffer(Buffer.from(pfx).toString('binary'))
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, passphrase)
  } catch {
    throw invalid(
      'The PFX file could not be opened: the passphrase is wrong or the file is not a PFX/PKCS#12 certificate.'
    )
  }
  const bagsOf = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? []
  const keys = [...bagsOf(PKCS8_SHROUDED_KEY_BAG), ...bagsOf(KEY_BAG)].flatMap((bag) =>
    bag.key ? [bag.key] : []
  )
  const certs = bagsOf(CERT_BAG).flatMap((bag) => (bag.cert ? [bag.cert] : []))
  if (keys.length !== 1) {
    throw invalid(
      keys.length === 0
        ? 'The PFX file has no private key (or only an unsupported kind): export it with its private key.'
        : 'The PFX file holds more than one private key: export only the app certificate.'
    )
  }
  if (certs.length === 0) throw invalid('The PFX file has no certificate.')
  return [
    forge.pki.privateKeyToPem(keys[0]!),
    ...certs.map((c: forge.pki.Certificate) => forge.pki.certificateToPem(c))
  ].join('')
}

/** A PFX checked like a PEM bundle (key matches certificate, RSA, valid now). */
export async function parsePfx(
  pfx: Uint8Array,
  passphrase?: string,
  opts: { clock?: Clock } = {}
): Promise<ParsedCertificate> {
  return parseCertificateBundle(await pfxToPemBundle(pfx, passphrase), opts)
}

export function toMsalClientCertificate(c: ParsedCertificate): MsalClientCertificate {
  return { thumbprintSha256: c.thumbprintSha256, privateKey: c.privateKey, x5c: c.x5c }
}

function readPrivateKey(pem: string, label: string, passphrase: string | undefined): KeyObject {
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(pem)
  if (encrypted && !passphrase) {
    throw invalid('The private key is encrypted: provide its passphrase or store an unencrypted key.')
  }
  try {
    return createPrivateKey(
      passphrase ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' }
    )
  } catch {
    // node's message may quote key material in odd cases; say what matters instead.
    throw invalid(
      encrypted
        ? 'The private key could not be decrypted: wrong passphrase?'
        : 'The private key could not be read.'
    )
  }
}

function looksLikeBase64Pfx(s: string): boolean {
  const compact = s.replace(/\s+/g, '')
  // DER SEQUENCE with a long-form length encodes to "MII" in base64; PFX files always start that way.
  return /^MII[A-Za-z0-9+/]+={0,2}$/.test(compact)
}

function invalid(message: string): AtlasError {
  return new AtlasError('AUTH_CERTIFICATE_INVALID', message)
}
