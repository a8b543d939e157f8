import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import { EnvSecretStore, envVarName } from '../../main/auth/env-secret-store'
import { MemorySecretStore, validateSecretRef } from '../../main/auth/secret-store'
import { SafeStorageSecretStore, type SafeStorageLike } from '../../main/electron/safe-storage-secret-store'

const SECRET = 'plain-SECRET-value-that-must-not-hit-disk'

async function rejectsWith(p: Promise<unknown>, code: string): Promise<AtlasError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(AtlasError)
    expect((err as AtlasError).code).toBe(code)
    return err as AtlasError
  }
  throw new Error(`expected ${code}`)
}

describe('MemorySecretStore', () => {
  it('stores, reads and deletes; is not persistent', async () => {
    const s = new MemorySecretStore()
    expect(s.persistent).toBe(false)
    expect(await s.get('tenant/a/secret')).toBeUndefined()
    await s.set('tenant/a/secret', SECRET)
    expect(await s.get('tenant/a/secret')).toBe(SECRET)
    await s.delete('tenant/a/secret')
    expect(await s.get('tenant/a/secret')).toBeUndefined()
  })

  it('rejects unusable refs and empty values', async () => {
    const s = new MemorySecretStore()
    await rejectsWith(s.set('', SECRET), 'INVALID_INPUT')
    await rejectsWith(s.set('has space', SECRET), 'INVALID_INPUT')
    await rejectsWith(s.set('ok', ''), 'INVALID_INPUT')
    expect(() => validateSecretRef('x'.repeat(201))).toThrow(AtlasError)
    expect(validateSecretRef('tenant:abc/client-secret@v2')).toBe('tenant:abc/client-secret@v2')
  })
})

describe('EnvSecretStore', () => {
  it('reads env:NAME from the injected environment', async () => {
    const s = new EnvSecretStore({ ATLAS_CONTOSO: SECRET, EMPTY: '' })
    expect(s.persistent).toBe(false)
    expect(await s.get('env:ATLAS_CONTOSO')).toBe(SECRET)
    expect(await s.get('env:MISSING')).toBeUndefined()
    expect(await s.get('env:EMPTY')).toBeUndefined()
  })

  it('only accepts env: refs, and does not echo a bad ref (it may be a pasted secret)', async () => {
    const s = new EnvSecretStore({})
    const err = await rejectsWith(s.get(SECRET), 'INVALID_INPUT')
    expect(err.message).not.toContain(SECRET)
    await rejectsWith(s.set('vault:thing', SECRET), 'INVALID_INPUT')
    await rejectsWith(s.get('env:1BAD'), 'INVALID_INPUT')
    expect(envVarName('env:_X1')).toBe('_X1')
  })

  it('set() keeps the value for this process only: the env object and process.env are untouched', async () => {
    const env: Record<string, string | undefined> = {}
    const s = new EnvSecretStore(env)
    await s.set('env:ATLAS_SESSION_ONLY', SECRET)
    expect(await s.get('env:ATLAS_SESSION_ONLY')).toBe(SECRET)
    expect(env).toEqual({})
    expect(process.env.ATLAS_SESSION_ONLY).toBeUndefined()
    await s.delete('env:ATLAS_SESSION_ONLY')
    expect(await s.get('env:ATLAS_SESSION_ONLY')).toBeUndefined()
  })
})

/** A stand-in for Electron's safeStorage: reversible, visibly not plaintext, and it records what was used. */
function fakeSafeStorage(
  opts: { backend?: string; available?: boolean; asyncApi?: boolean; reEncrypt?: boolean } = {}
): SafeStorageLike & { used: string[] } {
  const used: string[] = []
  const enc = (s: string): Buffer => Buffer.from(`v10:${Buffer.from(s).reverse().toString('hex')}`)
  const dec = (b: Buffer): string => {
    const text = b.toString()
    if (!text.startsWith('v10:')) throw new Error('bad ciphertext')
    return Buffer.from(text.slice(4), 'hex').reverse().toString()
  }
  const ss: SafeStorageLike & { used: string[] } = {
    used,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    isEncryptionAvailable: () => opts.available ?? true,
    encryptString: (s) => (used.push('encryptString'), enc(s)),
    decryptString: (b) => (used.push('decryptString'), dec(b))
  }
  if (opts.asyncApi ?? true) {
    ss.isAsyncEncryptionAvailable = async () => opts.available ?? true
    ss.encryptStringAsync = async (s) => (used.push('encryptStringAsync'), enc(s))
    ss.decryptStringAsync = async (b) => (
      used.push('decryptStringAsync'),
      { result: dec(b), shouldReEncrypt: opts.reEncrypt ?? false }
    )
  }
  return ss
}

