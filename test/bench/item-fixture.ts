/**
 * 100k stored items as the engine would store them (routed and normalised from generated Graph data), and
 * a database prepared the way a running sync leaves it (tenant, running run, held lock), for benchmarks
 * that exercise the storage layer without HTTP.
 */
import type Database from 'better-sqlite3'
import type { StoredItemInput } from '../../db/repositories/inventory-repo'
import { POLICY_TYPES, routeItem } from '../../main/graph/registry'
import { normalizeItem } from '../../main/inventory/normalize-item'
import { generateTenant } from '../../main/demo/simulator/tenant-generator'

/** Exactly `count` items from a realistic tenant (excluded or unrouted Graph rows are skipped). */
export function storedItems(count: number, seed = 100_000): StoredItemInput[] {
  // a little extra: some collections drop rows (Microsoft's global scripts, MAM app config) or feed no type
  const data = generateTenant({ seed, size: Math.ceil(count * 1.06), profile: 'realistic' })
  const out: StoredItemInput[] = []
  for (const [path, raws] of Object.entries(data)) {
    const types = POLICY_TYPES.filter((t) => t.path === path)
    if (types.length === 0) continue
    for (const raw of raws) {
      const def = routeItem(types, raw)
      if (!def) continue
      const n = normalizeItem(def, raw)
      if (!n.ok) continue
      out.push({
        policyType: def.key,
        externalId: n.item.externalId,
        displayName: n.item.displayName,
        category: n.item.category,
        platform: n.item.platform,
        metaJson: n.item.metaJson
      })
    }
  }
  if (out.length < count) throw new Error(`fixture produced ${out.length} items, wanted ${count}`)
  return out.slice(0, count)
}

/**
 * Writes items straight into one tenant's inventory (first and last seen at `nowIso`, no run), in one
 * transaction: the store of a read benchmark, without the sync that would have filled it.
 */
export function insertStoredItems(
  sqlite: Database.Database,
  tenantId: string,
  items: readonly StoredItemInput[],
  nowIso: string
): void {
  const insert = sqlite.prepare(
    `INSERT INTO inventory_items (tenant_id, policy_type, external_id, display_name, category, platform,
       meta_json, first_seen_at, last_seen_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  sqlite.transaction(() => {
    for (const i of items) {
      insert.run(
        tenantId,
        i.policyType,
        i.externalId,
        i.displayName,
        i.category,
        i.platform,
        i.metaJson,
        nowIso,
        nowIso,
        nowIso,
        nowIso
      )
    }
  })()
}

export const FIXTURE_TENANT = 'bench-tenant'
export const FIXTURE_SELECTION_HASH = 'f'.repeat(64)
const LOCK_TOKEN = 7

export interface RunHandle {
  runId: number
  lock: { token: number; expiresIso: string }
}

/** Inserts the tenant row (once per database). */
export function seedTenant(sqlite: Database.Database, nowIso: string, tenantId = FIXTURE_TENANT): void {
  sqlite
    .prepare(
      `INSERT INTO tenants (id, display_name, azure_tenant_id, cloud, client_id, auth_method, is_demo, created_at, updated_at)
       VALUES (?, 'Bench', 'bench.onmicrosoft.com', 'global', 'c', 'client_secret', 0, ?, ?)`
    )
    .run(tenantId, nowIso, nowIso)
}

/** A running run holding the selection's lock: what InventoryRepo.writePage's fence expects. */
export function startRun(
  sqlite: Database.Database,
  nowIso: string,
  typeOutcomes = '{}',
  scope: { tenantId: string; selectionHash: string } = {
    tenantId: FIXTURE_TENANT,
    selectionHash: FIXTURE_SELECTION_HASH
  }
): RunHandle {
  const { tenantId, selectionHash } = scope
  const runId = Number(
    sqlite
      .prepare(
        `INSERT INTO inventory_sync_runs (tenant_id, selection_hash, selection_payload, status, type_outcomes,
           correlation_id, trigger, started_at) VALUES (?, ?, '{}', 'running', ?, 'bench', 'test', ?)`
      )
      .run(tenantId, selectionHash, typeOutcomes, nowIso).lastInsertRowid
  )
  const expiresIso = '2999-01-01T00:00:00.000Z'
  sqlite
    .prepare(
      `INSERT INTO inventory_sync_locks (tenant_id, selection_hash, holder_run_id, owner, fencing_token,
         acquired_at, heartbeat_at, expires_at) VALUES (?, ?, ?, '{}', ?, ?, ?, ?)
       ON CONFLICT (tenant_id, selection_hash) DO UPDATE SET holder_run_id = excluded.holder_run_id`
    )
    .run(tenantId, selectionHash, runId, LOCK_TOKEN, nowIso, nowIso, expiresIso)
  return { runId, lock: { token: LOCK_TOKEN, expiresIso } }
}

export function finishRun(
  sqlite: Database.Database,
  runId: number,
  finishedIso: string,
  typeOutcomes: string,
  observed: number
): void {
  sqlite
    .prepare(
      `UPDATE inventory_sync_runs SET status = 'success', finished_at = ?, type_outcomes = ?,
         items_observed_count = ? WHERE id = ?`
    )
    .run(finishedIso, typeOutcomes, observed, runId)
}

export function pagesOf<T>(items: readonly T[], pageSize: number): T[][] {
  const pages: T[][] = []
  for (let i = 0; i < items.length; i += pageSize) pages.push(items.slice(i, i + pageSize))
  return pages
}
