import { describe, expect, it } from 'vitest'
import { COLLECTIONS } from '../../main/demo/simulator/graph-catalog'
import type { FakeItem, FakeTenantData } from '../../main/demo/simulator/graph-catalog'
import {
  countItems,
  deleteRandomItems,
  generateTenant,
  hostileItems,
  renameItem
} from '../../main/demo/simulator/tenant-generator'

// Written out by hand from graph-intune-reference.md §1a rather than read from the catalog, so a collection
// dropped from the catalog fails here.
const EXPECTED_PATHS = [
  '/deviceManagement/deviceConfigurations',
  '/deviceManagement/configurationPolicies',
  '/deviceManagement/deviceCompliancePolicies',
  '/deviceManagement/compliancePolicies',
  '/deviceManagement/deviceComplianceScripts',
  '/deviceManagement/groupPolicyConfigurations',
  '/deviceManagement/groupPolicyUploadedDefinitionFiles',
  '/deviceManagement/intents',
  '/deviceAppManagement/managedAppPolicies',
  '/deviceAppManagement/targetedManagedAppConfigurations',
  '/deviceAppManagement/mobileAppConfigurations',
  '/deviceAppManagement/mobileApps',
  '/deviceManagement/deviceManagementScripts',
  '/deviceManagement/deviceShellScripts',
  '/deviceManagement/deviceCustomAttributeShellScripts',
  '/deviceManagement/deviceHealthScripts',
  '/deviceManagement/windowsAutopilotDeploymentProfiles',
  '/deviceManagement/deviceEnrollmentConfigurations',
  '/deviceManagement/assignmentFilters',
  '/deviceManagement/roleScopeTags',
  '/deviceManagement/roleDefinitions',
  '/deviceManagement/notificationMessageTemplates',
  '/deviceManagement/windowsFeatureUpdateProfiles',
  '/deviceManagement/windowsQualityUpdateProfiles',
  '/deviceManagement/windowsDriverUpdateProfiles',
  '/deviceManagement/termsAndConditions',
  '/deviceAppManagement/policySets',
  '/deviceManagement/deviceCategories',
  '/deviceManagement/intuneBrandingProfiles',
  '/deviceManagement/reusablePolicySettings',
  '/deviceManagement/appleUserInitiatedEnrollmentProfiles',
  '/deviceManagement/depOnboardingSettings',
  '/identity/conditionalAccess/policies',
  '/identity/conditionalAccess/namedLocations'
]

const POLYMORPHIC = new Set([
  '/deviceManagement/deviceConfigurations',
  '/deviceManagement/deviceCompliancePolicies',
  '/deviceAppManagement/mobileApps',
  '/deviceAppManagement/managedAppPolicies',
  '/deviceManagement/deviceEnrollmentConfigurations',
  '/deviceAppManagement/mobileAppConfigurations',
  '/deviceManagement/windowsAutopilotDeploymentProfiles',
  '/deviceManagement/roleDefinitions',
  '/identity/conditionalAccess/namedLocations'
])

const types = (data: FakeTenantData, path: string): Set<unknown> =>
  new Set((data[path] ?? []).map((i) => i['@odata.type']))
