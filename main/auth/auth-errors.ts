import { AtlasError, type ErrorCode } from '../../domain/error-codes'
import { redactText } from '../util/redact'
import { cloudEndpoints, validateAzureTenantId, type CloudName } from './clouds'

/** What the caller knows about the attempt; only used to make the hint concrete. Nothing here is secret. */
export interface AuthErrorContext {
  azureTenantId?: string
  clientId?: string
  cloud?: CloudName
  custom?: { authorityHost: string; graphEndpoint: string }
  credentialKind?: 'secret' | 'certificate'
  /** values that must never appear in the message even if not registered (the secret in use, …) */
  secrets?: string[]
}

/** Fields read from MSAL errors; typed structurally so tests and other libraries' errors map the same way. */
interface MsalLikeError {
  name?: string
  message?: string
  errorCode?: string
  errorMessage?: string
  errorNo?: string | number
  status?: number
  correlationId?: string
  subError?: string
}

// Entra error numbers (learn.microsoft.com/entra/identity-platform/reference-error-codes) → stable codes.
const BY_AADSTS: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [7000215, 'AUTH_INVALID_SECRET'],
  [7000222, 'AUTH_SECRET_EXPIRED'],
  [700016, 'AUTH_APP_NOT_FOUND'],
  [90002, 'AUTH_TENANT_NOT_FOUND'],
  [900023, 'AUTH_TENANT_NOT_FOUND'], // tenant identifier is neither a valid name nor a GUID
  [65001, 'AUTH_CONSENT_MISSING'],
  [700027, 'AUTH_CERTIFICATE_INVALID'], // assertion signature invalid / certificate not registered on the app
  [700021, 'AUTH_CERTIFICATE_INVALID'], // assertion issuer does not match client_id
  [700024, 'AUTH_CLOCK_SKEW'] // assertion outside its valid time range: our clock is off
])

const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

/**
 * Maps anything thrown while acquiring a token to an AtlasError with a stable AUTH_* code and a message a
 * consultant can act on. The message carries the AADSTS number and the trace/correlation ids (safe, and
 * what Microsoft support asks for) but never Entra's raw description verbatim for known codes, and always
 * passes through redactText so no secret, assertion or token can leak.
 */
export function toAuthError(err: unknown, ctx: AuthErrorContext = {}): AtlasError {
  if (err instanceof AtlasError) return err
  const e: MsalLikeError =
    typeof err === 'object' && err !== null ? (err as MsalLikeError) : { message: String(err) }
  const text = `${e.errorMessage ?? ''} ${e.message ?? ''}`
  const aadsts = aadstsNumber(e, text)
  const ids = {
    traceId: /Trace ID:\s*([0-9a-f-]{36})/i.exec(text)?.[1],
    correlationId: /Correlation ID:\s*([0-9a-f-]{36})/i.exec(text)?.[1] ?? (e.correlationId || undefined)
  }
  const details: Record<string, unknown> = {
    ...(aadsts !== undefined ? { aadsts } : {}),
    ...(e.errorCode ? { oauthError: e.errorCode } : {}),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(ids.traceId ? { traceId: ids.traceId } : {}),
    ...(ids.correlationId ? { correlationId: ids.correlationId } : {})
  }

  let code = aadsts !== undefined ? BY_AADSTS.get(aadsts) : undefined
  if (!code && /\bnbf\b|clock skew|not within its valid time range/i.test(text)) code = 'AUTH_CLOCK_SKEW'
  if (!code && aadsts === 50012 && ctx.credentialKind === 'certificate') code = 'AUTH_CERTIFICATE_INVALID'
  if (!code && isTransientServerError(e)) {
    code = 'AUTH_NETWORK'
    details.retryable = true
  }
  if (!code && isNetworkFailure(err, e)) {
    code = 'AUTH_NETWORK'
    details.retryable = true
  }
  code ??= 'AUTH_FAILED'

  const where = [
    aadsts !== undefined ? `AADSTS${aadsts}` : e.errorCode,
    ids.traceId && `trace ${ids.traceId}`
  ]
    .concat(ids.correlationId ? [`correlation ${ids.correlationId}`] : [])
    .filter(Boolean)
    .join(', ')
  const body = describe(code, ctx, e, text)
  const message = redactText(where ? `${body} (${where})` : body, ctx.secrets ?? [])
  return new AtlasError(code, message, details)
}

/** The page an administrator of the customer's tenant opens to grant the app's application permissions. */
export function adminConsentUrl(
  cloud: CloudName,
  azureTenantId: string,
  clientId: string,
  custom?: { authorityHost: string; graphEndpoint: string }
): string {
  const { authorityHost } = cloudEndpoints(cloud, custom)
  const tenant = encodeURIComponent(validateAzureTenantId(azureTenantId))
  return `${authorityHost}/${tenant}/adminconsent?client_id=${encodeURIComponent(clientId)}`
}

