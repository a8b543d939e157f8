import { describe, expect, it } from 'vitest'
import { createAtlas } from '../../main/app/create-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'

describe('appStatus', () => {
  it('says when credentials are only kept for the session, so the app can warn the user', async () => {
    const vault = Object.assign(new MemorySecretStore(), {
      warning: 'No OS keyring (basic_text): secrets stay in memory until you quit.'
    })
    const atlas = createAtlas({ dataDir: ':memory:', secretStore: vault, appVersion: '9.9.9' })
    expect(atlas.appStatus()).toEqual({
      version: '9.9.9',
      dataDir: ':memory:',
      credentialStorage: {
        kind: 'memory',
        persistent: false,
        warning: 'No OS keyring (basic_text): secrets stay in memory until you quit.'
      }
    })
    await atlas.close()
  })

  it('has no warning for a protected store', async () => {
    const vault = Object.assign(new MemorySecretStore(), { kind: 'electron-safe-storage', persistent: true })
    const atlas = createAtlas({ dataDir: ':memory:', secretStore: vault })
    expect(atlas.appStatus().credentialStorage).toEqual({
      kind: 'electron-safe-storage',
      persistent: true,
      warning: null
    })
    await atlas.close()
  })
})
