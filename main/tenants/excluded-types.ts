import { AtlasError } from '../../domain/error-codes'
import { getPolicyType } from '../graph/registry'

/**
 * A tenant's excluded policy types (tenants.excluded_types, a JSON array): the types it never syncs, for
 * features it has no licence for. They are out of selection in its runs and missing judgements.
 */

/** A tenant row's excluded_types column (JSON text); anything unreadable counts as no exclusion. */
export function parseExcludedTypes(json: string | null | undefined): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]')
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

/** The list to store: deduplicated and sorted; an unknown type key is refused before anything is written. */
export function checkExcludedTypes(policyTypes: readonly string[]): string[] {
  const keys = [...new Set(policyTypes)].sort()
  const unknown = keys.find((k) => !getPolicyType(k))
  if (unknown) {
    throw new AtlasError(
      'INVALID_INPUT',
      `Unknown policy type "${unknown}"; \`tenant-atlas types\` lists them.`
    )
  }
  return keys
}
