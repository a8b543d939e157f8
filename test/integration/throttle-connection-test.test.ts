/**
 * Issue 11 item 3: "Test connection" must not probe a tenant while Graph has it paused. The sync runs on
 * the worker thread (as in the app) and receives a Retry-After; the connection test started from the API
 * side right after must wait it out, because the pause is the tenant's (kept in the database), not one
 * Graph client's.
 */
import { afterEach, expect, it } from 'vitest'
import { CATEGORIES } from '../../domain/policy-type'
import type { SyncEvent } from '../../main/inventory/sync-events'
import { createHarness, type Harness } from '../support/harness'

const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const PAUSE_SECONDS = 2
/**
 * The pause started when the worker got the 429, a little before its event reached this thread (and
 * waitSeconds is rounded): the probes must start no earlier than this before the event time + the pause.
 */
const SLACK_MS = 300

let h: Harness | undefined
afterEach(async () => h?.close())

it('a connection test waits out a Retry-After pause the sync on the worker received', async () => {
  // with a worker the fake runs on real time: each request's arrival, in epoch ms
  h = await createHarness({ size: 300, worker: true })
  const harness = h
  h.fake.script({
    path: COMPLIANCE,
    times: 1,
    fault: { kind: 'status429', retryAfter: 'int', seconds: PAUSE_SECONDS }
  })
  const throttled = new Promise<Extract<SyncEvent, { kind: 'throttled' }>>((resolve) => {
    const stop = harness.atlas.onSyncEvent((e) => {
      if (e.kind === 'throttled') {
        stop()
        resolve(e)
      }
    })
  })
  const { requestId } = h.atlas.startSync({
    tenantId: h.tenant.id,
    selection: { categories: [...CATEGORIES] },
    trigger: 'test'
  })
  const event = await throttled
  const testStarted = Date.now()
  const pausedUntil = testStarted + event.waitSeconds * 1000
  const report = await h.atlas.testConnection({ tenantId: h.tenant.id, policyTypes: ['compliancePolicy'] })
  expect(report.auth.ok).toBe(true)
  expect(report.types.map((t) => [t.policyType, t.access])).toEqual([['compliancePolicy', 'readable']])
  const probes = h.fake.requests.filter((r) => r.at >= testStarted && r.query.$top === '1')
  expect(probes.length).toBeGreaterThan(0)
  for (const probe of probes) expect(probe.at).toBeGreaterThanOrEqual(pausedUntil - SLACK_MS)
  expect((await h.atlas.waitForSync(requestId)).status).toBe('success')
}, 60_000)
