import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { parseCertificateBundle, pfxToPemBundle } from '../auth/certificate'
import type { SecretStore } from '../auth/secret-store'
import { AtlasError } from '../domain/error-codes'
import { registerSecret } from '../util/redact'
import type { AddTenantInput, TenantView } from './atlas-api'

/** Secret used by the built-in demo tenant against its simulator; not a secret of anyone. */
export const DEMO_SECRET_REF = 'demo:client-secret'

/**
 * Resolves credential references stored on tenant rows. The reference scheme says where the secret is:
 * - `vault:tenant/<id>/…` the injected SecretStore (OS-protected on the desktop, memory in tests);
 * - `env:NAME`           an environment variable read at sync time (CLI automation; never persisted);
 * - `file:/abs/path`     a PEM bundle on disk that the consultant manages (CLI --certificate);
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

  static sourceOf(ref: string | null, isDemo: boolean): TenantView['credentialSource'] {
    if (isDemo || ref?.startsWith('demo:')) return 'demo'
    if (!ref) return 'none'
    if (ref.startsWith('env:')) return 'env'
    if (ref.startsWith('file:')) return 'file'
    return 'vault'
  }

  async get(ref: string): Promise<string | undefined> {
    let value: string | undefined
    if (ref.startsWith('env:')) value = this.env[ref.slice(4)]
    else if (ref.startsWith('file:')) value = await readFile(ref.slice(5), 'utf8').catch(() => undefined)
    else if (ref.startsWith('demo:')) value = 'demo-client-secret'
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

  /** Stores (or references) the credential of a new tenant and says how the tenant authenticates. */
  async storeFor(
    tenantId: string,
    credential: AddTenantInput['credential'] | { kind: 'demo' }
  ): Promise<{ authMethod: TenantView['authMethod']; secretRef: string; certificateThumbprint?: string }> {
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
        const pem = await readFile(path, 'utf8').catch(() => {
          throw new AtlasError('INVALID_INPUT', `Cannot read the certificate file ${path}.`)
        })
        const cert = parseCertificateBundle(pem, { passphrase: credential.passphrase })
        return {
          authMethod: 'certificate',
          secretRef: `file:${path}`,
          certificateThumbprint: cert.thumbprintSha256
        }
      }
      case 'certificate_pfx':
        return this.storeFor(tenantId, {
          kind: 'certificate_pem',
          pem: pfxToPemBundle(Buffer.from(credential.pfxBase64, 'base64'), credential.passphrase)
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
