import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAtlas } from '../../main/app/create-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { ERROR_CODES } from '../../domain/error-codes'

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'api.md'), 'utf8')

/** docs/api.md is the reference automation and the UI rely on: it must not drift from the code. */
describe('docs/api.md', () => {
  it('documents every stable error code', () => {
    const undocumented = ERROR_CODES.filter((code) => !doc.includes(`\`${code}\``))
    expect(undocumented).toEqual([])
  })

  it('documents every AtlasApi method', async () => {
    const atlas = createAtlas({ dataDir: ':memory:', secretStore: new MemorySecretStore() })
    const methods = Object.entries(atlas)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
    await atlas.close()
    expect(methods.length).toBeGreaterThan(15)
    expect(methods.filter((m) => !doc.includes(`\`${m}(`))).toEqual([])
  })
})
