/**
 * Stable error codes. They are persisted (runs.error_codes), returned over IPC and printed by the CLI,
 * so automation depends on them: add new codes, never rename or reuse one.
 */
export const ERROR_CODES = [
  // input / API
  'INVALID_INPUT',
  /** an IPC call from a frame that is not our own top-level window */
  'IPC_SENDER_REJECTED',
  'NOT_FOUND',
  'INTERNAL',
  /** an audit pack's folder already holds files (a pack never mixes with or overwrites other files) */
  'EXPORT_TARGET_NOT_EMPTY',
  // run lifecycle
  'LOCK_HELD',
  'LOCK_LOST',
  'CONCURRENCY_LIMIT_GLOBAL',
  'CONCURRENCY_LIMIT_TENANT',
  'CANCELLED',
  'ABANDONED',
  // authentication (fatal for a run, raised before any Graph call)
  'AUTH_INVALID_SECRET',
  'AUTH_SECRET_EXPIRED',
  'AUTH_APP_NOT_FOUND',
  'AUTH_TENANT_NOT_FOUND',
  'AUTH_CONSENT_MISSING',
  'AUTH_CERTIFICATE_INVALID',
  'AUTH_CLOCK_SKEW',
  'AUTH_NO_CREDENTIAL',
  'AUTH_NETWORK',
  'AUTH_FAILED',
  // Graph (per type unless noted)
  'GRAPH_THROTTLED',
  'GRAPH_UNAVAILABLE',
  'GRAPH_FORBIDDEN',
  'GRAPH_NOT_LICENSED',
  'TENANT_NO_INTUNE',
  'GRAPH_BAD_RESPONSE',
  'GRAPH_BAD_REQUEST',
  'GRAPH_NOT_FOUND',
  'GRAPH_UNAUTHORIZED',
  'GRAPH_NETWORK',
  'GRAPH_NEXTLINK_REJECTED',
  // item-level warnings (the type still completes)
  'GRAPH_ITEM_INVALID',
  'GRAPH_PAGING_INCONSISTENT'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** An error that carries a stable code and a message that is safe to show and persist (already redacted). */
export class AtlasError extends Error {
  readonly code: ErrorCode
  readonly details: Record<string, unknown> | undefined
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'AtlasError'
    this.code = code
    this.details = details
  }
}
