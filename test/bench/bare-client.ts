/**
 * The least work any Graph client must do: GET a page, read and parse the JSON to find @odata.nextLink,
 * repeat. No normalising, no storing, no pacing. Run with the same worker count and the same
 * longest-chain-first order as the engine, its wall time is the floor this fake + loopback HTTP allow, so
 * "engine / bare client" isolates the engine's own overhead from the fake's per-request cost, which the
 * nominal ideal bound (pages × latency) does not include.
 */
export async function bareEnumerate(opts: {
  baseUrl: string
  paths: string[]
  /** pages per path, for the longest-first order */
  pagesByPath: Record<string, number>
  workers: number
  token: string
}): Promise<{ requests: number }> {
  const queue = [...opts.paths].sort((a, b) => (opts.pagesByPath[b] ?? 0) - (opts.pagesByPath[a] ?? 0))
  let requests = 0
  const headers = { Authorization: `Bearer ${opts.token}`, Accept: 'application/json' }
  const worker = async (): Promise<void> => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      let url: string | undefined = `${opts.baseUrl}/beta${path}`
      while (url) {
        const res = await fetch(url, { headers })
        const body = JSON.parse(await res.text()) as { '@odata.nextLink'?: string }
        requests++
        if (!res.ok) throw new Error(`bare client: ${res.status} for ${url}`)
        url = body['@odata.nextLink']
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.workers, queue.length) }, worker))
  return { requests }
}

/**
 * The bare client over many tenants with a global permit count, as the engine's "sync all" runs them: at most
 * `permits` tenants at once, the next one starting as soon as one finishes, each enumerated by
 * bareEnumerate with its own token (so each tenant has its own budget at the fake).
 */
export async function bareEnumerateTenants(opts: {
  baseUrl: string
  paths: string[]
  pagesByPath: Record<string, number>
  tenantKeys: string[]
  permits: number
  workers: number
}): Promise<{ requests: number }> {
  const queue = [...opts.tenantKeys]
  let requests = 0
  const slot = async (): Promise<void> => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      const done = await bareEnumerate({
        baseUrl: opts.baseUrl,
        paths: opts.paths,
        pagesByPath: opts.pagesByPath,
        workers: opts.workers,
        token: fakeTenantToken(key)
      })
      requests += done.requests
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.permits, queue.length) }, slot))
  return { requests }
}

/** A JWT-shaped bearer the fake reads its tenant key (`tid`) from. */
export function fakeTenantToken(tenantKey: string): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'none' })}.${part({ tid: tenantKey })}.bench`
}
