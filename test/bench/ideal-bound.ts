/**
 * The fastest any client could enumerate a set of paged collections, given three limits:
 *  - a collection's pages are a chain: page n+1's URL is only known once page n arrived;
 *  - at most `permits` collections are fetched at once (the engine's typeConcurrency);
 *  - the pacer lets at most `maxRequests` requests start in any `windowMs` (the rate budget).
 * Each request costs at least one fake latency. Client CPU time (parse, normalise, store) counts as zero,
 * which is exactly what the ratio measured / ideal then exposes.
 */
export interface IdealBoundInput {
  /** item count per collection path */
  counts: Record<string, number>
  /** page size per collection path (the fake's per-collection default) */
  pageSizes: Record<string, number>
  permits: number
  latencyMs: number
  pacing: { maxRequests: number; windowMs: number }
}

export interface IdealBound {
  pages: number
  longestChain: number
  longestChainPath: string
  chainMs: number
  permitsMs: number
  rateMs: number
  idealMs: number
  binding: 'longest chain' | 'pages / permits' | 'rate budget'
  pagesByPath: Record<string, number>
}

/** A collection with no items still costs one request (an empty first page). */
export function pagesOf(count: number, pageSize: number): number {
  return Math.max(1, Math.ceil(count / pageSize))
}

export function idealBound(input: IdealBoundInput): IdealBound {
  const pagesByPath: Record<string, number> = {}
  let pages = 0
  let longestChain = 0
  let longestChainPath = ''
  for (const [path, count] of Object.entries(input.counts)) {
    const size = input.pageSizes[path]
    if (size === undefined) throw new Error(`no page size for ${path}`)
    const n = pagesOf(count, size)
    pagesByPath[path] = n
    pages += n
    if (n > longestChain) {
      longestChain = n
      longestChainPath = path
    }
  }
  const L = input.latencyMs
  const chainMs = longestChain * L
  const permitsMs = Math.ceil(pages / input.permits) * L
  // the (k·max+1)-th request cannot start before k windows have passed since the first one
  const rateMs = Math.floor((pages - 1) / input.pacing.maxRequests) * input.pacing.windowMs + L
  const idealMs = Math.max(chainMs, permitsMs, rateMs)
  const binding =
    idealMs === chainMs ? 'longest chain' : idealMs === permitsMs ? 'pages / permits' : 'rate budget'
  return { pages, longestChain, longestChainPath, chainMs, permitsMs, rateMs, idealMs, binding, pagesByPath }
}