const GUID_PREFIX = /^(?:[AT]_)?[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
const GRAPH_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/

describe('generateTenant', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = JSON.stringify(generateTenant({ seed: 42, size: 3000 }))
    expect(JSON.stringify(generateTenant({ seed: 42, size: 3000 }))).toBe(a)
    expect(JSON.stringify(generateTenant({ seed: 43, size: 3000 }))).not.toBe(a)
    expect(JSON.stringify(generateTenant({ seed: 42, size: 3000, profile: 'uniform' }))).not.toBe(a)
  })

  it.each([10, 37, 137, 500, 5_000, 54_321])('honours size %i', (size) => {
    for (const profile of ['realistic', 'uniform'] as const) {
      const n = countItems(generateTenant({ seed: 1, size, profile }))
      expect(Math.abs(n - size)).toBeLessThanOrEqual(Math.ceil(size * 0.01))
    }
  })

  it.each([500, 2_000, 20_000])(
    'covers every collection of the reference at size %i, in both profiles',
    (size) => {
      for (const profile of ['realistic', 'uniform'] as const) {
        const data = generateTenant({ seed: 5, size, profile })
        for (const path of EXPECTED_PATHS)
          expect(data[path]?.length ?? 0, `${profile} ${path}`).toBeGreaterThan(0)
      }
    }
  )

  it('contains every sub-kind of the mixed collections', () => {
    const data = generateTenant({ seed: 9, size: 500 })
    const dc = types(data, '/deviceManagement/deviceConfigurations')
    for (const t of [
      'windowsUpdateForBusinessConfiguration',
      'iosUpdateConfiguration',
      'macOSSoftwareUpdateConfiguration',
      'windows10CustomConfiguration',
      'windows10GeneralConfiguration'
    ]) {
      expect(dc.has(`#microsoft.graph.${t}`), t).toBe(true)
    }
    const configs = data['/deviceManagement/deviceConfigurations'] ?? []
    expect(configs.some((i) => Array.isArray(i.omaSettings) && i.omaSettings.length > 0)).toBe(true)
    expect(configs.some((i) => typeof i.payload === 'string' && i.payload.length > 0)).toBe(true)

    const families = new Set(
      (data['/deviceManagement/configurationPolicies'] ?? []).map(
        (i) => (i.templateReference as { templateFamily: string }).templateFamily
      )
    )
    for (const f of ['none', 'endpointSecurityAntivirus', 'endpointSecurityFirewall', 'baseline'])
      expect(families.has(f), f).toBe(true)

    const mam = types(data, '/deviceAppManagement/managedAppPolicies')
    for (const t of [
      'iosManagedAppProtection',
      'androidManagedAppProtection',
      'targetedManagedAppConfiguration'
    ])
      expect(mam.has(`#microsoft.graph.${t}`), t).toBe(true)

    const enrollment = types(data, '/deviceManagement/deviceEnrollmentConfigurations')
    for (const t of [
      'windows10EnrollmentCompletionPageConfiguration',
      'deviceEnrollmentPlatformRestrictionsConfiguration',
      'deviceEnrollmentLimitConfiguration',
      'deviceEnrollmentWindowsHelloForBusinessConfiguration'
    ]) {
      expect(enrollment.has(`#microsoft.graph.${t}`), t).toBe(true)
    }

    const health = new Set((data['/deviceManagement/deviceHealthScripts'] ?? []).map((i) => i.isGlobalScript))
    expect(health).toEqual(new Set([true, false]))
  })

  it('puts @odata.type on polymorphic collections only', () => {
    const data = generateTenant({ seed: 3, size: 2_000 })
    for (const [path, list] of Object.entries(data)) {
      const typed = list.filter((i) => '@odata.type' in i)
      if (POLYMORPHIC.has(path)) {
        expect(typed.length, path).toBe(list.length)
        for (const i of list) expect(i['@odata.type'], path).toMatch(/^#microsoft\.graph\.[a-zA-Z0-9]+$/)
        expect(Object.keys(list[0] as FakeItem)[0]).toBe('@odata.type')
      } else {
        expect(typed, path).toEqual([])
      }
    }
  })

  it('uses the right name property per collection', () => {
    const data = generateTenant({ seed: 3, size: 2_000 })
    for (const path of ['/deviceManagement/configurationPolicies', '/deviceManagement/compliancePolicies']) {
      for (const i of data[path] ?? []) {
        expect(typeof i.name).toBe('string')
        expect(i).not.toHaveProperty('displayName')
      }
    }
    for (const i of data['/deviceManagement/intuneBrandingProfiles'] ?? [])
      expect(typeof i.profileName).toBe('string')
    for (const i of data['/deviceManagement/deviceCompliancePolicies'] ?? [])
      expect(i.displayName).toMatch(/^(WIN|IOS|MAC|AND) - Compliance - /)
  })

  it('makes GUID ids (unique across the tenant), 7-digit UTC timestamps and scope tags that exist', () => {
    const data = generateTenant({ seed: 8, size: 5_000 })
    const tags = new Set((data['/deviceManagement/roleScopeTags'] ?? []).map((t) => t.id))
    expect(tags.has('0')).toBe(true)
    const ids = new Set<unknown>()
    for (const [path, list] of Object.entries(data)) {
      for (const item of list) {
        if (path !== '/deviceManagement/roleScopeTags') expect(item.id, path).toMatch(GUID_PREFIX)
        expect(ids.has(item.id), `${path} ${String(item.id)}`).toBe(false)
        ids.add(item.id)
        for (const key of ['createdDateTime', 'lastModifiedDateTime', 'modifiedDateTime']) {
          if (typeof item[key] === 'string') expect(item[key], `${path}.${key}`).toMatch(GRAPH_TIME)
        }
        const { createdDateTime: created, lastModifiedDateTime: modified } = item
        if (typeof created === 'string' && typeof modified === 'string')
          expect(created <= modified).toBe(true)
        for (const key of ['roleScopeTagIds', 'roleScopeTags']) {
          const refs = item[key]
          if (Array.isArray(refs))
            for (const t of refs) expect(tags.has(t), `${path}.${key} ${String(t)}`).toBe(true)
        }
      }
    }
  })

  it('distributes like a mid-size tenant (realistic) or evenly (uniform)', () => {
    const realistic = generateTenant({ seed: 2, size: 20_000 })
    const sizes = Object.entries(realistic)
      .map(([p, l]) => [p, l.length] as const)
      .sort((a, b) => b[1] - a[1])
    expect(
      sizes
        .slice(0, 2)
        .map(([p]) => p)
        .sort()
    ).toEqual(['/deviceAppManagement/mobileApps', '/deviceManagement/configurationPolicies'])
    expect(realistic['/deviceManagement/roleScopeTags']?.length).toBeLessThanOrEqual(40)

    const uniform = Object.values(generateTenant({ seed: 2, size: 20_000, profile: 'uniform' })).map(
      (l) => l.length
    )
    expect(Math.max(...uniform) - Math.min(...uniform)).toBeLessThanOrEqual(1)
  })

  it('gives scripts base64 content that is unique per script', () => {
    const data = generateTenant({ seed: 4, size: 2_000 })
    const scripts = data['/deviceManagement/deviceManagementScripts'] ?? []
    expect(scripts.length).toBeGreaterThan(0)
    const decoded = scripts.map((s) => Buffer.from(s.scriptContent as string, 'base64').toString('utf8'))
    for (const [i, text] of decoded.entries()) expect(text).toContain(String(scripts[i]?.id))
    for (const i of data['/deviceManagement/deviceHealthScripts'] ?? []) {
      expect(typeof i.detectionScriptContent).toBe('string')
      expect(typeof i.remediationScriptContent).toBe('string')
    }
    for (const i of data['/deviceManagement/deviceShellScripts'] ?? [])
      expect(i.scriptContent).toMatch(/^[A-Za-z0-9+/]+=*$/)
  })

  // its speed is not judged here (a timed assertion fails on a busy machine): the bench generates these sizes
  it('generates 200k objects', () => {
    const data = generateTenant({ seed: 1, size: 200_000 })
    expect(countItems(data)).toBe(200_000)
  })

  it('rejects impossible sizes', () => {
    expect(() => generateTenant({ seed: 1, size: -1 })).toThrow(RangeError)
    expect(() => generateTenant({ seed: 1, size: 1.5 })).toThrow(RangeError)
  })

  it('knows every collection in the catalog', () => {
    expect(COLLECTIONS.map((c) => c.path).sort()).toEqual([...EXPECTED_PATHS].sort())
  })
})

