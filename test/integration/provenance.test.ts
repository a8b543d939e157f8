import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, describe, expect, it } from 'vitest'
import { createHarness, syncAndWait, type Harness } from '../support/harness'

/**
 * Where a stored fact comes from: the Graph request id a consultant quotes to Microsoft support, and the
 * CSV's provenance columns that say how far a row can be trusted. Both were found unguarded (a line deleted
 * or a value forced, and every test stayed green).
 */
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const APPS = '/deviceAppManagement/mobileApps'
const SELECTION = { policy_types: ['compliancePolicy', 'mobileApp'] }

let h: Harness
afterEach(async () => {
  await h?.close()
})

type Row = Record<string, string>

function readCsv(path: string): Row[] {
  return parse(readFileSync(path), { bom: true, columns: true }) as Row[]
}

describe('provenance', () => {
  it("records the Graph request id of a type's failure in the run's error context", async () => {
    h = await createHarness({ size: 200, seed: 5 })
    h.fake.script({ path: COMPLIANCE, times: Infinity, fault: { kind: 'forbidden' } })
    const run = await syncAndWait(h, SELECTION)
    expect(run.status).toBe('partial')

    const refused = h.fake.requests.filter((r) => r.path.endsWith(COMPLIANCE) && r.status === 403)
    expect(refused.length).toBeGreaterThan(0)
    const types = run.errorContext.types as Record<string, { code: string; requestId?: string }>
    expect(types.compliancePolicy).toMatchObject({ code: 'GRAPH_FORBIDDEN' })
    expect(types.compliancePolicy!.requestId).toBe(refused.at(-1)!.requestId)
    // a type that succeeded has no error entry (so no stray request id either)
    expect(types.mobileApp).toBeUndefined()
  })

  it('exports confidence high for rows backed by a clean run and low for rows of a partial run', async () => {
    h = await createHarness({ size: 200, seed: 6 })
    const clean = await syncAndWait(h, SELECTION)
    expect(clean.status).toBe('success')
    const first = join(h.dir, 'first.csv')
    await h.atlas.exportCsv({ view: 'inventory', tenant: h.tenant.id, path: first })
    const firstRows = readCsv(first)
    expect(firstRows.length).toBeGreaterThan(0)
    for (const row of firstRows) {
      expect(row).toMatchObject({
        source_run_id: String(clean.id),
        source_run_status: 'success',
        confidence: 'high'
      })
    }

    // apps are refused next time: compliance rows are confirmed by a partial run, app rows keep the clean one
    h.fake.script({ path: APPS, times: Infinity, fault: { kind: 'forbidden' } })
    const partial = await syncAndWait(h, SELECTION)
    expect(partial.status).toBe('partial')
    const second = join(h.dir, 'second.csv')
    await h.atlas.exportCsv({ view: 'inventory', tenant: h.tenant.id, path: second })
    const rows = readCsv(second)
    const compliance = rows.filter((r) => r.policy_type === 'compliancePolicy')
    const apps = rows.filter((r) => r.policy_type === 'mobileApp')
    expect(compliance.length).toBeGreaterThan(0)
    expect(apps.length).toBeGreaterThan(0)
    for (const row of compliance) {
      expect(row).toMatchObject({
        source_run_id: String(partial.id),
        source_run_status: 'partial',
        confidence: 'low'
      })
    }
    for (const row of apps) {
      expect(row).toMatchObject({ source_run_id: String(clean.id), confidence: 'high' })
    }
  })
})
