import { z } from 'zod'
import { AtlasError } from '../../domain/error-codes'
import { hasUnsafeText } from '../../domain/unsafe-text'
import { cloudEndpoints, validateAzureTenantId, type CloudName } from '../auth/clouds'
import type { CredentialInput } from '../auth/credential-store'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** zod shape of AddTenantInput: the single validation of tenant input for IPC, CLI and tests. */
export const addTenantSchema = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, 'a display name is required')
    .max(120, 'the display name is longer than 120 characters')
    // shown in tables, terminals, CSV and folder names: nothing in it may move the cursor or reorder text
    .refine((s) => !hasUnsafeText(s), 'the display name contains control or text-direction characters'),
  azureTenantId: z.string().trim().min(1, 'the Azure tenant id is required').max(253),
  clientId: z.string().trim().regex(GUID, 'the client (application) id must be a GUID'),
  cloud: z.enum(['global', 'usgov', 'usgovdod', 'china', 'custom']),
  authorityHost: z.string().trim().max(2048).optional(),
  graphEndpoint: z.string().trim().max(2048).optional(),
  credential: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('secret'), value: z.string().min(1, 'the client secret is empty').max(4096) }),
    z.object({
      kind: z.literal('secret_env'),
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'not a valid environment variable name')
    }),
    z.object({
      kind: z.literal('certificate_file'),
      path: z.string().min(1).max(4096),
      passphraseEnv: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'not a valid environment variable name')
        .optional()
    }),
    z.object({ kind: z.literal('certificate_pem'), pem: z.string().min(1).max(1_000_000) }),
    z.object({
      kind: z.literal('certificate_pfx'),
      pfxBase64: z
        .string()
        .min(1)
        .max(1_000_000)
        .regex(/^[A-Za-z0-9+/=\s]+$/, 'the PFX must be base64'),
      passphrase: z.string().max(1024).optional()
    })
  ]),
  isDemo: z.boolean().optional()
})

export interface AddTenantInput {
  displayName: string
  azureTenantId: string
  clientId: string
  cloud: CloudName
  authorityHost?: string
  graphEndpoint?: string
  credential: CredentialInput
  isDemo?: boolean
}

export function validateAddTenant(input: unknown): AddTenantInput {
  const parsed = addTenantSchema.safeParse(input)
  if (!parsed.success) throw invalid(parsed.error)
  return checkConnection(parsed.data as AddTenantInput)
}

/** What identifies and reaches a tenant, without its credential (add and edit share these rules). */
export type TenantFields = Omit<AddTenantInput, 'credential' | 'isDemo'>

const tenantFieldsSchema = addTenantSchema.omit({ credential: true, isDemo: true })

/** The edit form's fields, checked exactly as when the tenant was added. */
export function validateTenantFields(input: unknown): TenantFields {
  const parsed = tenantFieldsSchema.safeParse(input)
  if (!parsed.success) throw invalid(parsed.error)
  return checkConnection(parsed.data as TenantFields)
}

/** Display names are unique (the CLI and the API address a tenant by its name): another tenant's is refused. */
export function refuseTakenName(
  findByName: (name: string) => { id: string } | undefined,
  displayName: string,
  ownId?: string
): void {
  const holder = findByName(displayName)
  if (holder && holder.id !== ownId) {
    throw new AtlasError('INVALID_INPUT', `A tenant named "${displayName}" already exists.`)
  }
}

function invalid(error: z.ZodError): AtlasError {
  const issue = error.issues[0]
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  return new AtlasError('INVALID_INPUT', `Invalid tenant: ${where}${issue?.message ?? 'invalid input'}`)
}

/** The tenant id normalised, and the cloud's endpoints consistent with the cloud chosen. */
function checkConnection<T extends TenantFields>(value: T): T {
  value.azureTenantId = validateAzureTenantId(value.azureTenantId)
  if (value.cloud === 'custom') {
    if (!value.authorityHost || !value.graphEndpoint) {
      throw new AtlasError(
        'INVALID_INPUT',
        'A custom cloud needs both an authority host and a Graph endpoint.'
      )
    }
    cloudEndpoints('custom', { authorityHost: value.authorityHost, graphEndpoint: value.graphEndpoint })
  } else if (value.authorityHost || value.graphEndpoint) {
    throw new AtlasError('INVALID_INPUT', `Authority host and Graph endpoint are only for the custom cloud.`)
  }
  return value
}
