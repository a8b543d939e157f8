import type { TenantAuthConfig, TokenProvider } from '../../main/auth/token-provider'
import { AtlasError, type ErrorCode } from '../../domain/error-codes'

/** A TokenProvider for engine tests that are not about authentication (MSAL has its own suites). */
export class StaticTokenProvider implements TokenProvider {
  calls: Array<{ tenantKey: string; forceRefresh: boolean }> = []
  failWith: { code: ErrorCode; message: string } | undefined
  constructor(private readonly token = 'test-token') {}

  async getToken(cfg: TenantAuthConfig, opts?: { forceRefresh?: boolean }): Promise<string> {
    this.calls.push({ tenantKey: cfg.tenantKey, forceRefresh: opts?.forceRefresh ?? false })
    if (this.failWith) throw new AtlasError(this.failWith.code, this.failWith.message)
    return this.token
  }

  forget(): void {}
}
