import { afterEach, describe, expect, it } from 'vitest'
import { CATEGORIES } from '../../domain/policy-type'
import type { FakeItem } from '../../main/demo/simulator/graph-catalog'
import { deleteRandomItems, generateTenant, hostileItems } from '../../main/demo/simulator/tenant-generator'
import { isHiddenGlobalApp } from '../../main/graph/registry'
import { createHarness, syncAndWait, type Harness } from '../support/harness'

const ALL = { categories: [...CATEGORIES] }
const CONFIG_POLICIES = '/deviceManagement/configurationPolicies'
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const MOBILE_APPS = '/deviceAppManagement/mobileApps'

let h: Harness
afterEach(async () => h?.close())

const odataType = (i: FakeItem): string => String(i['@odata.type'] ?? '')

describe('sync against the Graph fake over HTTP', () => {
  it('stores every object of the selected types, following opaque nextLinks through 25-item pages', async () => {
    h = await createHarness({ size: 600, seed: 7 })
    const run = await syncAndWait(h, {
      policy_types: [
        'settingsCatalogPolicy',
        'endpointSecurityPolicy',
        'securityBaselinePolicy',
        'compliancePolicy',
        'mobileApp'
      ]
    })
    expect(run.status).toBe('success')
    expect(run.hadErrors).toBe(false)

    const configPolicies = h.data[CONFIG_POLICIES]!
    // apps as the admin center lists them: Microsoft's global MAM apps only once assigned
    const apps = h.data[MOBILE_APPS]!
    const shownApps = apps.filter((a) => !isHiddenGlobalApp(a))
    const globalApps = apps.filter((a) => a.appAvailability === 'global')
    expect(globalApps.some((a) => a.isAssigned === true)).toBe(true)
    expect(globalApps.some((a) => a.isAssigned !== true)).toBe(true)
    const expected = configPolicies.length + h.data[COMPLIANCE]!.length + shownApps.length
    expect(run.itemsObservedCount).toBe(expected)
    expect(h.atlas.listInventory({ tenantId: h.tenant.id, limit: 100_000 }).total).toBe(expected)
    const storedApps = new Set(
      h.atlas
        .listInventory({ tenantId: h.tenant.id, policyTypes: ['mobileApp'], limit: 100_000 })
        .items.map((i) => i.externalId)
    )
    for (const a of globalApps) expect(storedApps.has(String(a.id))).toBe(a.isAssigned === true)

    // configurationPolicies pages at 25: one request per page, each page after the first via the nextLink
    const cpRequests = h.fake.requests.filter((r) => r.path.endsWith(CONFIG_POLICIES))
    expect(cpRequests).toHaveLength(Math.max(1, Math.ceil(configPolicies.length / 25)))
    expect(cpRequests.slice(1).every((r) => r.query.$skiptoken !== undefined)).toBe(true)
    expect(run.typeOutcomes.settingsCatalogPolicy!.pages).toBe(cpRequests.length)

    // the endpoint-security view takes exactly the items of an endpointSecurity* template family
    const esCount = configPolicies.filter((p) =>
      String(
        (p.templateReference as { templateFamily?: string } | undefined)?.templateFamily ?? ''
      ).startsWith('endpointSecurity')
    ).length
    expect(run.typeOutcomes.endpointSecurityPolicy!.observed).toBe(esCount)
  })

  it('is read-only and tags every request with the run correlation id and a bearer token', async () => {
    h = await createHarness({ size: 200 })
    const run = await syncAndWait(h, ALL)
    expect(h.fake.requests.length).toBeGreaterThan(10)
    for (const r of h.fake.requests) {
      expect(r.method).toBe('GET')
      expect(r.headers['client-request-id']).toBe(run.correlationId)
      expect(r.tokenSeen).toBe('test-token')
    }
  })

  it('splits mixed collections client-side and drops app-config rows from managedAppPolicies', async () => {
    h = await createHarness({ size: 800, seed: 3 })
    const run = await syncAndWait(h, {
      policy_types: ['appProtectionPolicy', 'windowsUpdateRing', 'deviceConfiguration']
    })
    expect(run.status).toBe('success')
    const map = h.data['/deviceAppManagement/managedAppPolicies']!
    const protections = map.filter((i) => odataType(i) !== '#microsoft.graph.targetedManagedAppConfiguration')
    expect(protections.length).toBeLessThan(map.length)
    expect(run.typeOutcomes.appProtectionPolicy!.observed).toBe(protections.length)
    const dc = h.data['/deviceManagement/deviceConfigurations']!
    const rings = dc.filter((i) => odataType(i) === '#microsoft.graph.windowsUpdateForBusinessConfiguration')
    expect(run.typeOutcomes.windowsUpdateRing!.observed).toBe(rings.length)
    // iOS update policies live in the same collection but were not selected: stored nowhere
    const iosUpdates = dc.filter((i) =>
      /iosUpdateConfiguration|macOSSoftwareUpdateConfiguration/.test(odataType(i))
    ).length
    expect(run.typeOutcomes.deviceConfiguration!.observed).toBe(dc.length - rings.length - iosUpdates)
  })

  it('never stores script bodies or other secrets that Graph returns in list responses', async () => {
    h = await createHarness({ size: 500, seed: 11 })
    await syncAndWait(h, ALL)
    const scripts = [
      ...h.data['/deviceManagement/deviceManagementScripts']!,
      ...h.data['/deviceManagement/deviceHealthScripts']!,
      ...h.data['/deviceManagement/deviceShellScripts']!
    ]
    const bodies = scripts
      .flatMap((s) => [s.scriptContent, s.detectionScriptContent, s.remediationScriptContent])
      .filter((v): v is string => typeof v === 'string' && v.length > 8)
    expect(bodies.length).toBeGreaterThan(0)
    const allMeta = h.atlas.db.sqlite
      .prepare('SELECT group_concat(meta_json, char(10)) AS m FROM inventory_items')
      .get() as { m: string }
    for (const body of bodies) expect(allMeta.m).not.toContain(body)
    expect(allMeta.m).not.toMatch(/scriptContent|omaSettings|"payload"/)
  })

  it('re-syncing the same data is idempotent: no new rows, nothing upserted, last seen moves to the new run', async () => {
    h = await createHarness({ size: 300 })
    const first = await syncAndWait(h, ALL)
    const before = h.atlas.db.sqlite
      .prepare(
        'SELECT external_id, first_seen_run_id, meta_json, updated_at FROM inventory_items ORDER BY id'
      )
      .all()
    const second = await syncAndWait(h, ALL)
    expect(second.status).toBe('success')
    expect(second.itemsObservedCount).toBe(first.itemsObservedCount)
    expect(second.itemsUpsertedCount).toBe(0)
    const after = h.atlas.db.sqlite
      .prepare(
        'SELECT external_id, first_seen_run_id, meta_json, updated_at FROM inventory_items ORDER BY id'
      )
      .all()
    expect(after).toEqual(before)
    const lastSeen = h.atlas.db.sqlite
      .prepare('SELECT DISTINCT last_seen_run_id AS r FROM inventory_items')
      .all()
    expect(lastSeen).toEqual([{ r: second.id }])
  })

  it('emits progress in order with exactly one terminal event, and the run can be re-queried', async () => {
    h = await createHarness({ size: 200 })
    const run = await syncAndWait(h, { policy_types: ['mobileApp', 'compliancePolicy'] })
    const kinds = h.events.map((e) => e.kind)
    expect(kinds[0]).toBe('started')
    expect(kinds.at(-1)).toBe('finished')
    expect(kinds.filter((k) => k === 'finished')).toHaveLength(1)
    expect(kinds.filter((k) => k === 'type_started')).toHaveLength(2)
    expect(kinds.filter((k) => k === 'type_finished')).toHaveLength(2)
    const pages = h.events.filter((e) => e.kind === 'page_stored')
    expect(pages.length).toBeGreaterThan(0)
    const observed = pages.map((p) => (p.kind === 'page_stored' ? p.runObserved : 0))
    expect([...observed].sort((a, b) => a - b)).toEqual(observed) // monotonic
    expect(observed.at(-1)).toBe(run.itemsObservedCount)
    expect(h.atlas.getRun(run.id)).toEqual(run)
  })
})

