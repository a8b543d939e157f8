import type { ErrorCode } from './error-codes'

/**
 * One short "what to do about it" per stable error code, shown next to the code by the CLI and the app.
 * The engine's messages say what happened; a consultant also needs the next step without opening the docs.
 * One table for both surfaces: where the step differs (a CLI user sets an environment variable, an app user
 * edits the tenant) the entry names both, so the two cannot drift apart on anything else.
 */
type Hint = string | { app: string | null; cli: string | null } | null

const HINTS: { readonly [C in ErrorCode]: Hint } = {
  INVALID_INPUT: null,
  IPC_SENDER_REJECTED: { app: 'reload the window; if it persists, restart Tenant Atlas', cli: null },
  NOT_FOUND: {
    app: 'the tenant or run no longer exists; refresh the list',
    cli: 'check the name with `tenant-atlas tenants list`'
  },
  EXPORT_TARGET_NOT_EMPTY: 'choose a new or empty folder for the audit pack',
  INTERNAL: { app: 'an unexpected error; the log file has the details', cli: null },
  LOCK_HELD: 'another sync of this tenant is running (desktop app or another CLI); try again when it ends',
  LOCK_LOST: 'the sync lost its lock (machine asleep or database busy); run it again',
  CONCURRENCY_LIMIT_GLOBAL: 'too many syncs queued at once; sync fewer tenants at a time',
  CONCURRENCY_LIMIT_TENANT: 'this tenant already has syncs queued; wait for them',
  CANCELLED: 'the sync was cancelled; run it again',
  ABANDONED: 'a previous sync stopped without finishing (crash or kill); run it again',
  AUTH_INVALID_SECRET: {
    app: "the client secret is wrong: edit the tenant and paste the secret's VALUE (not its id)",
    cli: 'the client secret is wrong: copy the secret VALUE (not its id) into the variable'
  },
  AUTH_SECRET_EXPIRED: 'the client secret expired: create a new one on the app registration',
  AUTH_APP_NOT_FOUND: 'check the client id, and that the app is consented in this tenant',
  AUTH_TENANT_NOT_FOUND: 'check the Azure tenant id and the cloud',
  AUTH_CONSENT_MISSING: 'an admin must grant consent to the app in the client tenant',
  AUTH_CERTIFICATE_INVALID: 'upload the certificate to the app registration, or renew it',
  AUTH_CLOCK_SKEW: "fix this computer's clock",
  AUTH_NO_CREDENTIAL: {
    app: "the tenant's credential is not available (kept in memory only, or removed): edit the tenant and enter it again",
    cli: 'set the environment variable or certificate file the tenant was added with'
  },
  AUTH_NETWORK: 'the sign-in endpoint is unreachable: check network, proxy or TLS inspection',
  AUTH_FAILED: 'sign-in failed; see the message for the Entra error',
  GRAPH_THROTTLED: 'Graph kept throttling; run again later',
  GRAPH_UNAVAILABLE: 'Graph was unavailable; run again later',
  GRAPH_FORBIDDEN: 'grant the app the Graph application permission named in the message and admin-consent it',
  GRAPH_NOT_LICENSED: 'the tenant has no license for this feature; nothing to collect',
  TENANT_NO_INTUNE: 'the tenant has no Intune license or MDM authority',
  GRAPH_BAD_RESPONSE: 'Graph sent an unusable response; run again, report it if it persists',
  GRAPH_BAD_REQUEST: 'Graph refused the request for this tenant; report it with the request id',
  GRAPH_NOT_FOUND: 'this endpoint does not exist in this tenant or cloud',
  GRAPH_UNAUTHORIZED: 'the token was refused: check the cloud and the app permissions',
  GRAPH_NETWORK: 'Graph is unreachable: check network, proxy or TLS inspection',
  GRAPH_NEXTLINK_REJECTED: 'Graph pointed to another host; nothing was sent there. Report it',
  GRAPH_ITEM_INVALID: 'some objects were unusable and skipped',
  GRAPH_PAGING_INCONSISTENT: 'objects changed while paging; run again for an exact list'
}

export type HintSurface = 'app' | 'cli'

/** The hint for a code on one surface; undefined for codes whose message says it all (and unknown codes). */
export function hintFor(
  code: ErrorCode | string | undefined,
  surface: HintSurface = 'app'
): string | undefined {
  if (!code || !Object.hasOwn(HINTS, code)) return undefined
  const hint = HINTS[code as ErrorCode]
  if (hint === null || typeof hint === 'string') return hint ?? undefined
  return hint[surface] ?? undefined
}
