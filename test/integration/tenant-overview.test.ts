import { afterEach, describe, expect, it } from 'vitest'
import type { LiveState, TenantOverview } from '../../main/tenants/tenant-overview'
import { createHarness, syncAndWait, type Harness } from '../support/harness'

/**
 * tenants:overview on the real engine (inline, fake clock): the last finished run, what it says is
 * missing and how far to trust it, and the live state the sync events drive.
 */

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const SCRIPTS = '/deviceManagement/deviceManagementScripts'
const SELECTION = { policy_types: ['compliancePolicy', 'deviceManagementScript'] }

describe('tenant overview', () => {
  it('starts with no run, nothing judged and idle', async () => {
    h = await createHarness({ size: 40 })
    expect(h.atlas.tenantOverview()).toEqual([
      { tenant: h.atlas.getTenant(h.tenant.id), lastRun: null, missing: null, live: { state: 'idle' } }
    ])
    expect(h.atlas.tenantOverview({ tenantId: 'no-such-tenant' })).toEqual([])
  })

  it('follows a sync through syncing and throttled (with its end time) back to idle', async () => {
    h = await createHarness({ size: 40 })
    const seen: LiveState[] = []
    h.fake.script({ path: COMPLIANCE, times: 1, fault: { kind: 'status429', retryAfter: 'int', seconds: 9 } })
    const harness = h
    h.atlas.onSyncEvent((e) => {
      const [row] = harness.atlas.tenantOverview({ tenantId: harness.tenant.id })
      if (e.kind === 'throttled' || e.kind === 'type_started') seen.push(row!.live)
      if (e.kind === 'throttled') {
        expect(row!.live).toEqual({
          state: 'throttled',
          requestId: e.requestId,
          runId: e.runId,
          status: 429,
          retryAt: new Date(harness.clock.now() + 9000).toISOString(),
          policyTypes: ['compliancePolicy']
        })
      }
    })
    await syncAndWait(h, SELECTION)
    expect(seen.map((s) => s.state)).toEqual(expect.arrayContaining(['syncing', 'throttled']))
    expect(h.atlas.tenantOverview()[0]!.live).toEqual({ state: 'idle' })
  })

  it('summarises the last finished run and its missing objects with a low confidence in words', async () => {
    h = await createHarness({ size: 60 })
    await syncAndWait(h, SELECTION)
    // the second run loses the scripts type (403) and two compliance policies are gone from Graph
    h.fake.script({ path: SCRIPTS, times: Infinity, fault: { kind: 'forbidden', scopes: ['X.Read.All'] } })
    const compliance = h.data[COMPLIANCE]!
    const scriptsBefore = h.data[SCRIPTS]!.length
    compliance.splice(0, 2)
    const run = await syncAndWait(h, SELECTION)
    expect(run.status).toBe('partial')

    const [row] = h.atlas.tenantOverview({ tenantId: h.tenant.id }) as [TenantOverview]
    expect(row.lastRun).toEqual({
      runId: run.id,
      status: 'partial',
      trigger: 'test',
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      itemsObserved: run.itemsObservedCount,
      typesComplete: 1,
      typesNotCollected: 1,
      errorCodes: ['GRAPH_FORBIDDEN']
    })
    expect(row.missing).toEqual({
      runId: run.id,
      count: 2 + scriptsBefore,
      absent: 2,
      notCollected: scriptsBefore,
      lowConfidence: true,
      reason: 'low: the latest run was partial, 1 type not collected'
    })
  })
})

describe('tenant overview queue', () => {
  it('shows a sync waiting for a permit as queued with its position', async () => {
    h = await createHarness({ size: 20, atlas: { limits: { global: 1, perTenant: 1 } } })
    const other = await h.addTenant('Fabrikam')
    const harness = h
    const queued: LiveState[] = []
    h.atlas.onSyncEvent((e) => {
      if (e.kind === 'queued') queued.push(harness.atlas.tenantOverview({ tenantId: e.tenantId })[0]!.live)
    })
    const first = h.atlas.startSync({ tenantId: h.tenant.id, selection: SELECTION, trigger: 'test' })
    const second = h.atlas.startSync({ tenantId: other.id, selection: SELECTION, trigger: 'test' })
    await Promise.all([h.atlas.waitForSync(first.requestId), h.atlas.waitForSync(second.requestId)])
    expect(queued).toContainEqual({
      state: 'queued',
      requestId: second.requestId,
      position: expect.any(Number)
    })
    expect(h.atlas.tenantOverview().map((r) => r.live.state)).toEqual(['idle', 'idle'])
  })
})
