import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../domain/error-codes'
import { hintFor } from '../../domain/error-hints'
import { labelFor } from '../../domain/error-labels'
import { createAtlas } from '../../main/app/create-atlas'
import { cloudEndpoints } from '../../main/auth/clouds'
import { MemorySecretStore } from '../../main/auth/secret-store'

describe('error labels and the reference data the window reads from the engine', () => {
  it('gives every stable code a few words of its own, and an unknown code as itself', () => {
    for (const code of ERROR_CODES) {
      const label = labelFor(code)
      expect(label, code).not.toBe(code)
      expect(label.length, code).toBeLessThanOrEqual(24)
    }
    expect(labelFor('GRAPH_FORBIDDEN')).toBe('403 missing permission')
    expect(labelFor('SOME_FUTURE_CODE')).toBe('SOME_FUTURE_CODE')
    expect(labelFor('toString')).toBe('toString')
  })

  it('serves every code with its label and the app hint, and the national clouds with their hosts', async () => {
    const atlas = createAtlas({ dataDir: ':memory:', secretStore: new MemorySecretStore() })
    try {
      const codes = atlas.listErrorCodes()
      expect(codes.map((c) => c.code)).toEqual([...ERROR_CODES])
      const invalidSecret = codes.find((c) => c.code === 'AUTH_INVALID_SECRET')!
      // the app's wording, not the CLI's (which speaks of environment variables)
      expect(invalidSecret.hint).toBe(hintFor('AUTH_INVALID_SECRET', 'app'))
      expect(invalidSecret.hint).toContain('edit the tenant')
      expect(codes.find((c) => c.code === 'INVALID_INPUT')!.hint).toBeNull()

      const clouds = atlas.listClouds()
      expect(clouds.map((c) => c.name)).toEqual(['global', 'usgov', 'usgovdod', 'china'])
      for (const c of clouds) {
        const { authorityHost, graphEndpoint } = cloudEndpoints(c.name)
        expect(c).toEqual({ name: c.name, authorityHost, graphEndpoint })
      }
      // a copy: the page cannot change the engine's table
      clouds[0]!.graphEndpoint = 'https://evil.example'
      expect(atlas.listClouds()[0]!.graphEndpoint).toBe('https://graph.microsoft.com')
    } finally {
      await atlas.close()
    }
  })
})
