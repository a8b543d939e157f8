import { AtlasError, type ErrorCode } from '../../domain/error-codes'
import { redactText } from '../util/redact'

export interface GraphErrorInfo {
  status?: number
  requestId?: string
  clientRequestId?: string
  missingScopes?: string[]
  retryAfterMs?: number
  /** Graph's own error.code, e.g. "Forbidden", "BadRequest" */
  graphCode?: string
}

/**
 * A failed Graph call, with a stable code the run records per type. The message is redacted here, in the
 * one constructor every Graph failure goes through, so no call site can forget it.
 */
export class GraphError extends AtlasError {
  readonly status?: number
  readonly requestId?: string
  readonly clientRequestId?: string
  readonly missingScopes?: string[]
  readonly retryAfterMs?: number
  readonly graphCode?: string

  constructor(code: ErrorCode, message: string, info: GraphErrorInfo = {}) {
    const details = Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined))
    super(code, redactText(message), Object.keys(details).length > 0 ? details : undefined)
    this.name = 'GraphError'
    this.status = info.status
    this.requestId = info.requestId
    this.clientRequestId = info.clientRequestId
    this.missingScopes = info.missingScopes
    this.retryAfterMs = info.retryAfterMs
    this.graphCode = info.graphCode
  }
}

export interface ParsedGraphError {
  code?: string
  /** the human message; for Intune the inner "Message" of the JSON document serialised into error.message */
  message?: string
  requestId?: string
  clientRequestId?: string
  date?: string
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Property lookup ignoring case: Graph spells it innerError, the docs innererror. */
function getCI(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name]
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(obj)) if (key.toLowerCase() === lower) return value
  return undefined
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/** Intune puts a JSON document in error.message as a string; its "Message" is the text worth reading. */
function unwrapIntuneMessage(message: string): string {
  if (!message.trimStart().startsWith('{')) return message
  try {
    const inner: unknown = JSON.parse(message)
    if (isRecord(inner)) return str(getCI(inner, 'Message')) ?? message
  } catch {
    // not JSON after all: keep the text as sent
  }
  return message
}

export function parseGraphErrorBody(body: unknown): ParsedGraphError {
  if (!isRecord(body)) return {}
  const error = getCI(body, 'error')
  if (!isRecord(error)) return {}
  const inner = getCI(error, 'innerError')
  const innerRec = isRecord(inner) ? inner : {}
  const rawMessage = str(getCI(error, 'message'))
  return {
    code: str(getCI(error, 'code')),
    message: rawMessage === undefined ? undefined : unwrapIntuneMessage(rawMessage),
    requestId: str(getCI(innerRec, 'request-id')),
    clientRequestId: str(getCI(innerRec, 'client-request-id')),
    date: str(getCI(innerRec, 'date'))
  }
}

const SCOPE_TOKEN = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+$/

/**
 * "Application must have one of the following scopes: A, B - Operation ID ..." → [A, B].
 * Undefined when the message names no scope.
 */
export function extractMissingScopes(message: string): string[] | undefined {
  const match = /one of the following scopes\s*:\s*([^\r\n]*)/i.exec(message)
  if (!match?.[1]) return undefined
  // the list ends where Intune appends " - Operation ID ..." (or at a quote when the JSON was not unwrapped)
  const list = match[1].split(/\s+-\s+|["\]]/)[0] ?? ''
  const scopes = list
    .split(/[,;]|\s+or\s+/i)
    .map((s) => s.trim().replace(/^\[/, ''))
    .filter((s) => SCOPE_TOKEN.test(s))
  return scopes.length > 0 ? [...new Set(scopes)] : undefined
}

export interface ClassifyInput {
  status: number
  /** parsed JSON body, or undefined when the body was empty or not JSON */
  body: unknown
  /** the type is a licensed feature: a 403 without a scope list means "not licensed" */
  licenseGated?: boolean
}

export interface Classification {
  code: ErrorCode
  /** human explanation, the part after "Graph answered 403 Forbidden for /path: " */
  reason: string
  missingScopes?: string[]
  graphCode?: string
  requestId?: string
  clientRequestId?: string
}

/** Phrases Graph uses for missing permissions when it names no scope. */
const PERMISSION_PHRASE = /not authorized|insufficient privileges|permissions? configured|access is denied/i

function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine
}

/**
 * Per-type outcome of a Graph failure (graph-intune-reference.md §3e). Pure: status + parsed body in,
 * stable code and a human reason out.
 */
export function classifyGraphError(input: ClassifyInput): Classification {
  const parsed = parseGraphErrorBody(input.body)
  const message = parsed.message ?? ''
  const graphCode = parsed.code
  const ids = { graphCode, requestId: parsed.requestId, clientRequestId: parsed.clientRequestId }
  const said = message ? ` (Graph said: ${clip(message)})` : ''
  const status = input.status

  if (status === 401) {
    return {
      code: 'GRAPH_UNAUTHORIZED',
      reason: 'the access token was rejected, also after a refresh',
      ...ids
    }
  }
  if (status === 403 || graphCode?.toLowerCase() === 'authorization_requestdenied') {
    const missingScopes = extractMissingScopes(message)
    if (missingScopes) {
      return {
        code: 'GRAPH_FORBIDDEN',
        reason: `missing permission ${missingScopes.join(' or ')}`,
        missingScopes,
        ...ids
      }
    }
    if (graphCode?.toLowerCase() === 'authorization_requestdenied' || PERMISSION_PHRASE.test(message)) {
      return { code: 'GRAPH_FORBIDDEN', reason: `the app lacks permission to read this${said}`, ...ids }
    }
    if (input.licenseGated) {
      return { code: 'GRAPH_NOT_LICENSED', reason: 'the tenant is not licensed for this feature', ...ids }
    }
    return { code: 'GRAPH_FORBIDDEN', reason: `access denied${said}`, ...ids }
  }
  if (status === 400 || status === 404) {
    if (/request not applicable to target tenant/i.test(message)) {
      return {
        code: 'TENANT_NO_INTUNE',
        reason: 'the tenant has no usable Intune (no license or no MDM authority)',
        ...ids
      }
    }
    if (status === 404 || /resource not found for the segment/i.test(message)) {
      return {
        code: 'GRAPH_NOT_FOUND',
        reason: `this collection does not exist for this API version or tenant${said}`,
        ...ids
      }
    }
    return { code: 'GRAPH_BAD_REQUEST', reason: `the request was rejected${said}`, ...ids }
  }
  if (status === 429) return { code: 'GRAPH_THROTTLED', reason: 'Graph is throttling this tenant', ...ids }
  if (status >= 500) return { code: 'GRAPH_UNAVAILABLE', reason: `Graph failed on its side${said}`, ...ids }
  if (status >= 300 && status < 400) {
    // redirects are not followed: the token must only ever go to the configured Graph host
    return {
      code: 'GRAPH_BAD_RESPONSE',
      reason: 'Graph answered with a redirect, which is not followed',
      ...ids
    }
  }
  if (status >= 400) return { code: 'GRAPH_BAD_REQUEST', reason: `the request was rejected${said}`, ...ids }
  return { code: 'GRAPH_BAD_RESPONSE', reason: 'unexpected status', ...ids }
}

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
}

/** "403 Forbidden": HTTP/2 and test servers often send no reason phrase, so keep our own. */
export function statusLabel(status: number): string {
  const text = STATUS_TEXT[status]
  return text ? `${status} ${text}` : String(status)
}
