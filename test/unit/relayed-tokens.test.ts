import { describe, expect, it } from 'vitest'
import type { TenantAuthConfig } from '../../main/auth/token-provider'
import { AtlasError } from '../../domain/error-codes'
import { RELAYED_TOKEN_TTL_MS, RelayedTokens } from '../../main/sync-worker/relayed-tokens'

const cfg = (tenantKey: string): TenantAuthConfig => ({
  tenantKey,
  azureTenantId: 'contoso.onmicrosoft.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  cloud: 'global',
  credential: { kind: 'secret', secretRef: 'vault:x' }
})

function relay() {
  const asks: Array<{ tenantKey: string; forceRefresh: boolean }> = []
  let n = 0
  let failNext = false
  const fn = async (c: TenantAuthConfig, o: { forceRefresh?: boolean }): Promise<string> => {
    asks.push({ tenantKey: c.tenantKey, forceRefresh: o.forceRefresh ?? false })
    if (failNext) {
      failNext = false
      throw new AtlasError('AUTH_INVALID_SECRET', 'bad secret')
    }
    return `${c.tenantKey}-token-${++n}`
  }
  return { asks, fn, failOnce: () => (failNext = true) }
}

describe('RelayedTokens (the sync worker asks the API thread for tokens)', () => {
  it('reuses a token per tenant within the TTL, then asks again', async () => {
    let now = 1_000
    const r = relay()
    const tokens = new RelayedTokens(r.fn, () => now)
    expect(await tokens.getToken(cfg('a'))).toBe('a-token-1')
    now += RELAYED_TOKEN_TTL_MS - 1
    expect(await tokens.getToken(cfg('a'))).toBe('a-token-1')
    expect(await tokens.getToken(cfg('b'))).toBe('b-token-2')
    now += 1
    expect(await tokens.getToken(cfg('a'))).toBe('a-token-3')
    expect(r.asks.map((a) => a.tenantKey)).toEqual(['a', 'b', 'a'])
  })

  it('a forced refresh (after a 401) always goes to the API thread and replaces the cached token', async () => {
    const r = relay()
    const tokens = new RelayedTokens(r.fn, () => 0)
    await tokens.getToken(cfg('a'))
    expect(await tokens.getToken(cfg('a'), { forceRefresh: true })).toBe('a-token-2')
    expect(await tokens.getToken(cfg('a'))).toBe('a-token-2')
    expect(r.asks).toEqual([
      { tenantKey: 'a', forceRefresh: false },
      { tenantKey: 'a', forceRefresh: true }
    ])
  })

  it('concurrent asks share one round trip; failures are passed on and never cached', async () => {
    const r = relay()
    const tokens = new RelayedTokens(r.fn, () => 0)
    r.failOnce()
    const both = await Promise.allSettled([tokens.getToken(cfg('a')), tokens.getToken(cfg('a'))])
    expect(both.map((s) => s.status)).toEqual(['rejected', 'rejected'])
    expect(r.asks).toHaveLength(1)
    const [x, y] = await Promise.all([tokens.getToken(cfg('a')), tokens.getToken(cfg('a'))])
    expect([x, y]).toEqual(['a-token-1', 'a-token-1'])
    expect(r.asks).toHaveLength(2)
    tokens.forget('a')
    expect(await tokens.getToken(cfg('a'))).toBe('a-token-2')
  })

  it('a forced refresh in flight is shared by later asks, even after an older ask failed', async () => {
    const answers: Array<{ resolve(token: string): void; reject(err: Error): void }> = []
    let asked = 0
    const tokens = new RelayedTokens(
      () => {
        asked++
        return new Promise<string>((resolve, reject) => answers.push({ resolve, reject }))
      },
      () => 0
    )
    const first = tokens.getToken(cfg('a'))
    const forced = tokens.getToken(cfg('a'), { forceRefresh: true })
    expect(asked).toBe(2)
    answers[0]!.reject(new AtlasError('AUTH_INVALID_SECRET', 'timed out'))
    await expect(first).rejects.toThrow('timed out')
    // nothing cached, and the failed ask must not have dropped the forced one's round trip
    const later = tokens.getToken(cfg('a'))
    answers[1]!.resolve('fresh')
    expect(await forced).toBe('fresh')
    expect(await later).toBe('fresh')
    expect(asked).toBe(2)
  })
})
