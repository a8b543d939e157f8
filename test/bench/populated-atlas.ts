/**
 * An engine (createAtlas) whose database holds 100k items observed by two finished syncs of the
 * "every category" selection: the first saw every item, the second missed every `missEvery`-th one. The
 * rows are written through InventoryRepo.writePage (the engine's own writer), so the read benchmarks see
 * exactly what a real sync leaves behind, without paying 100k items of HTTP to build it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TenantView } from '../../main/app/atlas-api'
import { createTestAtlas, type TestAtlas } from '../support/create-test-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { InventoryRepo, type StoredItemInput } from '../../db/repositories/inventory-repo'
import { CATEGORIES } from '../../domain/policy-type'
import { emptyTypeOutcome } from '../../domain/run'
import { POLICY_TYPES } from '../../main/graph/registry'
import { effectivePolicyTypes, normalizeSelection, selectionHash } from '../../main/inventory/selection'
import { finishRun, pagesOf, startRun } from './item-fixture'

export const ALL_SELECTION = { categories: [...CATEGORIES] }

export interface PopulatedAtlas {
  atlas: TestAtlas
  tenant: TenantView
  selectionHash: string
  items: number
  /** items the second run did not observe */
  missing: number
  dir: string
  close(): Promise<void>
}

export async function populatedAtlas(items: StoredItemInput[], missEvery: number): Promise<PopulatedAtlas> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-read-'))
  const atlas = createTestAtlas({ dataDir: dir, secretStore: new MemorySecretStore() })
  const tenant = await atlas.addTenant({
    displayName: 'Bench tenant',
    azureTenantId: 'bench.onmicrosoft.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    cloud: 'global',
    credential: { kind: 'secret', value: 'bench-secret-value' }
  })
  const sqlite = atlas.db.sqlite
  const repo = new InventoryRepo(sqlite)
  const selection = normalizeSelection(ALL_SELECTION)
  const hash = selectionHash(selection)
  const scope = { tenantId: tenant.id, selectionHash: hash }
  const complete = JSON.stringify(
    Object.fromEntries(
      effectivePolicyTypes(selection).map((k) => [k, { ...emptyTypeOutcome(), status: 'complete' }])
    )
  )
  const sync = (seen: StoredItemInput[], startIso: string, endIso: string): void => {
    const run = startRun(sqlite, startIso, '{}', scope)
    sqlite
      .prepare('UPDATE inventory_sync_runs SET selection_payload = ? WHERE id = ?')
      .run(JSON.stringify(selection), run.runId)
    let observed = 0
    for (const page of pagesOf(seen, 1000)) {
      observed += page.length
      repo.writePage({
        tenantId: tenant.id,
        selectionHash: hash,
        runId: run.runId,
        nowIso: startIso,
        items: page,
        lock: run.lock,
        progress: { itemsObserved: observed, itemsUpserted: 0, typeOutcomesJson: '{}' }
      })
    }
    finishRun(sqlite, run.runId, endIso, complete, seen.length)
  }
  sync(items, '2026-01-01T08:00:00.000Z', '2026-01-01T08:05:00.000Z')
  const secondSeen = items.filter((_, i) => i % missEvery !== 0)
  sync(secondSeen, '2026-01-02T08:00:00.000Z', '2026-01-02T08:05:00.000Z')
  return {
    atlas,
    tenant,
    selectionHash: hash,
    items: items.length,
    missing: items.length - secondSeen.length,
    dir,
    async close() {
      await atlas.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Policy types whose item counts add up to about `target`, for a smaller export of the same database. */
export function typesWorth(items: StoredItemInput[], target: number): { types: string[]; rows: number } {
  const counts = new Map<string, number>()
  for (const i of items) counts.set(i.policyType, (counts.get(i.policyType) ?? 0) + 1)
  const types: string[] = []
  let rows = 0
  for (const t of POLICY_TYPES) {
    const n = counts.get(t.key) ?? 0
    if (n === 0 || rows + n > target * 1.2) continue
    types.push(t.key)
    rows += n
    if (rows >= target * 0.8) break
  }
  return { types, rows }
}
