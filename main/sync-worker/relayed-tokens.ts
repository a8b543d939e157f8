import type { TenantAuthConfig, TokenProvider } from '../auth/token-provider'

/** How long the worker reuses a token: far inside MSAL's own refresh margin (it renews 5 min early). */
export const RELAYED_TOKEN_TTL_MS = 60_000

/**
 * Worker: access tokens come from the API thread (which holds the credential and MSAL's cache) and are
 * reused here for a minute. Why keep them at all: the Graph client asks for a token before every request,
 * and a message round trip per request would queue each next page of a chain behind whatever page the
 * worker is storing, which costs a whole page's store time per request.
 * A forced refresh (after a 401) always goes to the API thread; concurrent asks share one round trip;
 * failures are never cached.
 */
export class RelayedTokens implements TokenProvider {
  private readonly cache = new Map<string, { token: string; at: number }>()
  private readonly inflight = new Map<string, Promise<string>>()

  constructor(
    private readonly relay: (
      cfg: TenantAuthConfig,
      opts: { forceRefresh?: boolean; correlationId?: string }
    ) => Promise<string>,
    private readonly now: () => number,
    private readonly ttlMs = RELAYED_TOKEN_TTL_MS
  ) {}

  getToken(
    cfg: TenantAuthConfig,
    opts: { forceRefresh?: boolean; correlationId?: string } = {}
  ): Promise<string> {
    const key = cfg.tenantKey
    if (!opts.forceRefresh) {
      const hit = this.cache.get(key)
      if (hit && this.now() - hit.at < this.ttlMs) return Promise.resolve(hit.token)
      const pending = this.inflight.get(key)
      if (pending) return pending
    }
    const asked = this.relay(cfg, opts)
      .then((token) => {
        this.cache.set(key, { token, at: this.now() })
        return token
      })
      .finally(() => {
        if (this.inflight.get(key) === asked) this.inflight.delete(key)
      })
    this.inflight.set(key, asked)
    return asked
  }

  forget(tenantKey: string): void {
    this.cache.delete(tenantKey)
  }
}