describe('SafeStorageSecretStore', () => {
  let dir = ''
  let file = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atlas-secrets-'))
    file = join(dir, 'data', 'secrets.json')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  for (const backend of ['basic_text', 'unknown']) {
    it(`refuses to persist on linux with the ${backend} backend: memory only, warning, no file`, async () => {
      const ss = fakeSafeStorage({ backend })
      const store = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
      expect(store.persistent).toBe(false)
      expect(store.warning).toMatch(/memory only/)
      await store.set('tenant/a', SECRET)
      expect(await store.get('tenant/a')).toBe(SECRET)
      expect(existsSync(file)).toBe(false)
      expect(ss.used).toEqual([]) // the fake "encryption" is never even called
    })
  }

  it('refuses to persist when encryption is unavailable (any platform)', async () => {
    const store = await SafeStorageSecretStore.open({
      safeStorage: fakeSafeStorage({ available: false }),
      filePath: file,
      platform: 'win32'
    })
    expect(store.persistent).toBe(false)
    expect(store.warning).toMatch(/not available/)
    await store.set('tenant/a', SECRET)
    expect(existsSync(file)).toBe(false)
  })

  it('persists ciphertext only with a real keyring backend, readable by a new instance', async () => {
    const ss = fakeSafeStorage({ backend: 'gnome_libsecret' })
    const store = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    expect(store.persistent).toBe(true)
    expect(store.warning).toBeUndefined()
    await store.set('tenant/a', SECRET)
    await store.set('tenant/b', 'second-secret-value')

    const onDisk = readFileSync(file, 'utf8')
    expect(onDisk).not.toContain(SECRET)
    expect(JSON.parse(onDisk)).toMatchObject({ version: 1, entries: { 'tenant/a': expect.any(String) } })

    const reopened = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    expect(await reopened.get('tenant/a')).toBe(SECRET)
    await reopened.delete('tenant/a')
    expect(await reopened.get('tenant/a')).toBeUndefined()
    expect(readFileSync(file, 'utf8')).not.toContain('tenant/a')
    expect(await reopened.get('tenant/b')).toBe('second-secret-value')
    expect(ss.used).toContain('encryptStringAsync')
    expect(ss.used).not.toContain('encryptString')
  })

  it('does not gate on the Linux backend elsewhere (macOS reports no backend)', async () => {
    const store = await SafeStorageSecretStore.open({
      safeStorage: fakeSafeStorage({ backend: 'unknown' }),
      filePath: file,
      platform: 'darwin'
    })
    expect(store.persistent).toBe(true)
  })

  it('falls back to the sync API when the async one is missing', async () => {
    const ss = fakeSafeStorage({ asyncApi: false })
    const store = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    await store.set('r', SECRET)
    expect(await store.get('r')).toBe(SECRET)
    expect(ss.used).toEqual(['encryptString', 'decryptString'])
  })

  it('re-encrypts when safeStorage asks (key rotation)', async () => {
    const ss = fakeSafeStorage({ reEncrypt: true })
    const store = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    await store.set('r', SECRET)
    ss.used.length = 0
    expect(await store.get('r')).toBe(SECRET)
    expect(ss.used).toEqual(['decryptStringAsync', 'encryptStringAsync'])
  })

  it('an undecryptable entry → AUTH_NO_CREDENTIAL asking to enter it again', async () => {
    const ss = fakeSafeStorage()
    const store = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    await store.set('r', SECRET)
    writeFileSync(
      file,
      JSON.stringify({ version: 1, entries: { r: Buffer.from('garbage').toString('base64') } })
    )
    const reopened = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    const err = await rejectsWith(reopened.get('r'), 'AUTH_NO_CREDENTIAL')
    expect(err.message).toMatch(/enter it again/i)
  })

  it('moves an unreadable file aside instead of overwriting it, and warns', async () => {
    const ss = fakeSafeStorage()
    const first = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    await first.set('r', SECRET)
    writeFileSync(file, '{ not json')
    const store = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    expect(store.persistent).toBe(true)
    expect(store.warning).toMatch(/unreadable/)
    expect(readFileSync(`${file}.corrupt`, 'utf8')).toBe('{ not json')
    expect(await store.get('r')).toBeUndefined()
  })

  it('concurrent writes do not lose entries', async () => {
    const ss = fakeSafeStorage()
    const store = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`r${i}`, `value-${i}`)))
    const reopened = await SafeStorageSecretStore.open({ safeStorage: ss, filePath: file, platform: 'linux' })
    for (let i = 0; i < 10; i++) expect(await reopened.get(`r${i}`)).toBe(`value-${i}`)
  })
})
