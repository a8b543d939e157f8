import type { PolicyTypeDef } from '../../domain/policy-type'
import { groupBySource, type PolicySource } from '../graph/registry'

/**
 * The order in which a run reads its collections (pure): one entry per Graph collection (several types may
 * share one), longest page chain first, so the chain that bounds the run starts at once. The chain length
 * is the previous run's page count of the type, or, for a type never synced, a guess from its page size
 * (always below one page, so a known chain outranks every guess).
 */
export function collectionOrder(
  types: readonly PolicyTypeDef[],
  lastPages: Readonly<Record<string, number>>
): PolicySource[] {
  const weight = (g: PolicySource): number =>
    Math.max(...g.types.map((t) => lastPages[t.key] ?? 1 / (t.expectedPageSize ?? 100)))
  return [...groupBySource(types)].sort((a, b) => weight(b) - weight(a))
}

/**
 * Runs `read` over `queue` with at most `concurrency` collections at once, each next one taken from the
 * head as a slot frees. `read` must not throw (a collection records its own failure); resolves when all
 * are done.
 */
export async function readCollections<T>(
  queue: readonly T[],
  concurrency: number,
  read: (item: T) => Promise<void>
): Promise<void> {
  const pending = [...queue]
  const slot = async (): Promise<void> => {
    for (let next = pending.shift(); next !== undefined; next = pending.shift()) await read(next)
  }
  const n = Math.max(1, Math.min(concurrency, pending.length))
  await Promise.all(Array.from({ length: n }, slot))
}
