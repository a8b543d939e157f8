/**
 * Measuring helpers shared by the benchmarks: medians, percentiles, a memory sampler and an explicit GC.
 * Every figure the bench judges is a RATIO of two measurements taken in the same run on the same machine,
 * so a slow or busy machine moves both sides and the verdict stays meaningful.
 */
import { cpus, availableParallelism, totalmem, platform, release } from 'node:os'
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]!
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Wall time of one call in ms (performance.now: monotonic, sub-ms). */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now()
  const value = await fn()
  return { ms: performance.now() - start, value }
}

/**
 * Runs `fn` `warmup` times unmeasured (JIT, SQLite page cache, statement caches), then `runs` times, and
 * returns every measured time so the report can show the spread next to the median.
 */
export async function repeat(
  runs: number,
  warmup: number,
  fn: (iteration: number) => Promise<number> | number
): Promise<{ median: number; samples: number[] }> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i)
  const samples: number[] = []
  for (let i = 0; i < runs; i++) samples.push(await fn(i))
  return { median: median(samples), samples }
}

/**
 * Times two ways of doing the same work (the engine's and a hand-written baseline) taking turns, `a` then
 * `b` in every round after `warmup` unmeasured rounds, so a load change on the machine hits both alike.
 */
export async function interleaved(
  runs: number,
  warmup: number,
  a: () => unknown,
  b: () => unknown
): Promise<{ a: number[]; b: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await a()
    await b()
  }
  const samples = { a: [] as number[], b: [] as number[] }
  for (let i = 0; i < runs; i++) {
    samples.a.push((await timed(a)).ms)
    samples.b.push((await timed(b)).ms)
  }
  return samples
}

let gcFn: (() => void) | undefined

/**
 * A full GC before a memory measurement, so the baseline is not inflated by garbage of the previous
 * benchmark. `npm run bench` runs plain `tsx` (no --expose-gc), so the flag is switched on at run time.
 */
export function forceGc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc')
    gcFn = runInNewContext('gc') as () => void
  }
  gcFn()
  gcFn()
}

export interface MemoryPeak {
  /** peak RSS above the RSS at start, MB */
  rssDeltaMb: number
  /** peak V8 heap used above the heap at start, MB */
  heapDeltaMb: number
  /** RSS at start, MB */
  rssStartMb: number
}

/**
 * Samples process memory on a timer while a measured phase runs. Sampling on the event loop means a phase
 * that blocks the loop is sampled less often; the phases measured here yield regularly (streams, HTTP).
 */
export function memorySampler(intervalMs = 20): { stop(): MemoryPeak } {
  const start = process.memoryUsage()
  let peakRss = start.rss
  let peakHeap = start.heapUsed
  const sample = (): void => {
    const m = process.memoryUsage()
    if (m.rss > peakRss) peakRss = m.rss
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed
  }
  const timer = setInterval(sample, intervalMs)
  return {
    stop() {
      sample()
      clearInterval(timer)
      const mb = (b: number): number => round(b / (1024 * 1024), 1)
      return {
        rssDeltaMb: mb(peakRss - start.rss),
        heapDeltaMb: mb(peakHeap - start.heapUsed),
        rssStartMb: mb(start.rss)
      }
    }
  }
}

export interface MachineInfo {
  date: string
  nproc: number
  cpuModel: string
  totalMemGb: number
  node: string
  platform: string
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalMemGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${platform()} ${release()}`
  }
}
