import { afterEach, describe, expect, it } from 'vitest'
import { hintFor } from '../../domain/error-hints'
import { POLICY_TYPES } from '../../main/graph/registry'
import { createHarness, syncAndWait, type Harness } from '../support/harness'

/** The run detail screen's ledger on a real partial run. */

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('run ledger', () => {
  it('lists every registry type: complete with counts, not collected with why, the rest not selected', async () => {
    h = await createHarness({ size: 50 })
    h.fake.script({
      path: '/deviceManagement/deviceManagementScripts',
      times: Infinity,
      fault: { kind: 'forbidden', scopes: ['DeviceManagementScripts.Read.All'] }
    })
    const run = await syncAndWait(h, { policy_types: ['compliancePolicy', 'deviceManagementScript'] })
    const ledger = h.atlas.getRunLedger(run.id)

    expect(ledger.run).toEqual(run)
    expect(ledger.entries.map((e) => e.policyType)).toEqual(POLICY_TYPES.map((t) => t.key))
    const byType = Object.fromEntries(ledger.entries.map((e) => [e.policyType, e]))
    expect(byType.compliancePolicy).toMatchObject({
      state: 'complete',
      label: POLICY_TYPES.find((t) => t.key === 'compliancePolicy')!.label,
      observed: run.typeOutcomes.compliancePolicy!.observed
    })
    expect(byType.compliancePolicy!.observed).toBeGreaterThan(0)
    const forbidden = h.fake.requests.find((r) => r.path.endsWith('/deviceManagementScripts'))!
    expect(byType.deviceManagementScript).toEqual({
      policyType: 'deviceManagementScript',
      label: 'PowerShell script (Windows)',
      category: 'scripts',
      state: 'not_collected',
      observed: 0,
      pages: 0,
      errorCode: 'GRAPH_FORBIDDEN',
      errorMessage: expect.stringMatching(/\S/),
      hint: hintFor('GRAPH_FORBIDDEN'),
      requestId: forbidden.requestId,
      missingScopes: ['DeviceManagementScripts.Read.All'],
      skippedItems: 0,
      duplicateItems: 0
    })
    expect(byType.mobileApp).toMatchObject({ state: 'not_selected', observed: 0 })
    expect(ledger.counts).toEqual({
      complete: Object.keys(run.typeOutcomes).length - 1,
      not_collected: 1,
      pending: 0,
      running: 0,
      not_selected: POLICY_TYPES.length - Object.keys(run.typeOutcomes).length
    })
  })

  it('is NOT_FOUND for an unknown run', async () => {
    h = await createHarness({ size: 5 })
    expect(() => h!.atlas.getRunLedger(999)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })
})
