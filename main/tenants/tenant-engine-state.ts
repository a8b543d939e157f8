import type { TenantRow } from '../../db/repositories/tenants-repo'
import type { TokenProvider } from '../auth/token-provider'
import { AtlasError } from '../../domain/error-codes'

/**
 * What editing or removing a tenant needs of the engine, given by the composition root: whether the
 * tenant is syncing (its row must not change under a run), and the per-tenant state to drop afterwards
 * (the cached token, the sync worker's clients) so the next call uses what was just saved.
 */
export interface TenantEngineState {
  tokens: Pick<TokenProvider, 'forget'>
  sync: { activeSyncs(): Array<{ tenantId: string }>; forgetTenant?(tenantKey: string): void }
}

export function refuseWhileSyncing(deps: TenantEngineState, row: TenantRow): void {
  if (deps.sync.activeSyncs().some((s) => s.tenantId === row.id)) {
    throw new AtlasError('INVALID_INPUT', `"${row.displayName}" has a sync in progress; cancel it first.`)
  }
}

export function forgetEngineState(deps: TenantEngineState, tenantId: string): void {
  deps.tokens.forget(tenantId)
  deps.sync.forgetTenant?.(tenantId)
}