describe('missing', () => {
  it('has no missing items and low confidence before the selection ever finished a run', async () => {
    h = await createHarness({ size: 100 })
    const m = h.atlas.getMissing({ tenantId: h.tenant.id, selection: ALL })
    expect(m).toMatchObject({ judgedBy: null, lowConfidence: true, items: [] })
  })

  it('reports objects deleted in the tenant as absent, since the run that no longer saw them', async () => {
    h = await createHarness({ size: 300, seed: 5 })
    await syncAndWait(h, ALL)
    const removed = deleteRandomItems(h.data, { seed: 9, count: 6, paths: [COMPLIANCE, MOBILE_APPS] })
    h.fake.setData(h.data)
    const run2 = await syncAndWait(h, ALL)
    expect(run2.status).toBe('success')
    const m = h.atlas.getMissing({ tenantId: h.tenant.id, selection: ALL })
    expect(m.lowConfidence).toBe(false)
    expect(m.judgedBy?.runId).toBe(run2.id)
    expect(m.items.map((i) => i.externalId).sort()).toEqual([...removed].sort())
    for (const item of m.items) {
      expect(item.reason).toBe('absent')
      expect(item.missingSince).toBe(run2.startedAt)
      expect(item.lastObservedRunId).toBeLessThan(run2.id)
    }
    // a third run that still does not see them keeps the original "missing since"
    const run3 = await syncAndWait(h, ALL)
    const again = h.atlas.getMissing({ tenantId: h.tenant.id, selection: ALL })
    expect(again.judgedBy?.runId).toBe(run3.id)
    expect(again.items.every((i) => i.missingSince === run2.startedAt)).toBe(true)
  })

  it('marks items of a type that could not be read as not_collected, with low confidence and the missing scopes', async () => {
    h = await createHarness({ size: 300, seed: 2 })
    const sel = { policy_types: ['compliancePolicy', 'mobileApp'] }
    await syncAndWait(h, sel)
    h.fake.script({
      path: COMPLIANCE,
      times: Infinity,
      fault: {
        kind: 'forbidden',
        scopes: ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All']
      }
    })
    const run = await syncAndWait(h, sel)
    expect(run.status).toBe('partial')
    expect(run.errorCodes).toEqual(['GRAPH_FORBIDDEN'])
    expect(run.typeOutcomes.compliancePolicy).toMatchObject({
      status: 'failed',
      errorCode: 'GRAPH_FORBIDDEN',
      missingScopes: ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All']
    })
    expect(run.errorContext.types).toMatchObject({ compliancePolicy: { code: 'GRAPH_FORBIDDEN' } })
    const m = h.atlas.getMissing({ tenantId: h.tenant.id, selection: sel })
    expect(m.lowConfidence).toBe(true)
    expect(m.typeCoverage).toEqual({ compliancePolicy: 'not_collected', mobileApp: 'complete' })
    expect(m.items).toHaveLength(h.data[COMPLIANCE]!.length)
    expect(m.items.every((i) => i.reason === 'not_collected' && i.policyType === 'compliancePolicy')).toBe(
      true
    )
  })

  it('judges each selection by its own latest run: disjoint selections', async () => {
    h = await createHarness({ size: 300, seed: 4 })
    const a = { policy_types: ['compliancePolicy'] }
    const b = { policy_types: ['mobileApp'] }
    await syncAndWait(h, a)
    await syncAndWait(h, b)
    const gone = deleteRandomItems(h.data, { seed: 1, count: 3, paths: [COMPLIANCE] })
    h.fake.setData(h.data)
    await syncAndWait(h, b) // B does not cover compliance: A's answer must not move
    expect(h.atlas.getMissing({ tenantId: h.tenant.id, selection: a }).items).toEqual([])
    await syncAndWait(h, a)
    expect(
      h.atlas
        .getMissing({ tenantId: h.tenant.id, selection: a })
        .items.map((i) => i.externalId)
        .sort()
    ).toEqual([...gone].sort())
    expect(h.atlas.getMissing({ tenantId: h.tenant.id, selection: b }).items).toEqual([])
  })

  it('judges each selection by its own latest run: overlapping selections never change each other', async () => {
    h = await createHarness({ size: 300, seed: 6 })
    const a = { policy_types: ['compliancePolicy', 'mobileApp'] }
    const b = { policy_types: ['mobileApp'] }
    await syncAndWait(h, a)
    await syncAndWait(h, b)
    const gone = deleteRandomItems(h.data, { seed: 2, count: 4, paths: [MOBILE_APPS] })
    h.fake.setData(h.data)
    const judgeA = h.atlas.getMissing({ tenantId: h.tenant.id, selection: a })
    // B observes the deletion; A's latest run still saw those apps, so A reports nothing missing
    await syncAndWait(h, b)
    expect(
      h.atlas
        .getMissing({ tenantId: h.tenant.id, selection: b })
        .items.map((i) => i.externalId)
        .sort()
    ).toEqual([...gone].sort())
    expect(h.atlas.getMissing({ tenantId: h.tenant.id, selection: a })).toEqual(judgeA)
    // a new app observed only by B is not missing for A either (A never saw it)
    h.data[MOBILE_APPS]!.push({
      ...h.data[MOBILE_APPS]![0]!,
      id: 'b0b0b0b0-0000-4000-8000-000000000001',
      displayName: 'New app'
    })
    h.fake.setData(h.data)
    await syncAndWait(h, b)
    expect(h.atlas.getMissing({ tenantId: h.tenant.id, selection: a })).toEqual(judgeA)
  })

  it('flags low confidence on a failed run and on a success that had errors', async () => {
    h = await createHarness({ size: 200, seed: 8 })
    const sel = { policy_types: ['compliancePolicy'] }
    await syncAndWait(h, sel)
    h.fake.script({ path: COMPLIANCE, times: Infinity, fault: { kind: 'forbidden' } })
    const failed = await syncAndWait(h, sel)
    expect(failed.status).toBe('failed')
    expect(h.atlas.getMissing({ tenantId: h.tenant.id, selection: sel }).lowConfidence).toBe(true)

    h.fake.clearFaults()
    h.fake.script({ path: COMPLIANCE, times: 1, fault: { kind: 'hostileItems' } })
    const hostile = await syncAndWait(h, sel)
    expect(hostile.status).toBe('success')
    expect(hostile.hadErrors).toBe(true)
    expect(hostile.errorCodes).toContain('GRAPH_ITEM_INVALID')
    expect(hostile.typeOutcomes.compliancePolicy!.skippedItems).toBeGreaterThan(0)
    expect(h.atlas.getMissing({ tenantId: h.tenant.id, selection: sel }).lowConfidence).toBe(true)

    h.fake.clearFaults()
    await syncAndWait(h, sel)
    expect(h.atlas.getMissing({ tenantId: h.tenant.id, selection: sel }).lowConfidence).toBe(false)
  })
})

