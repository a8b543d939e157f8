import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, describe, expect, it } from 'vitest'
import { POLICY_TYPES } from '../../main/graph/registry'
import { deleteRandomItems } from '../../main/demo/simulator/tenant-generator'
import { createHarness, syncAndWait, type Harness } from '../support/harness'

/**
 * Fewer false alarms for nightly syncs: a tenant without a licence for one feature answers that collection
 * with a 403 for ever. Excluding the type per tenant makes it "out of selection" (not a failure) in runs
 * and missing judgements; and a missing object says how many complete runs have confirmed it gone.
 */
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const SCRIPTS = '/deviceManagement/deviceManagementScripts'
const SELECTION = { policy_types: ['compliancePolicy', 'deviceManagementScript'] }

let h: Harness
afterEach(async () => {
  await h?.close()
})

describe('per-tenant excluded policy types', () => {
  it('turns a for-ever unlicensed type from "not collected" into "out of selection"', async () => {
    h = await createHarness({ size: 300, seed: 12 })
    // the licence-gated 403 (no scopes named), on every request
    h.fake.script({ path: SCRIPTS, times: Infinity, fault: { kind: 'forbidden' } })
    const before = await syncAndWait(h, SELECTION)
    expect(before.status).not.toBe('success')
    expect(before.typeOutcomes.deviceManagementScript?.status).not.toBe('complete')
    expect(h.atlas.getMissing({ tenantId: h.tenant.id, selection: SELECTION }).lowConfidence).toBe(true)

    const tenant = h.atlas.setExcludedTypes({
      tenantId: h.tenant.id,
      policyTypes: ['deviceManagementScript', 'deviceManagementScript']
    })
    expect(tenant.excludedTypes).toEqual(['deviceManagementScript'])
    expect(h.atlas.getTenant(h.tenant.id).excludedTypes).toEqual(['deviceManagementScript'])

    const scriptRequests = h.fake.requests.filter((r) => r.path.endsWith(SCRIPTS)).length
    const after = await syncAndWait(h, SELECTION)
    expect(after.status).toBe('success')
    expect(after.hadErrors).toBe(false)
    // the same selection (its missing history goes on), the excluded type never asked for
    expect(after.selectionHash).toBe(before.selectionHash)
    expect(Object.keys(after.typeOutcomes)).toEqual(['compliancePolicy'])
    expect(h.fake.requests.filter((r) => r.path.endsWith(SCRIPTS))).toHaveLength(scriptRequests)

    const judgement = h.atlas.getMissing({ tenantId: h.tenant.id, selection: SELECTION })
    expect(judgement.lowConfidence).toBe(false)
    expect(judgement.typeCoverage).toEqual({
      compliancePolicy: 'complete',
      deviceManagementScript: 'out_of_selection'
    })
    expect(judgement.items.filter((i) => i.policyType === 'deviceManagementScript')).toEqual([])

    // cleared: the type is synced (and fails) again
    expect(h.atlas.setExcludedTypes({ tenantId: h.tenant.id, policyTypes: [] }).excludedTypes).toEqual([])
    const again = await syncAndWait(h, SELECTION)
    expect(again.typeOutcomes.deviceManagementScript?.status).not.toBe('complete')
  })

  it('refuses unknown types, and a sync whose every type is excluded, before anything runs', async () => {
    h = await createHarness({ size: 50, seed: 13 })
    expect(() => h.atlas.setExcludedTypes({ tenantId: h.tenant.id, policyTypes: ['noSuchType'] })).toThrow(
      /Unknown policy type "noSuchType"/
    )
    h.atlas.setExcludedTypes({ tenantId: h.tenant.id, policyTypes: ['compliancePolicy'] })
    const requests = h.fake.requests.length
    expect(() =>
      h.atlas.startSync({ tenantId: h.tenant.id, selection: { policy_types: ['compliancePolicy'] } })
    ).toThrow(/Every policy type of this selection is excluded/)
    expect(h.atlas.listRuns({ tenantId: h.tenant.id })).toEqual([])
    expect(h.fake.requests.length).toBe(requests)
  })
})

describe('how long an object has been missing', () => {
  it('counts the complete runs that confirmed it absent, not the runs that could not tell', async () => {
    h = await createHarness({ size: 300, seed: 14 })
    const sel = { policy_types: ['compliancePolicy'] }
    await syncAndWait(h, sel)
    const removed = deleteRandomItems(h.data, { seed: 2, count: 3, paths: [COMPLIANCE] })
    h.fake.setData(h.data)
    await syncAndWait(h, sel)
    const fresh = h.atlas.getMissing({ tenantId: h.tenant.id, selection: sel })
    expect(new Set(fresh.items.map((i) => i.externalId))).toEqual(new Set(removed))
    expect(fresh.items.map((i) => i.absentInCompleteRuns)).toEqual([1, 1, 1])

    // a run that could not read the type confirms nothing…
    h.fake.script({ path: COMPLIANCE, times: Infinity, fault: { kind: 'status500' } })
    await syncAndWait(h, sel)
    h.fake.clearFaults()
    // …a complete one does
    await syncAndWait(h, sel)
    await syncAndWait(h, sel)
    const old = h.atlas.getMissing({ tenantId: h.tenant.id, selection: sel })
    expect(old.items.map((i) => i.reason)).toEqual(['absent', 'absent', 'absent'])
    expect(old.items.map((i) => i.absentInCompleteRuns)).toEqual([3, 3, 3])
    // and it went missing at the start of the first run that did not see it, whatever came after
    expect(old.items.map((i) => i.missingSince)).toEqual(fresh.items.map((i) => i.missingSince))

    // the CSV views carry both: confirmations per missing row, the three ledger states per run
    const missingCsv = join(h.dir, 'missing.csv')
    await h.atlas.exportCsv({ view: 'missing', tenant: h.tenant.id, selection: sel, path: missingCsv })
    const missingRows = parse(readFileSync(missingCsv), { bom: true, columns: true }) as Record<
      string,
      string
    >[]
    expect(missingRows.map((r) => r.absent_in_complete_runs)).toEqual(['3', '3', '3'])
    const runsCsv = join(h.dir, 'runs.csv')
    await h.atlas.exportCsv({ view: 'runs', tenant: h.tenant.id, path: runsCsv })
    const runRows = parse(readFileSync(runsCsv), { bom: true, columns: true }) as Record<string, string>[]
    for (const r of runRows) {
      expect(Number(r.types_complete) + Number(r.types_failed)).toBe(1)
      expect(Number(r.types_out_of_selection)).toBe(POLICY_TYPES.length - 1)
    }
  })
})
