import { randomUUID } from 'node:crypto'
import type { TenantRow, TenantsRepo } from '../../db/repositories/tenants-repo'
import type { CredentialStore } from '../auth/credential-store'
import { AtlasError } from '../../domain/error-codes'
import type { Clock } from '../util/clock'
import { checkExcludedTypes } from './excluded-types'
import { forgetEngineState, refuseWhileSyncing, type TenantEngineState } from './tenant-engine-state'
import { refuseTakenName, validateAddTenant, type AddTenantInput } from './tenant-input'
import { updateTenant, type UpdateTenantInput } from './tenant-update'
import { toTenantView, type TenantView } from './tenant-view'

/** The AtlasApi methods over the tenant list (main/app/atlas-api.ts extends this). */
export interface TenantApi {
  listTenants(): TenantView[]
  /** by local id or exact display name */
  getTenant(idOrName: string): TenantView
  addTenant(input: AddTenantInput): Promise<TenantView>
  /**
   * Edits a tenant's name, connection fields and optionally its credential (checked like addTenant); the
   * cached token and the sync worker's state for it are dropped, so the next call uses the new values.
   */
  updateTenant(input: UpdateTenantInput): Promise<TenantView>
  removeTenant(idOrName: string): Promise<void>
  /**
   * The policy types this tenant never syncs (replaces the list; [] clears it). They are out of selection in
   * its runs and its missing judgements, not failures: for features the tenant has no licence for.
   */
  setExcludedTypes(input: { tenantId: string; policyTypes: string[] }): TenantView
}

export interface TenantServiceDeps extends TenantEngineState {
  tenants: TenantsRepo
  credentials: CredentialStore
  clock: Pick<Clock, 'now'>
}

export interface TenantService {
  api: TenantApi
  /** the row of a tenant by local id or exact display name, else NOT_FOUND (every tenant-taking method) */
  resolve(idOrName: string): TenantRow
}

/** The tenant list: add (credential stored first), edit, remove (credential forgotten), exclusions. */
export function createTenantService(deps: TenantServiceDeps): TenantService {
  const { tenants, credentials, clock } = deps
  const now = (): string => new Date(clock.now()).toISOString()

  function resolve(idOrName: string): TenantRow {
    const row = tenants.get(idOrName) ?? tenants.findByName(idOrName)
    if (!row) throw new AtlasError('NOT_FOUND', `No tenant named or with id "${idOrName}".`)
    return row
  }

  const api: TenantApi = {
    listTenants: () => tenants.list().map(toTenantView),
    getTenant: (idOrName) => toTenantView(resolve(idOrName)),

    async addTenant(input) {
      const valid = validateAddTenant(input)
      refuseTakenName((name) => tenants.findByName(name), valid.displayName)
      const id = randomUUID()
      // the demo tenant's credential is a fixed reference to the simulator's secret, never a vault entry
      const stored = await credentials.storeFor(id, valid.isDemo ? { kind: 'demo' } : valid.credential)
      const createdAt = now()
      try {
        const row = tenants.insert({
          id,
          displayName: valid.displayName,
          azureTenantId: valid.azureTenantId,
          cloud: valid.cloud,
          authorityHost: valid.authorityHost ?? null,
          graphEndpoint: valid.graphEndpoint ?? null,
          clientId: valid.clientId,
          authMethod: stored.authMethod,
          secretRef: stored.secretRef,
          certificateThumbprint: stored.certificateThumbprint ?? null,
          isDemo: valid.isDemo ?? false,
          createdAt,
          updatedAt: createdAt
        })
        return toTenantView(row)
      } catch (err) {
        await credentials.forget(stored.secretRef)
        throw err
      }
    },

    updateTenant: async (input) => toTenantView(await updateTenant({ ...deps, resolve }, input)),

    async removeTenant(idOrName) {
      const row = resolve(idOrName)
      refuseWhileSyncing(deps, row)
      tenants.remove(row.id)
      forgetEngineState(deps, row.id)
      if (row.secretRef) await credentials.forget(row.secretRef)
    },

    setExcludedTypes({ tenantId, policyTypes }) {
      const row = resolve(tenantId)
      const keys = checkExcludedTypes(policyTypes)
      const updated = tenants.update(row.id, { excludedTypes: JSON.stringify(keys), updatedAt: now() })
      if (!updated) throw new AtlasError('NOT_FOUND', `No tenant ${tenantId}.`)
      return toTenantView(updated)
    }
  }
  return { api, resolve }
}
