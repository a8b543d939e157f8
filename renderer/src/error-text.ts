/**
 * A few words per stable engine code for places that only have the code (a type's outcome in a live
 * event, a run's error list). Where the engine sends its own message and hint, those are shown instead.
 */
const TEXT: Record<string, { short: string; hint: string }> = {
  GRAPH_FORBIDDEN: {
    short: '403 missing permission',
    hint: 'Grant the app the read permission for this type, then give admin consent.'
  },
  GRAPH_NOT_LICENSED: { short: 'not licensed', hint: 'The tenant has no licence for this feature.' },
  TENANT_NO_INTUNE: { short: 'no Intune', hint: 'The tenant has no Intune subscription.' },
  GRAPH_THROTTLED: { short: 'throttled', hint: 'Graph kept asking to wait; sync again later.' },
  GRAPH_UNAVAILABLE: { short: 'Graph unavailable', hint: 'Graph answered 5xx; sync again later.' },
  GRAPH_BAD_RESPONSE: { short: 'bad response', hint: 'Graph sent a page we could not read.' },
  GRAPH_BAD_REQUEST: { short: 'bad request', hint: 'Graph refused the query for this type.' },
  GRAPH_NOT_FOUND: { short: 'not found', hint: 'This collection does not exist in the tenant’s cloud.' },
  GRAPH_UNAUTHORIZED: { short: '401 unauthorized', hint: 'The token was refused; test the connection.' },
  GRAPH_NETWORK: { short: 'network error', hint: 'Check the network connection and sync again.' },
  GRAPH_NEXTLINK_REJECTED: { short: 'paging refused', hint: 'Graph sent a next page on another host.' },
  CANCELLED: { short: 'cancelled', hint: 'You stopped the sync; finished types were kept.' },
  ABANDONED: { short: 'interrupted', hint: 'The app closed during the sync; sync again.' },
  LOCK_HELD: { short: 'already syncing', hint: 'Another sync of this tenant is running.' },
  CONCURRENCY_LIMIT_GLOBAL: { short: 'too many syncs', hint: 'Wait for a running sync to finish.' },
  CONCURRENCY_LIMIT_TENANT: { short: 'already syncing', hint: 'Wait for this tenant’s sync to finish.' },
  AUTH_INVALID_SECRET: {
    short: 'sign-in error',
    hint: 'The client secret is wrong: enter its value, not its ID.'
  },
  AUTH_SECRET_EXPIRED: { short: 'secret expired', hint: 'Create a new client secret and update the tenant.' },
  AUTH_APP_NOT_FOUND: { short: 'app not found', hint: 'Check the application (client) ID and the tenant.' },
  AUTH_TENANT_NOT_FOUND: { short: 'tenant not found', hint: 'Check the tenant ID or domain.' },
  AUTH_CONSENT_MISSING: {
    short: 'consent missing',
    hint: 'A Global Administrator must grant admin consent.'
  },
  AUTH_CERTIFICATE_INVALID: {
    short: 'certificate refused',
    hint: 'Upload this certificate to the app registration.'
  },
  AUTH_CLOCK_SKEW: { short: 'clock skew', hint: 'Correct this computer’s clock.' },
  AUTH_NO_CREDENTIAL: {
    short: 'no credential',
    hint: 'Enter the secret or certificate again (kept in memory only).'
  },
  AUTH_NETWORK: { short: 'sign-in unreachable', hint: 'Check the network and the authority host.' },
  AUTH_FAILED: { short: 'sign-in error', hint: 'Test the connection for details.' }
}

export function codeShort(code: string | undefined): string | undefined {
  return code ? (TEXT[code]?.short ?? code) : undefined
}

export function codeHint(code: string | undefined): string | undefined {
  return code ? TEXT[code]?.hint : undefined
}
