import type { FetchLike } from './fetch-like'

/**
 * A fetch that sends requests for some https origins to other base URLs (a loopback simulator) and the
 * rest to the real network. The engine keeps talking to the tenant's configured https endpoint; only the
 * transport underneath changes. Used by the demo tenant and by tests; production passes global fetch.
 */
export function routingFetch(
  routes: Record<string, string>,
  fallback: FetchLike = (u, i) => fetch(u, i)
): FetchLike {
  const table = new Map(
    Object.entries(routes).map(([from, to]) => [new URL(from).origin, to.replace(/\/+$/, '')])
  )
  return (url, init) => {
    const parsed = new URL(url)
    const target = table.get(parsed.origin)
    if (!target) return fallback(url, init)
    // like a reverse proxy: the simulator builds absolute @odata.nextLink URLs from the forwarded origin,
    // exactly as real Graph hands out links on its public host
    const headers = {
      ...init.headers,
      'x-forwarded-host': parsed.host,
      'x-forwarded-proto': parsed.protocol.replace(':', '')
    }
    return fallback(`${target}${parsed.pathname}${parsed.search}`, { ...init, headers })
  }
}
