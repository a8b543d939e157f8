import { AtlasError } from '../../domain/error-codes'

/**
 * Where client secrets and certificate keys live. Everything else (tenant rows, config, logs) holds only
 * a `ref`. Async from day one because the OS keyring APIs are (Electron's safeStorage async API).
 */
export interface SecretStore {
  /** short name for diagnostics: 'memory', 'env', 'electron-safe-storage', … */
  readonly kind: string
  /** true when a value given to set() survives a restart */
  readonly persistent: boolean
  /** when secrets cannot be protected at rest: why, in words for the user (shown as a banner) */
  readonly warning?: string
  get(ref: string): Promise<string | undefined>
  set(ref: string, value: string): Promise<void>
  delete(ref: string): Promise<void>
}

// Refs end up in SQLite, JSON files and log lines: keep them to a boring, printable alphabet.
const REF = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/

export function validateSecretRef(ref: string): string {
  if (typeof ref !== 'string' || !REF.test(ref)) {
    throw new AtlasError(
      'INVALID_INPUT',
      'A secret reference must be 1-200 characters of letters, digits and . _ : / @ - (starting with a letter or digit).'
    )
  }
  return ref
}

/** Session-only store: for tests, and the fallback when no OS keyring is available. */
export class MemorySecretStore implements SecretStore {
  readonly kind: string = 'memory'
  readonly persistent: boolean = false
  private readonly values = new Map<string, string>()

  async get(ref: string): Promise<string | undefined> {
    return this.values.get(validateSecretRef(ref))
  }

  async set(ref: string, value: string): Promise<void> {
    if (typeof value !== 'string' || value.length === 0) {
      throw new AtlasError('INVALID_INPUT', 'A secret value must be a non-empty string.')
    }
    this.values.set(validateSecretRef(ref), value)
  }

  async delete(ref: string): Promise<void> {
    this.values.delete(validateSecretRef(ref))
  }
}
