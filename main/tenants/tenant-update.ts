import type { TenantRow, TenantsRepo } from '../../db/repositories/tenants-repo'
import type { CloudName } from '../auth/clouds'
import type { CredentialInput, CredentialStore } from '../auth/credential-store'
import { AtlasError } from '../../domain/error-codes'
import type { Clock } from '../util/clock'
import { refuseTakenName, validateTenantFields } from './tenant-input'
import { forgetEngineState, refuseWhileSyncing, type TenantEngineState } from './tenant-engine-state'

/**
 * Editing a tenant: any of its connection fields and, optionally, a new credential. Fields left out keep
 * their value; `authorityHost` / `graphEndpoint` set to null clear them (leaving the custom cloud). The
 * result is checked with the same rules as a new tenant, before anything is written. A new credential is
 * stored first (a bad certificate fails there and changes nothing), then the row; the old credential is
 * forgotten only once the row points at the new one. The token cache and the sync worker forget the
 * tenant, so the next call signs in with what was just saved.
 */
export interface UpdateTenantInput {
  /** the tenant to edit: local id or exact display name */
  idOrName: string
  displayName?: string
  azureTenantId?: string
  clientId?: string
  cloud?: CloudName
  authorityHost?: string | null
  graphEndpoint?: string | null
  credential?: CredentialInput
}

export interface UpdateTenantDeps extends TenantEngineState {
  tenants: TenantsRepo
  credentials: CredentialStore
  clock: Pick<Clock, 'now'>
  resolve: (idOrName: string) => TenantRow
}

export async function updateTenant(deps: UpdateTenantDeps, input: UpdateTenantInput): Promise<TenantRow> {
  const row = deps.resolve(input.idOrName)
  refuseWhileSyncing(deps, row)
  const connectionChange =
    input.azureTenantId !== undefined ||
    input.clientId !== undefined ||
    input.cloud !== undefined ||
    input.authorityHost !== undefined ||
    input.graphEndpoint !== undefined ||
    input.credential !== undefined
  if (row.isDemo && connectionChange) {
    throw new AtlasError(
      'INVALID_INPUT',
      'The demo tenant runs on the built-in simulator: only its name can change.'
    )
  }
  const merged = {
    displayName: input.displayName ?? row.displayName,
    azureTenantId: input.azureTenantId ?? row.azureTenantId,
    clientId: input.clientId ?? row.clientId,
    cloud: input.cloud ?? (row.cloud as CloudName),
    ...optional('authorityHost', input.authorityHost === undefined ? row.authorityHost : input.authorityHost),
    ...optional('graphEndpoint', input.graphEndpoint === undefined ? row.graphEndpoint : input.graphEndpoint)
  }
  const valid = validateTenantFields(merged)
  refuseTakenName((name) => deps.tenants.findByName(name), valid.displayName, row.id)

  const stored = input.credential ? await deps.credentials.storeFor(row.id, input.credential) : undefined
  let updated: TenantRow | undefined
  try {
    updated = deps.tenants.update(row.id, {
      displayName: valid.displayName,
      azureTenantId: valid.azureTenantId,
      clientId: valid.clientId,
      cloud: valid.cloud,
      authorityHost: valid.authorityHost ?? null,
      graphEndpoint: valid.graphEndpoint ?? null,
      ...(stored
        ? {
            authMethod: stored.authMethod,
            secretRef: stored.secretRef,
            certificateThumbprint: stored.certificateThumbprint ?? null
          }
        : {}),
      updatedAt: new Date(deps.clock.now()).toISOString()
    })
    if (!updated) throw new AtlasError('NOT_FOUND', `No tenant with id "${row.id}".`)
  } catch (err) {
    // the row still points at the old credential: drop the new one unless it replaced the old in place
    if (stored && stored.secretRef !== row.secretRef) await deps.credentials.forget(stored.secretRef)
    throw err
  }
  if (stored && row.secretRef && stored.secretRef !== row.secretRef)
    await deps.credentials.forget(row.secretRef)
  forgetEngineState(deps, row.id)
  return updated
}

function optional<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: string }
}