describe('faults', () => {
  it('keeps unknown properties out of the store without failing the run', async () => {
    const data = generateTenant({ seed: 1, size: 100 })
    data[COMPLIANCE]!.push({
      '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
      id: 'c0ffee00-0000-4000-8000-000000000001',
      displayName: 'With extras',
      brandNewProperty: { deep: true },
      anotherOne: 'x'
    })
    h = await createHarness({ data })
    const run = await syncAndWait(h, { policy_types: ['compliancePolicy'] })
    expect(run.status).toBe('success')
    expect(run.typeOutcomes.compliancePolicy!.droppedKeys).toBeGreaterThanOrEqual(2)
    const row = h.atlas.listInventory({ tenantId: h.tenant.id, search: 'With extras' }).items[0]!
    expect(row.meta).not.toHaveProperty('brandNewProperty')
    expect(row.meta).not.toHaveProperty('anotherOne')
  })

  it('stores hostile items safely or skips them with a code, and the run goes on', async () => {
    const data = generateTenant({ seed: 21, size: 300 })
    const policies = data[COMPLIANCE]!
    // a duplicate id on a later page (Graph paging shifted under us) on top of the hostile batch
    const hostile = [...hostileItems(), { ...policies[0]!, displayName: 'Same id again' }]
    data[COMPLIANCE] = [...policies, ...hostile]
    h = await createHarness({ data })
    const run = await syncAndWait(h, { policy_types: ['compliancePolicy', 'mobileApp'] })
    expect(run.status).toBe('success')
    expect(run.hadErrors).toBe(true)
    expect(run.errorCodes).toEqual(['GRAPH_ITEM_INVALID', 'GRAPH_PAGING_INCONSISTENT'])
    const outcome = run.typeOutcomes.compliancePolicy!
    expect(outcome.skippedItems).toBe(2) // missing id, numeric id
    expect(outcome.duplicateItems).toBe(2) // the in-page duplicate and the cross-page one
    expect(outcome.observed).toBe(policies.length + 4)
    expect(run.typeOutcomes.mobileApp!.status).toBe('complete')
    const stored = h.atlas.listInventory({
      tenantId: h.tenant.id,
      policyTypes: ['compliancePolicy'],
      limit: 10_000
    })
    expect(stored.total).toBe(policies.length + 4)
    // the control-character name is stored as Graph sent it, except NUL (→ U+FFFD)
    const controlName = hostile.find((i) => String(i.displayName).startsWith('Hostile\u0000'))!.displayName
    const stored1 = stored.items.find((i) => i.displayName.startsWith('Hostile\ufffd'))
    expect(stored1?.displayName).toBe(String(controlName).replace('\u0000', '\ufffd'))
    expect(stored.items.some((i) => i.displayName.includes('\u0000'))).toBe(false)
    const big = stored.items.find((i) => i.displayName === 'Hostile - 1 MB description')!
    expect(String(big.meta.description).length).toBeLessThanOrEqual(2048)
    // the first occurrence of a duplicated id wins; the repeat is counted, not stored twice
    expect(stored.items.filter((i) => i.externalId === policies[0]!.id)).toHaveLength(1)
  })

  it('skips the Intune types of a tenant without Intune and still reads the identity types', async () => {
    h = await createHarness({ size: 200 })
    h.fake.script({
      path: /\/(deviceManagement|deviceAppManagement)\//,
      times: Infinity,
      fault: { kind: 'notApplicable' }
    })
    const run = await syncAndWait(h, {
      policy_types: ['compliancePolicy', 'mobileApp', 'settingsCatalogPolicy', 'conditionalAccessPolicy']
    })
    expect(run.status).toBe('partial')
    expect(run.errorCodes).toEqual(['TENANT_NO_INTUNE'])
    expect(run.typeOutcomes.conditionalAccessPolicy!.status).toBe('complete')
    for (const t of ['compliancePolicy', 'mobileApp', 'settingsCatalogPolicy']) {
      expect(run.typeOutcomes[t]).toMatchObject({ status: 'skipped', errorCode: 'TENANT_NO_INTUNE' })
    }
  })

  it.each([
    ['inline', false],
    ['on the sync worker thread', true]
  ])(
    'marks a type whose response is malformed as GRAPH_BAD_RESPONSE and goes on with the others (%s)',
    async (_mode, worker) => {
      h = await createHarness({ size: 200, worker })
      h.fake.script({ path: COMPLIANCE, times: Infinity, fault: { kind: 'malformedJson' } })
      const run = await syncAndWait(h, { policy_types: ['compliancePolicy', 'mobileApp'] })
      expect(run.status).toBe('partial')
      expect(run.typeOutcomes.compliancePolicy).toMatchObject({
        status: 'failed',
        errorCode: 'GRAPH_BAD_RESPONSE'
      })
      expect(run.typeOutcomes.mobileApp!.status).toBe('complete')
    }
  )

  it.each([
    ['inline', false],
    ['on the sync worker thread: the error crosses as its code', true]
  ])('fails the run before any Graph call when the credential is rejected (%s)', async (_mode, worker) => {
    h = await createHarness({ size: 100, worker })
    h.tokens.failWith = {
      code: 'AUTH_INVALID_SECRET',
      message: 'AADSTS7000215: Invalid client secret provided.'
    }
    const run = await syncAndWait(h, ALL)
    expect(run.status).toBe('failed')
    expect(run.errorCodes).toEqual(['AUTH_INVALID_SECRET'])
    expect(h.fake.requests).toHaveLength(0)
    expect(
      Object.values(run.typeOutcomes).every(
        (o) => o.status === 'skipped' && o.errorCode === 'AUTH_INVALID_SECRET'
      )
    ).toBe(true)
  })

  it('honours Retry-After as integer, decimal and HTTP-date, and backs off without it, with no early request', async () => {
    // one timeline of what the client did: every request it started and every throttle it learned of
    const timeline: Array<{ kind: 'fetch'; at: number; url: string } | { kind: 'pause'; until: number }> = []
    const clockRef: { clock?: Harness['clock'] } = {}
    h = await createHarness({
      size: 200,
      wrapFetch: (f) => (url, init) => {
        timeline.push({ kind: 'fetch', at: clockRef.clock!.now(), url })
        return f(url, init)
      }
    })
    clockRef.clock = h.clock
    const throttles: Array<{ at: number; retryAt: string; policyTypes: string[]; waitSeconds: number }> = []
    h.atlas.onSyncEvent((e) => {
      if (e.kind === 'throttled') {
        timeline.push({ kind: 'pause', until: h.clock.now() + e.waitSeconds * 1000 })
        throttles.push({
          at: h.clock.now(),
          retryAt: e.retryAt,
          policyTypes: e.policyTypes,
          waitSeconds: e.waitSeconds
        })
      }
    })
    h.fake.script({ path: COMPLIANCE, times: 1, fault: { kind: 'status429', retryAfter: 'int', seconds: 7 } })
    h.fake.script({
      path: MOBILE_APPS,
      times: 1,
      fault: { kind: 'status429', retryAfter: 'decimal', seconds: 2.5 }
    })
    h.fake.script({
      path: CONFIG_POLICIES,
      times: 1,
      fault: { kind: 'status429', retryAfter: 'httpDate', seconds: 30 }
    })
    h.fake.script({
      path: '/deviceManagement/assignmentFilters',
      times: 2,
      fault: { kind: 'status429', retryAfter: 'none' }
    })
    const run = await syncAndWait(h, {
      policy_types: ['compliancePolicy', 'mobileApp', 'settingsCatalogPolicy', 'assignmentFilter']
    })
    expect(run.status).toBe('success')
    expect(h.fake.waits).toHaveLength(3)
    expect(h.fake.violations).toEqual([]) // no throttled page was retried early
    const waits = h.events.flatMap((e) => (e.kind === 'throttled' ? [e.waitSeconds] : []))
    expect(waits).toEqual(expect.arrayContaining([7, 2.5, 30]))
    expect(waits).toHaveLength(5) // two of them are jittered backoffs (no Retry-After)
    // each pause names the types it holds up and when it ends, on the engine's clock
    const seven = throttles.find((t) => t.waitSeconds === 7)!
    expect(seven.policyTypes).toEqual(['compliancePolicy'])
    expect(Date.parse(seven.retryAt)).toBe(seven.at + 7000)
    expect(throttles.find((t) => t.waitSeconds === 2.5)!.policyTypes).toEqual(['mobileApp'])
    // tenant-wide pause: once the client knew of a throttle, no request of the tenant started before it
    // ended (0.1 s tolerance: waitSeconds is rounded)
    let pausedUntil = 0
    for (const entry of timeline) {
      if (entry.kind === 'pause') pausedUntil = Math.max(pausedUntil, entry.until)
      else expect(entry.at, entry.url).toBeGreaterThanOrEqual(pausedUntil - 100)
    }
  })

  it('gives up on a type after the last retry (GRAPH_THROTTLED) and keeps the pages it already stored', async () => {
    h = await createHarness({ size: 400, seed: 12, atlas: { graph: { retry: { maxAttempts: 3 } } } })
    // first page of configurationPolicies succeeds, every later request is throttled
    h.fake.script({
      path: CONFIG_POLICIES,
      afterRequests: 1,
      times: Infinity,
      fault: { kind: 'status429', retryAfter: 'int', seconds: 1 }
    })
    const run = await syncAndWait(h, { policy_types: ['settingsCatalogPolicy', 'compliancePolicy'] })
    expect(run.status).toBe('partial')
    expect(run.typeOutcomes.settingsCatalogPolicy).toMatchObject({
      status: 'failed',
      errorCode: 'GRAPH_THROTTLED',
      pages: 1
    })
    const stored = h.atlas.listInventory({
      tenantId: h.tenant.id,
      policyTypes: ['settingsCatalogPolicy', 'endpointSecurityPolicy', 'securityBaselinePolicy']
    }).total
    expect(stored).toBe(run.typeOutcomes.settingsCatalogPolicy!.observed)
    expect(stored).toBeGreaterThan(0)
    expect(run.typeOutcomes.compliancePolicy!.status).toBe('complete')
  })
})
