import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { AtlasError } from '../../domain/error-codes'
import { validateSecretRef, type SecretStore } from '../auth/secret-store'

/**
 * The slice of Electron's `safeStorage` this store uses, so tests inject a fake and never load electron.
 * The async methods exist on the pinned Electron 45 (the sync ones are deprecated there and removed in 46);
 * the sync ones are only a fallback for a runtime that lacks them.
 */
export interface SafeStorageLike {
  getSelectedStorageBackend?(): string
  isEncryptionAvailable(): boolean
  isAsyncEncryptionAvailable?(): Promise<boolean>
  encryptStringAsync?(plainText: string): Promise<Buffer>
  decryptStringAsync?(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>
  encryptString?(plainText: string): Buffer
  decryptString?(encrypted: Buffer): string
}

export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStorageLike
  /** JSON file of base64 ciphertexts, e.g. <userData>/secrets.json */
  filePath: string
  /** injectable for tests; defaults to process.platform */
  platform?: NodeJS.Platform
}

interface Cipher {
  encrypt(plain: string): Promise<Buffer>
  decrypt(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>
}

interface SecretFile {
  version: 1
  /** ref → base64 of the safeStorage ciphertext */
  entries: Record<string, string>
}

/**
 * Backends under which safeStorage "encrypts" with Chromium's hard-coded password (basic_text), or has not
 * chosen a backend yet (unknown, before app ready): a file written then would be plaintext in disguise.
 */
const UNSAFE_LINUX_BACKENDS = new Set(['basic_text', 'unknown'])

/**
 * Secrets encrypted with the OS keyring (Keychain, DPAPI, libsecret/kwallet) via Electron safeStorage,
 * ciphertexts kept in a small JSON file. Fails closed: when the keyring is missing or fake, nothing is
 * written to disk; secrets live in memory for the session and `warning` says why (shown as a UI banner).
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind: string
  readonly persistent: boolean
  private readonly session = new Map<string, string>()
  private writes: Promise<void> = Promise.resolve()

  private constructor(
    private readonly filePath: string,
    private readonly cipher: Cipher | undefined,
    private readonly entries: Record<string, string>,
    readonly warning: string | undefined
  ) {
    this.persistent = cipher !== undefined
    this.kind = cipher ? 'electron-safe-storage' : 'memory'
  }

  /** Decides between keyring-backed and memory-only once, at startup (after app ready). */
  static async open(opts: SafeStorageSecretStoreOptions): Promise<SafeStorageSecretStore> {
    const platform = opts.platform ?? process.platform
    const ss = opts.safeStorage
    if (platform === 'linux') {
      const backend = ss.getSelectedStorageBackend?.() ?? 'unknown'
      if (UNSAFE_LINUX_BACKENDS.has(backend)) {
        return new SafeStorageSecretStore(
          opts.filePath,
          undefined,
          {},
          backend === 'basic_text'
            ? 'No system keyring (GNOME Keyring / KWallet) was found, so credentials are kept in memory only and must be entered again after a restart.'
            : 'The system keyring was not ready, so credentials are kept in memory only and must be entered again after a restart.'
        )
      }
    }
    const available = ss.isAsyncEncryptionAvailable
      ? await ss.isAsyncEncryptionAvailable()
      : ss.isEncryptionAvailable()
    const cipher = available ? cipherOf(ss) : undefined
    if (!cipher) {
      return new SafeStorageSecretStore(
        opts.filePath,
        undefined,
        {},
        'Encryption with the system keyring is not available, so credentials are kept in memory only and must be entered again after a restart.'
      )
    }
    const loaded = await loadFile(opts.filePath)
    return new SafeStorageSecretStore(opts.filePath, cipher, loaded.entries, loaded.warning)
  }

