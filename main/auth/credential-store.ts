import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { parseCertificateBundle, pfxToPemBundle } from './certificate'
import type { SecretStore } from './secret-store'
import { AtlasError } from '../../domain/error-codes'
import { registerSecret } from '../util/redact'

/** A tenant's credential as the user gives it (add or edit a tenant); stored by `storeFor` as a reference. */
export type CredentialInput =
  | { kind: 'secret'; value: string }
  | { kind: 'secret_env'; variable: string }
  /**
   * a PEM bundle or PFX file the consultant keeps on disk (CLI); its passphrase, if any, is read at sync
   * time from the named environment variable, never stored
   */
  | { kind: 'certificate_file'; path: string; passphraseEnv?: string }
  | { kind: 'certificate_pem'; pem: string }
  /** a .pfx/.p12 file (base64); converted to a PEM bundle for the vault, the passphrase is not kept */
  | { kind: 'certificate_pfx'; pfxBase64: string; passphrase?: string }

export type AuthMethod = 'client_secret' | 'certificate'

/** where a tenant's credential lives, as its view shows it; the secret itself is never returned */
export type CredentialSource = 'vault' | 'env' | 'file' | 'demo' | 'none'

/** Secret used by the built-in demo tenant against its simulator; not a secret of anyone. */
export const DEMO_SECRET_REF = 'demo:client-secret'

/**
 * Resolves credential references stored on tenant rows. The reference scheme says where the secret is:
 * - `vault:tenant/<id>/…` the injected SecretStore (OS-protected on the desktop, memory in tests);
 * - `env:NAME`           an environment variable read at sync time (CLI automation; never persisted);
 * - `file:/abs/path`     a PEM bundle or PFX on disk that the consultant manages (CLI --certificate);
 * - `file-pass:VAR:/abs/path` the same, with its passphrase in environment variable VAR at sync time;
 * - `demo:…`             the demo tenant's simulator credential.
 * The database only ever holds the reference.
 */
export class CredentialStore implements SecretStore {
  readonly kind = 'credential-router'
  get persistent(): boolean {
    return this.vault.persistent
  }
  get warning(): string | undefined {
    return this.vault.warning
  }

  constructor(
    private readonly vault: SecretStore,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env
  ) {}

  static sourceOf(ref: string | null, isDemo: boolean): CredentialSource {
    if (isDemo || ref?.startsWith('demo:')) return 'demo'
    if (!ref) return 'none'
    if (ref.startsWith('env:')) return 'env'
    if (ref.startsWith('file:') || ref.startsWith('file-pass:')) return 'file'
    return 'vault'
  }

  async get(ref: string): Promise<string | undefined> {
    let value: string | undefined
    if (ref.startsWith('env:')) value = this.env[ref.slice(4)]
    else if (ref.startsWith('file:')) value = await this.certificateFile(ref.slice(5))
    else if (ref.startsWith('file-pass:')) {
      const rest = ref.slice('file-pass:'.length)
      const sep = rest.indexOf(':')
      value = await this.certificateFile(rest.slice(sep + 1), this.env[rest.slice(0, sep)])
    } else if (ref.startsWith('demo:')) value = 'demo-client-secret'
    else value = await this.vault.get(ref)
    if (value) registerSecret(value)
    return value || undefined
  }

  async set(ref: string, value: string): Promise<void> {
    if (!ref.startsWith('vault:'))
      throw new AtlasError('INVALID_INPUT', 'Only vault references can be written.')
    registerSecret(value)
    await this.vault.set(ref, value)
  }

  async delete(ref: string): Promise<void> {
    if (ref.startsWith('vault:')) await this.vault.delete(ref)
  }

  /**
   * A certificate file as the PEM bundle the token provider expects: PEM as is, or (with a passphrase)
   * decrypted; a PFX/PKCS#12 file converted. undefined when the file cannot be read.
   */
  private async certificateFile(path: string, passphrase?: string): Promise<string | undefined> {
    const bytes = await readFile(path).catch(() => undefined)
    if (!bytes) return undefined
    if (passphrase) registerSecret(passphrase)
    const text = bytes.toString('utf8')
    if (text.includes('-----BEGIN')) {
      if (!passphrase) return text
      // an encrypted key: hand MSAL the decrypted bundle (in memory only)
      const cert = parseCertificateBundle(text, { passphrase })
      return cert.privateKey + cert.x5c
    }
    return await pfxToPemBundle(bytes, passphrase)
  }

  /** Stores (or references) the credential of a new tenant and says how the tenant authenticates. */
  async storeFor(
    tenantId: string,
    credential: CredentialInput | { kind: 'demo' }
  ): Promise<{ authMethod: AuthMethod; secretRef: string; certificateThumbprint?: string }> {
    switch (credential.kind) {
      case 'demo':
        return { authMethod: 'client_secret', secretRef: DEMO_SECRET_REF }
      case 'secret': {
        const ref = `vault:tenant/${tenantId}/client-secret`
        await this.set(ref, credential.value)
        return { authMethod: 'client_secret', secretRef: ref }
      }
      case 'secret_env':
        return { authMethod: 'client_secret', secretRef: `env:${credential.variable}` }
      case 'certificate_file': {
        const path = isAbsolute(credential.path) ? credential.path : resolve(credential.path)
        const ref = credential.passphraseEnv
          ? `file-pass:${credential.passphraseEnv}:${path}`
          : `file:${path}`
        // read it now the way a sync will, so a wrong file or passphrase fails here and not at 2 a.m.
        const bundle = await this.get(ref)
        if (!bundle) {
          throw new AtlasError(
            'INVALID_INPUT',
            `Cannot read the certificate file ${path}` +
              (credential.passphraseEnv ? ` (or ${credential.passphraseEnv} is not set).` : '.')
          )
        }
        const cert = parseCertificateBundle(bundle)
        return { authMethod: 'certificate', secretRef: ref, certificateThumbprint: cert.thumbprintSha256 }
      }
      case 'certificate_pfx':
        return this.storeFor(tenantId, {
          kind: 'certificate_pem',
          pem: await pfxToPemBundle(Buffer.from(credential.pfxBase64, 'base64'), credential.passphrase)
        })
      case 'certificate_pem': {
        const cert = parseCertificateBundle(credential.pem)
        const ref = `vault:tenant/${tenantId}/certificate`
        await this.set(ref, credential.pem)
        return { authMethod: 'certificate', secretRef: ref, certificateThumbprint: cert.thumbprintSha256 }
      }
    }
  }

  async forget(ref: string): Promise<void> {
    await this.delete(ref)
  }
}
