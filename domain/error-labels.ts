import { ERROR_CODES, type ErrorCode } from './error-codes'
import { hintFor } from './error-hints'

/**
 * A few words per stable error code, for places with room for a badge and not a sentence: a type's
 * "not collected" outcome, a run's error list, a table cell. The CLI's tables and the app's badges read the
 * same words; the sentence that says what to do is the code's hint (error-hints.ts).
 */
const LABELS: { readonly [C in ErrorCode]: string } = {
  INVALID_INPUT: 'invalid input',
  IPC_SENDER_REJECTED: 'window refused',
  NOT_FOUND: 'not found',
  INTERNAL: 'internal error',
  EXPORT_TARGET_NOT_EMPTY: 'folder not empty',
  LOCK_HELD: 'already syncing',
  LOCK_LOST: 'lock lost',
  CONCURRENCY_LIMIT_GLOBAL: 'too many syncs',
  CONCURRENCY_LIMIT_TENANT: 'already queued',
  CANCELLED: 'cancelled',
  ABANDONED: 'interrupted',
  AUTH_INVALID_SECRET: 'wrong secret',
  AUTH_SECRET_EXPIRED: 'secret expired',
  AUTH_APP_NOT_FOUND: 'app not found',
  AUTH_TENANT_NOT_FOUND: 'tenant not found',
  AUTH_CONSENT_MISSING: 'consent missing',
  AUTH_CERTIFICATE_INVALID: 'certificate refused',
  AUTH_CLOCK_SKEW: 'clock skew',
  AUTH_NO_CREDENTIAL: 'no credential',
  AUTH_NETWORK: 'sign-in unreachable',
  AUTH_FAILED: 'sign-in error',
  GRAPH_THROTTLED: 'throttled',
  GRAPH_UNAVAILABLE: 'Graph unavailable',
  GRAPH_FORBIDDEN: '403 missing permission',
  GRAPH_NOT_LICENSED: 'not licensed',
  TENANT_NO_INTUNE: 'no Intune',
  GRAPH_BAD_RESPONSE: 'bad response',
  GRAPH_BAD_REQUEST: 'bad request',
  GRAPH_NOT_FOUND: 'not in this cloud',
  GRAPH_UNAUTHORIZED: '401 unauthorized',
  GRAPH_NETWORK: 'network error',
  GRAPH_NEXTLINK_REJECTED: 'paging refused',
  GRAPH_ITEM_INVALID: 'objects skipped',
  GRAPH_PAGING_INCONSISTENT: 'changed while paging'
}

/** The short label of a code; an unknown code (a newer engine's) is shown as itself. */
export function labelFor(code: ErrorCode | string): string {
  return Object.hasOwn(LABELS, code) ? LABELS[code as ErrorCode] : code
}

/** A stable error code with its few words for badges and the app's hint (null: the message says it all). */
export interface ErrorCodeInfo {
  code: ErrorCode
  label: string
  hint: string | null
}

/** Every stable code with its label and the app's hint: the page shows a bare code with these. */
export function listErrorCodes(): ErrorCodeInfo[] {
  return ERROR_CODES.map((code) => ({ code, label: labelFor(code), hint: hintFor(code, 'app') ?? null }))
}