  async get(ref: string): Promise<string | undefined> {
    validateSecretRef(ref)
    if (!this.cipher) return this.session.get(ref)
    const stored = this.entries[ref]
    if (stored === undefined) return undefined
    let decrypted: { result: string; shouldReEncrypt: boolean }
    try {
      decrypted = await this.cipher.decrypt(Buffer.from(stored, 'base64'))
    } catch {
      throw new AtlasError(
        'AUTH_NO_CREDENTIAL',
        `The stored credential ${ref} could not be decrypted (the system keyring changed?). Enter it again.`,
        { secretRef: ref, store: this.kind }
      )
    }
    // Key rotation: safeStorage asks for the value to be encrypted again under the current key.
    if (decrypted.shouldReEncrypt) await this.set(ref, decrypted.result)
    return decrypted.result
  }

  async set(ref: string, value: string): Promise<void> {
    validateSecretRef(ref)
    if (typeof value !== 'string' || value.length === 0) {
      throw new AtlasError('INVALID_INPUT', 'A secret value must be a non-empty string.')
    }
    if (!this.cipher) {
      this.session.set(ref, value)
      return
    }
    const encrypted = await this.cipher.encrypt(value)
    this.entries[ref] = encrypted.toString('base64')
    await this.persist()
  }

  async delete(ref: string): Promise<void> {
    validateSecretRef(ref)
    if (!this.cipher) {
      this.session.delete(ref)
      return
    }
    if (!(ref in this.entries)) return
    delete this.entries[ref]
    await this.persist()
  }

  /** Serialised, atomic (temp file + rename) writes of the whole file: it is tiny and must never be torn. */
  private persist(): Promise<void> {
    const snapshot: SecretFile = { version: 1, entries: { ...this.entries } }
    const run = async (): Promise<void> => {
      await mkdir(dirname(this.filePath), { recursive: true })
      const tmp = `${this.filePath}.tmp`
      await writeFile(tmp, JSON.stringify(snapshot, null, 2), { mode: 0o600 })
      await rename(tmp, this.filePath)
    }
    const next = this.writes.then(run, run)
    this.writes = next.catch(() => undefined)
    return next
  }
}

/** The tiny Electron-only factory: call after `app.whenReady()` (before it the backend is 'unknown'). */
export async function openElectronSecretStore(userDataDir: string): Promise<SafeStorageSecretStore> {
  // Imported lazily so that importing this module (tests, type checks) never loads electron.
  const { safeStorage } = await import('electron')
  return SafeStorageSecretStore.open({ safeStorage, filePath: join(userDataDir, 'secrets.json') })
}

function cipherOf(ss: SafeStorageLike): Cipher | undefined {
  if (ss.encryptStringAsync && ss.decryptStringAsync) {
    const { encryptStringAsync, decryptStringAsync } = ss
    return {
      encrypt: (plain) => encryptStringAsync.call(ss, plain),
      decrypt: (encrypted) => decryptStringAsync.call(ss, encrypted)
    }
  }
  if (ss.encryptString && ss.decryptString) {
    const { encryptString, decryptString } = ss
    return {
      encrypt: async (plain) => encryptString.call(ss, plain),
      decrypt: async (encrypted) => ({ result: decryptString.call(ss, encrypted), shouldReEncrypt: false })
    }
  }
  return undefined
}

async function loadFile(filePath: string): Promise<{ entries: Record<string, string>; warning?: string }> {
  let text: string
  try {
    text = await readFile(filePath, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: {} }
    throw err
  }
  try {
    const parsed = JSON.parse(text) as Partial<SecretFile>
    const entries = parsed.entries
    if (parsed.version !== 1 || typeof entries !== 'object' || entries === null) throw new Error('bad shape')
    const clean: Record<string, string> = {}
    for (const [ref, value] of Object.entries(entries)) if (typeof value === 'string') clean[ref] = value
    return { entries: clean }
  } catch {
    // Keep the unreadable file for support instead of overwriting it, and start empty rather than refuse to run.
    const aside = `${filePath}.corrupt`
    await rename(filePath, aside)
    return {
      entries: {},
      warning: `The stored credentials file was unreadable and was moved to ${aside}; enter the tenant credentials again.`
    }
  }
}