function describe(code: ErrorCode, ctx: AuthErrorContext, e: MsalLikeError, text: string): string {
  const app = ctx.clientId ? `application ${ctx.clientId}` : 'the application'
  const tenant = ctx.azureTenantId ? `tenant ${ctx.azureTenantId}` : 'the tenant'
  const consent = consentLink(ctx)
  switch (code) {
    case 'AUTH_INVALID_SECRET':
      return (
        `The client secret for ${app} was rejected. Use the secret VALUE, not its ID: the value is shown only once, ` +
        'when the secret is created under Certificates & secrets; create a new one if it was not copied.'
      )
    case 'AUTH_SECRET_EXPIRED':
      return `The client secret for ${app} has expired. Create a new client secret in the app registration and save it here.`
    case 'AUTH_APP_NOT_FOUND':
      return (
        `${capitalise(app)} was not found in ${tenant}. Check the Application (client) ID and that the app is ` +
        `registered in, or consented to by, this tenant${consent ? ` (admin consent: ${consent})` : ''}.`
      )
    case 'AUTH_TENANT_NOT_FOUND':
      return (
        `${capitalise(tenant)} was not found${ctx.cloud ? ` in the ${ctx.cloud} cloud` : ''}. Check the tenant ID ` +
        'or domain and the cloud (a US Government or China tenant does not exist in the global cloud).'
      )
    case 'AUTH_CONSENT_MISSING':
      return (
        `Admin consent is missing for ${app} in ${tenant}. A Global or Privileged Role Administrator of the ` +
        `customer's tenant must grant it${consent ? `: ${consent}` : '.'}`
      )
    case 'AUTH_CERTIFICATE_INVALID':
      return (
        `The certificate for ${app} was rejected: it is not uploaded to the app registration, was replaced, ` +
        'or the signature did not verify. Upload the certificate (public part) under Certificates & secrets.'
      )
    case 'AUTH_CLOCK_SKEW':
      return "The sign-in was rejected because this computer's clock is off. Synchronise the system clock and retry."
    case 'AUTH_NETWORK':
      return typeof e.status === 'number' && e.status >= 500
        ? 'Microsoft Entra ID is temporarily unavailable. Retry later.'
        : 'Could not reach the Microsoft Entra ID sign-in endpoint (network, proxy or TLS problem). Check the connection and retry.'
    default: {
      // Unknown to us: Entra's own first sentence is the most useful thing to show (redacted by the caller).
      const server = /AADSTS\d+:\s*([^\r\n]+?)(?:\s+-\s+Correlation ID|\r|\n|$)/.exec(text)?.[1]
      const detail = server ?? e.errorCode ?? e.name ?? 'unknown error'
      return `Sign-in failed for ${app} in ${tenant}: ${truncate(detail, 300)}`
    }
  }
}

function aadstsNumber(e: MsalLikeError, text: string): number | undefined {
  const fromField = typeof e.errorNo === 'number' ? e.errorNo : Number.parseInt(String(e.errorNo ?? ''), 10)
  if (Number.isInteger(fromField) && fromField > 0) return fromField
  const m = /AADSTS(\d{4,8})/.exec(text)
  return m?.[1] ? Number(m[1]) : undefined
}

function isTransientServerError(e: MsalLikeError): boolean {
  if (e.errorCode === 'temporarily_unavailable') return true
  return typeof e.status === 'number' && (e.status === 429 || e.status >= 500)
}

function isNetworkFailure(err: unknown, e: MsalLikeError): boolean {
  // MSAL wraps transport failures as AuthError 'network_error'; raw fetch/socket errors may also escape.
  if (e.errorCode === 'network_error') return true
  for (let cur: unknown = err, depth = 0; cur && depth < 5; depth++) {
    const c = cur as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown }
    if (typeof c.code === 'string' && NETWORK_ERRNOS.has(c.code)) return true
    if (c.name === 'AbortError' || c.name === 'TimeoutError') return true
    if (c.name === 'TypeError' && c.message === 'fetch failed') return true
    cur = c.cause
  }
  return false
}

function consentLink(ctx: AuthErrorContext): string | undefined {
  if (!ctx.cloud || !ctx.azureTenantId || !ctx.clientId) return undefined
  try {
    return adminConsentUrl(ctx.cloud, ctx.azureTenantId, ctx.clientId, ctx.custom)
  } catch {
    return undefined
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}
