import { AtlasError } from '../../domain/error-codes'

/**
 * National clouds. Each one is a separate identity authority AND a separate Graph host: a token from one
 * cloud is useless on another's Graph, so both always travel together.
 */
export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china' | 'custom'

export const CLOUD_NAMES: readonly CloudName[] = ['global', 'usgov', 'usgovdod', 'china', 'custom']

export interface CloudEndpoints {
  /** e.g. https://login.microsoftonline.com (no trailing slash, no tenant) */
  authorityHost: string
  /** e.g. https://graph.microsoft.com (no trailing slash, no version) */
  graphEndpoint: string
  /** e.g. https://graph.microsoft.com/.default: the only scope the client-credentials grant accepts */
  graphScope: string
}

// Hosts from learn.microsoft.com/graph/deployments (national cloud deployments).
const KNOWN: Record<Exclude<CloudName, 'custom'>, { authorityHost: string; graphEndpoint: string }> = {
  global: {
    authorityHost: 'https://login.microsoftonline.com',
    graphEndpoint: 'https://graph.microsoft.com'
  },
  usgov: { authorityHost: 'https://login.microsoftonline.us', graphEndpoint: 'https://graph.microsoft.us' },
  usgovdod: {
    authorityHost: 'https://login.microsoftonline.us',
    graphEndpoint: 'https://dod-graph.microsoft.us'
  },
  china: {
    authorityHost: 'https://login.chinacloudapi.cn',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn'
  }
}

/** A national cloud's fixed sign-in and Graph hosts; a `custom` cloud's are typed in by the user. */
export interface CloudInfo {
  name: Exclude<CloudName, 'custom'>
  authorityHost: string
  graphEndpoint: string
}

/** The national clouds with their fixed hosts, in the order the tenant form offers them. */
export function knownClouds(): CloudInfo[] {
  return (Object.keys(KNOWN) as Array<Exclude<CloudName, 'custom'>>).map((name) => ({ name, ...KNOWN[name] }))
}

export function isCloudName(v: unknown): v is CloudName {
  return typeof v === 'string' && (CLOUD_NAMES as readonly string[]).includes(v)
}

export function cloudEndpoints(
  cloud: CloudName,
  custom?: { authorityHost: string; graphEndpoint: string }
): CloudEndpoints {
  if (cloud === 'custom') {
    if (!custom) {
      throw new AtlasError('INVALID_INPUT', 'Cloud "custom" needs an authority host and a Graph endpoint.')
    }
    return withScope({
      authorityHost: httpsOrigin(custom.authorityHost, 'authority host'),
      graphEndpoint: httpsOrigin(custom.graphEndpoint, 'Graph endpoint')
    })
  }
  const known = KNOWN[cloud]
  if (!known) throw new AtlasError('INVALID_INPUT', `Unknown cloud "${String(cloud)}".`)
  return withScope(known)
}

function withScope(e: { authorityHost: string; graphEndpoint: string }): CloudEndpoints {
  return { ...e, graphScope: `${e.graphEndpoint}/.default` }
}

/**
 * A custom endpoint must be a bare https origin: tokens and secrets travel to it, so plain http is refused,
 * and a path would silently change the token URL MSAL builds (`<host>/<tenant>/oauth2/v2.0/token`).
 */
function httpsOrigin(raw: string, what: string): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new AtlasError('INVALID_INPUT', `The custom ${what} "${raw}" is not a valid URL.`)
  }
  if (url.protocol !== 'https:') {
    throw new AtlasError('INVALID_INPUT', `The custom ${what} must use https:// (got "${url.protocol}").`)
  }
  if (url.username || url.password) {
    throw new AtlasError('INVALID_INPUT', `The custom ${what} must not contain credentials.`)
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new AtlasError(
      'INVALID_INPUT',
      `The custom ${what} must be a bare origin like https://login.example.com (no path, query or fragment).`
    )
  }
  return url.origin
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000'
// DNS name with at least two labels and an alphabetic TLD (contoso.onmicrosoft.com, contoso.com).
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/
// Multi-tenant aliases: posting client credentials to them yields a token for the wrong tenant (or none).
const ALIASES = new Set(['common', 'organizations', 'consumers'])

/** Returns the tenant id normalised (trimmed, lower case), or throws INVALID_INPUT saying what is wrong. */
export function validateAzureTenantId(v: string): string {
  const id = (typeof v === 'string' ? v : '').trim().toLowerCase()
  if (!id)
    throw new AtlasError('INVALID_INPUT', 'The Azure tenant id is empty: enter the directory (tenant) ID.')
  if (ALIASES.has(id)) {
    throw new AtlasError(
      'INVALID_INPUT',
      `"${id}" is not a tenant: use the customer's directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com.`
    )
  }
  if (id === EMPTY_GUID) {
    throw new AtlasError('INVALID_INPUT', 'The Azure tenant id may not be the empty GUID.')
  }
  if (GUID.test(id) || DOMAIN.test(id)) return id
  throw new AtlasError(
    'INVALID_INPUT',
    `"${v}" is not a valid Azure tenant id: expected a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) or a verified domain such as contoso.onmicrosoft.com.`
  )
}