describe('mutation helpers', () => {
  it('deleteRandomItems removes exactly that many, returns their ids, and repeats per seed', () => {
    const data = generateTenant({ seed: 1, size: 1_000 })
    const before = new Set(Object.values(data).flatMap((l) => l.map((i) => i.id)))
    const removed = deleteRandomItems(data, { seed: 5, count: 37 })
    expect(new Set(removed).size).toBe(37)
    expect(countItems(data)).toBe(963)
    const after = new Set(Object.values(data).flatMap((l) => l.map((i) => i.id)))
    for (const id of removed) {
      expect(before.has(id)).toBe(true)
      expect(after.has(id)).toBe(false)
    }
    const again = generateTenant({ seed: 1, size: 1_000 })
    expect(deleteRandomItems(again, { seed: 5, count: 37 })).toEqual(removed)
  })

  it('deleteRandomItems respects paths and never removes more than exist', () => {
    const data = generateTenant({ seed: 1, size: 1_000 })
    const path = '/deviceManagement/deviceConfigurations'
    const others = countItems(data) - (data[path]?.length ?? 0)
    const removed = deleteRandomItems(data, { seed: 2, count: 10_000, paths: [path] })
    expect(data[path]).toEqual([])
    expect(removed.length).toBeGreaterThan(0)
    expect(countItems(data)).toBe(others)
  })

  it('renameItem uses the collection name property and moves the modified time forward', () => {
    const data = generateTenant({ seed: 1, size: 1_000 })
    const cp = data['/deviceManagement/configurationPolicies']?.[0] as FakeItem
    const previous = cp.lastModifiedDateTime as string
    const renamed = renameItem(
      data,
      '/deviceManagement/configurationPolicies',
      cp.id as string,
      'WIN - SC - Renamed'
    )
    expect(renamed?.name).toBe('WIN - SC - Renamed')
    expect(renamed).not.toHaveProperty('displayName')
    expect((renamed?.lastModifiedDateTime as string) > previous).toBe(true)
    expect(renamed?.lastModifiedDateTime).toMatch(GRAPH_TIME)

    const ca = data['/identity/conditionalAccess/policies']?.[0] as FakeItem
    renameItem(data, '/identity/conditionalAccess/policies', ca.id as string, 'CA999 - x', {
      at: Date.parse('2026-02-03T04:05:06Z')
    })
    expect(ca.displayName).toBe('CA999 - x')
    expect(ca.modifiedDateTime).toBe('2026-02-03T04:05:06.0000000Z')
    expect(renameItem(data, '/identity/conditionalAccess/policies', 'missing', 'x')).toBeUndefined()
  })

  it('hostileItems covers missing id, numeric id, null name, 1 MB string, control characters, duplicate id', () => {
    const items = hostileItems('name')
    expect(items.some((i) => !('id' in i))).toBe(true)
    expect(items.some((i) => typeof i.id === 'number')).toBe(true)
    expect(items.some((i) => 'name' in i && i.name === null)).toBe(true)
    expect(
      items.some((i) => Object.values(i).some((v) => typeof v === 'string' && v.length >= 1024 * 1024))
    ).toBe(true)
    // eslint-disable-next-line no-control-regex
    expect(items.some((i) => typeof i.name === 'string' && /[\u0000-\u001f]/.test(i.name))).toBe(true)
    const ids = items.map((i) => i.id).filter((id) => typeof id === 'string')
    expect(new Set(ids).size).toBeLessThan(ids.length)
    expect(JSON.stringify(hostileItems('name'))).toBe(JSON.stringify(items))
  })
})
