/**
 * Scrubs credentials out of any text that leaves the process: error messages, logs, IPC payloads, exports.
 *
 * Two layers, because neither is enough alone:
 * - shape patterns catch credentials we can recognise (Bearer headers, JWTs, OAuth form/JSON fields, PEM keys);
 * - a registry of exact values catches the ones we cannot (a client secret is just random characters).
 *   The vault registers every secret it loads and forgets it when it is removed.
 */

const REDACTED = '[REDACTED]'

/** Shorter values would blank out ordinary words in every message; real secrets are far longer. */
const MIN_SECRET_LENGTH = 4

/** How much of a $skiptoken / $skip value a log may keep: enough to tell pages apart, not to replay them. */
const SKIP_PREFIX_LENGTH = 8

const registry = new Set<string>()

export function registerSecret(value: string): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return
  registry.add(value)
}

export function forgetSecret(value: string): void {
  registry.delete(value)
}

/** Keys whose values are credentials wherever they appear (OAuth form bodies, token JSON, config dumps). */
const SECRET_KEYS = [
  'client_secret',
  'clientSecret',
  'client_assertion',
  'clientAssertion',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'id_token',
  'password'
].join('|')

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[REDACTED PRIVATE KEY]'],
  [/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi, `Bearer ${REDACTED}`],
  [/\bBasic\s+[A-Za-z0-9+/]{8,}=*/g, `Basic ${REDACTED}`],
  // JWTs, also truncated ones (a header segment alone already starts with base64 of '{"')
  [/\beyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){0,2}/g, REDACTED],
  // form / query text: client_secret=...&  (client_assertion_type is not matched: the key must end at '=')
  [new RegExp(`\\b(${SECRET_KEYS})=[^&\\s"'<>]+`, 'gi'), `$1=${REDACTED}`],
  // JSON: "access_token": "..."
  [new RegExp(`"(${SECRET_KEYS})"(\\s*):(\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `"$1"$2:$3"${REDACTED}"`],
  // JSON serialised inside a JSON string (Intune does this): \"access_token\":\"...\"
  [new RegExp(`\\\\"(${SECRET_KEYS})\\\\"(\\s*):(\\s*)\\\\".*?\\\\"`, 'gi'), `\\"$1\\"$2:$3\\"${REDACTED}\\"`]
]

export function redactText(text: string, extraSecrets: string[] = []): string {
  let out = String(text)
  // exact secrets first, longest first, so a secret that contains a shorter one is removed whole
  const exact = [
    ...registry,
    ...extraSecrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
  ]
  const variants = new Set<string>()
  for (const secret of exact) {
    variants.add(secret)
    // form bodies and URLs carry the percent-encoded spelling
    variants.add(encodeURIComponent(secret))
  }
  for (const secret of [...variants].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED)
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
  return out
}

/**
 * Every string in a value through redactText (bearer tokens, JWTs, registered secrets), down to a depth
 * that bounds the walk; an Error becomes its name and redacted message. For log lines and for data from
 * the sync worker, which cannot know the registered secrets.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, 0) as T
}

function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value)
  if (depth > 6 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1))
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = walk(v, depth + 1)
  return out
}

/** The message of anything thrown, redacted: what may go into a log, a run's outcome or across a thread. */
export function redactedMessage(err: unknown): string {
  return redactText(err instanceof Error ? err.message : String(err))
}

/**
 * A URL fit for logs and messages: `$skiptoken` / `$skip` values cut to a short prefix (they are opaque
 * paging state that could be replayed), plus the usual secret scrubbing.
 */
export function redactUrl(url: string): string {
  const cut = url.replace(
    /([?&](?:\$|%24)skip(?:token)?=)([^&#]*)/gi,
    (_match, key: string, value: string) =>
      value.length > SKIP_PREFIX_LENGTH ? `${key}${value.slice(0, SKIP_PREFIX_LENGTH)}…` : `${key}${value}`
  )
  return redactText(cut)
}
