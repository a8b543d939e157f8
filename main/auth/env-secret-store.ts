import { AtlasError } from '../../domain/error-codes'
import type { SecretStore } from './secret-store'

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]{0,127})$/

/**
 * The CLI's secret store: refs look like `env:ATLAS_CONTOSO_SECRET` and the value is read from the
 * environment at the moment it is needed.
 *
 * What persists is the REF (it is saved with the tenant), never the secret: the operator's shell,
 * CI secret store or password manager owns the value. `persistent` is therefore false.
 *
 * set() never writes anywhere: not to disk and not to process.env (child processes would inherit it).
 * It only keeps the value in this object for the rest of the process, which is what a CLI command that
 * received the secret on stdin needs to use it once.
 */
export class EnvSecretStore implements SecretStore {
  readonly kind = 'env'
  readonly persistent = false
  private readonly session = new Map<string, string>()

  constructor(private readonly env: Readonly<Record<string, string | undefined>> = process.env) {}

  async get(ref: string): Promise<string | undefined> {
    const name = envVarName(ref)
    const value = this.session.get(name) ?? this.env[name]
    // An exported-but-empty variable is a mistake, not a secret.
    return value === undefined || value === '' ? undefined : value
  }

  async set(ref: string, value: string): Promise<void> {
    if (typeof value !== 'string' || value.length === 0) {
      throw new AtlasError('INVALID_INPUT', 'A secret value must be a non-empty string.')
    }
    this.session.set(envVarName(ref), value)
  }

  async delete(ref: string): Promise<void> {
    // The environment belongs to the caller; only the session copy can be dropped.
    this.session.delete(envVarName(ref))
  }
}

/** `env:NAME` → NAME, or INVALID_INPUT explaining the expected form. */
export function envVarName(ref: string): string {
  const m = typeof ref === 'string' ? ENV_REF.exec(ref) : null
  if (!m?.[1]) {
    // The offending ref is not echoed: people paste the secret itself into the ref field.
    throw new AtlasError(
      'INVALID_INPUT',
      'The secret reference must look like env:VARIABLE_NAME (letters, digits and underscore).'
    )
  }
  return m[1]
}
