import { z } from 'zod'
import type { TenantRow } from '../../db/repositories/tenants-repo'
import { adminConsentUrl } from '../auth/auth-errors'
import type { CloudName } from '../auth/clouds'
import type { TokenProvider } from '../auth/token-provider'
import { AtlasError } from '../../domain/error-codes'
import type { PolicyTypeDef } from '../../domain/policy-type'
import { GraphError, type GraphClient } from '../graph/graph-client'
import { POLICY_TYPES, getPolicyType, groupBySource } from '../graph/registry'
import type { Clock } from '../util/clock'
import { AnyErrorCode, Count, Id, Iso } from '../../domain/wire-fields'
import { redactedMessage } from '../util/redact'
import { connectionFor } from './tenant-connection'

const typeAccessSchema = z.enum(['readable', 'missing_permission', 'not_licensed', 'no_intune', 'error'])
/** What one probe says about one policy type; the sync classifies the same Graph answers the same way. */
export type TypeAccess = z.infer<typeof typeAccessSchema>

const typeProbeSchema = z.object({
  policyType: z.string(),
  label: z.string(),
  access: typeAccessSchema,
  /** application permissions that can read the type (any one of them) */
  requiredPermissions: z.array(z.string()),
  code: AnyErrorCode.optional(),
  /** scopes Graph itself named in its 403 */
  missingScopes: z.array(z.string()).optional(),
  message: z.string().optional()
})
export type TypeProbe = z.infer<typeof typeProbeSchema>

/** The report of a connection test; the worker sends it to the API thread. */
export const connectionReportSchema = z.object({
  tenantId: Id,
  checkedAt: Iso,
  auth: z.union([
    z.object({ ok: z.literal(true), grantedRoles: z.array(z.string()).nullable() }),
    z.object({ ok: z.literal(false), code: AnyErrorCode, message: z.string() })
  ]),
  /** where a Global Administrator of the client tenant grants the app's permissions */
  adminConsentUrl: z.string(),
  types: z.array(typeProbeSchema),
  summary: z.record(typeAccessSchema, Count)
})
export type ConnectionReport = z.infer<typeof connectionReportSchema>

/**
 * "Test connection": acquire a token, then probe each collection once with `$top=1` and report per type
 * what a sync would get. Uses the same Graph client and error classification as the sync, so a type that
 * shows `missing_permission` here is the type a sync records as not collected (GRAPH_FORBIDDEN).
 */
export async function testConnection(deps: {
  tenant: TenantRow
  tokens: TokenProvider
  graph: GraphClient
  clock: Clock
  newId: () => string
  policyTypes?: string[]
  signal?: AbortSignal
}): Promise<ConnectionReport> {
  const { tenant } = deps
  const connection = connectionFor(tenant)
  const defs = selectTypes(deps.policyTypes)
  const correlationId = deps.newId()
  const consentUrl = adminConsentUrl(
    tenant.cloud as CloudName,
    tenant.azureTenantId,
    tenant.clientId,
    connection.auth.custom
  )
  const base = { tenantId: tenant.id, adminConsentUrl: consentUrl }

  let token: string
  try {
    token = await deps.tokens.getToken(connection.auth, { correlationId })
  } catch (err) {
    const code = err instanceof AtlasError ? err.code : 'AUTH_FAILED'
    const message = redactedMessage(err)
    return {
      ...base,
      checkedAt: iso(deps.clock),
      auth: { ok: false, code, message },
      types: [],
      summary: summarize([])
    }
  }
  const grantedRoles = rolesOf(token)

  const session = deps.graph.session({
    tenantKey: tenant.id,
    graphBaseUrl: connection.graphBaseUrl,
    correlationId,
    getToken: ({ forceRefresh }) => deps.tokens.getToken(connection.auth, { forceRefresh, correlationId })
  })
  const probes: TypeProbe[] = []
  // one request per collection; every type fed by it shares the answer
  for (const source of groupBySource(defs)) {
    const access = await probe(session, source.path, source.types, deps.signal)
    for (const def of source.types)
      probes.push({
        ...access,
        policyType: def.key,
        label: def.label,
        requiredPermissions: [...def.permissions]
      })
  }
  return {
    ...base,
    checkedAt: iso(deps.clock),
    auth: { ok: true, grantedRoles },
    types: probes,
    summary: summarize(probes)
  }
}

async function probe(
  session: ReturnType<GraphClient['session']>,
  path: string,
  types: PolicyTypeDef[],
  signal: AbortSignal | undefined
): Promise<Pick<TypeProbe, 'access' | 'code' | 'missingScopes' | 'message'>> {
  try {
    const pages = session.listPages(`${path}?$top=1`, {
      signal,
      licenseGated: types.some((t) => t.licenseGated)
    })
    await pages.next() // the first page answers the question
    await pages.return(undefined)
    return { access: 'readable' }
  } catch (err) {
    if (err instanceof GraphError) {
      const access: TypeAccess =
        err.code === 'GRAPH_FORBIDDEN'
          ? 'missing_permission'
          : err.code === 'GRAPH_NOT_LICENSED'
            ? 'not_licensed'
            : err.code === 'TENANT_NO_INTUNE'
              ? 'no_intune'
              : 'error'
      return {
        access,
        code: err.code,
        message: err.message,
        ...(err.missingScopes && err.missingScopes.length > 0 ? { missingScopes: err.missingScopes } : {})
      }
    }
    if (signal?.aborted) throw err
    return {
      access: 'error',
      code: 'INTERNAL',
      message: redactedMessage(err)
    }
  }
}

function selectTypes(keys: string[] | undefined): PolicyTypeDef[] {
  if (!keys || keys.length === 0) return [...POLICY_TYPES]
  return keys.map((k) => {
    const def = getPolicyType(k)
    if (!def) throw new AtlasError('INVALID_INPUT', `Unknown policy type "${k.slice(0, 80)}".`)
    return def
  })
}

/**
 * Application permissions granted to the app in this tenant, read from the token's `roles` claim.
 * Entra issues a token even without admin consent; then `roles` is absent and every type answers 403.
 * Only this claim is read; the token itself is never stored or returned. null = not a readable JWT.
 */
export function rolesOf(token: string): string[] | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown }
    return Array.isArray(claims.roles)
      ? claims.roles.filter((r): r is string => typeof r === 'string').sort()
      : []
  } catch {
    return null
  }
}

function summarize(probes: TypeProbe[]): Record<TypeAccess, number> {
  const summary: Record<TypeAccess, number> = {
    readable: 0,
    missing_permission: 0,
    not_licensed: 0,
    no_intune: 0,
    error: 0
  }
  for (const p of probes) summary[p.access]++
  return summary
}

function iso(clock: Clock): string {
  return new Date(clock.now()).toISOString()
}
