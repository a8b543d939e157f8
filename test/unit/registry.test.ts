import { describe, expect, it } from 'vitest'
import { CATEGORIES } from '../../domain/policy-type'
import type { PolicyTypeDef } from '../../domain/policy-type'
import {
  getPolicyType,
  groupBySource,
  NEVER_STORED_KEYS,
  POLICY_TYPE_KEYS,
  POLICY_TYPES,
  routeItem,
  typesInCategory
} from '../../main/graph/registry'

/** Keys other modules (engine, fake Graph, UI) refer to by name. */
const REQUIRED_KEYS = [
  'deviceConfiguration',
  'windowsUpdateRing',
  'iosUpdatePolicy',
  'settingsCatalogPolicy',
  'endpointSecurityPolicy',
  'securityBaselinePolicy',
  'compliancePolicy',
  'compliancePolicyV2',
  'deviceComplianceScript',
  'groupPolicyConfiguration',
  'groupPolicyUploadedDefinitionFile',
  'endpointSecurityIntent',
  'appProtectionPolicy',
  'appConfigurationManagedApps',
  'appConfigurationManagedDevices',
  'mobileApp',
  'deviceManagementScript',
  'deviceShellScript',
  'deviceCustomAttributeShellScript',
  'deviceHealthScript',
  'windowsAutopilotDeploymentProfile',
  'deviceEnrollmentConfiguration',
  'enrollmentStatusPage',
  'enrollmentRestriction',
  'appleUserInitiatedEnrollmentProfile',
  'assignmentFilter',
  'roleScopeTag',
  'roleDefinition',
  'notificationMessageTemplate',
  'windowsFeatureUpdateProfile',
  'windowsQualityUpdateProfile',
  'windowsDriverUpdateProfile',
  'termsAndConditions',
  'policySet',
  'deviceCategory',
  'intuneBrandingProfile',
  'reusablePolicySetting',
  'conditionalAccessPolicy',
  'namedLocation'
]

function sourceOf(path: string): PolicyTypeDef[] {
  const source = groupBySource(POLICY_TYPES).find((s) => s.path === path)
  if (!source) throw new Error(`no source ${path}`)
  return source.types
}

/** Route one item and also prove no second sibling would claim it through its matcher. */
function routeKey(path: string, item: Record<string, unknown>): string | undefined {
  const types = sourceOf(path)
  const owner = routeItem(types, item)
  const matchers = types.filter((t) => t.match?.(item) === true)
  expect(matchers.length).toBeLessThanOrEqual(1)
  return owner?.key
}

const odata = (name: string): Record<string, unknown> => ({
  id: 'x',
  '@odata.type': `#microsoft.graph.${name}`
})

describe('policy-type registry', () => {
  it('has at least 30 types, every required key, and unique keys', () => {
    expect(POLICY_TYPES.length).toBeGreaterThanOrEqual(30)
    expect(new Set(POLICY_TYPE_KEYS).size).toBe(POLICY_TYPES.length)
    for (const key of REQUIRED_KEYS) expect(getPolicyType(key), key).toBeDefined()
    expect(getPolicyType('noSuchType')).toBeUndefined()
    expect(getPolicyType('toString')).toBeUndefined()
  })

  it('describes every type completely', () => {
    for (const def of POLICY_TYPES) {
      expect(def.path, def.key).toMatch(/^\/[A-Za-z]/)
      expect(def.path, def.key).not.toMatch(/[?$#\s]|\/$/)
      expect(def.apiVersion, def.key).toBe('beta')
      expect(def.permissions.length, def.key).toBeGreaterThan(0)
      expect(
        def.permissions.every((p) => /^[A-Za-z]+\.Read\.All$/.test(p)),
        def.key
      ).toBe(true)
      expect(CATEGORIES, def.key).toContain(def.category)
      expect(def.label.trim(), def.key).not.toBe('')
      expect(def.nameProperty, def.key).not.toBe('')
      expect(new Set(def.metaKeys).size, `${def.key} duplicate meta key`).toBe(def.metaKeys.length)
      // the name is its own column; 'id' is the external id
      expect(def.metaKeys, def.key).not.toContain(def.nameProperty)
      expect(def.metaKeys, def.key).not.toContain('id')
    }
  })

  it('never whitelists a secret, script body or blob', () => {
    expect(NEVER_STORED_KEYS).toEqual(NEVER_STORED_KEYS.map((k) => k.toLowerCase()))
    for (const must of [
      'scriptcontent',
      'detectionscriptcontent',
      'remediationscriptcontent',
      'omasettings',
      'payload',
      'largeicon',
      'customsettings',
      'bodytext'
    ]) {
      expect(NEVER_STORED_KEYS).toContain(must)
    }
    const offenders = POLICY_TYPES.flatMap((def) =>
      def.metaKeys.filter((k) => NEVER_STORED_KEYS.includes(k.toLowerCase())).map((k) => `${def.key}.${k}`)
    )
    expect(offenders).toEqual([])
    // nothing that looks like a credential either, whatever its exact name
    const suspicious = POLICY_TYPES.flatMap((def) =>
      def.metaKeys
        .filter((k) => /password|secret|privatekey|certificate|scriptcontent/i.test(k))
        .map((k) => `${def.key}.${k}`)
    )
    expect(suspicious).toEqual([])
  })

  it('uses the observed page-size hints', () => {
    for (const def of POLICY_TYPES) {
      const expected =
        def.path === '/deviceManagement/configurationPolicies' ||
        def.path === '/deviceManagement/compliancePolicies'
          ? 25
          : def.path === '/deviceAppManagement/mobileApps'
            ? 1000
            : 100
      expect(def.expectedPageSize, def.key).toBe(expected)
    }
  })

  it('flags foundations, licence-gated and identity types', () => {
    const keysWhere = (pred: (d: PolicyTypeDef) => boolean): string[] =>
      POLICY_TYPES.filter(pred)
        .map((d) => d.key)
        .sort()
    expect(keysWhere((d) => d.foundation === true)).toEqual(
      [
        'assignmentFilter',
        'deviceCategory',
        'notificationMessageTemplate',
        'reusablePolicySetting',
        'roleScopeTag'
      ].sort()
    )
    expect(keysWhere((d) => d.licenseGated === true)).toEqual([
      'conditionalAccessPolicy',
      'namedLocation',
      'windowsDriverUpdateProfile'
    ])
    expect(keysWhere((d) => !d.intune)).toEqual(['conditionalAccessPolicy', 'namedLocation'])
    for (const def of POLICY_TYPES) {
      expect(def.path.startsWith('/identity/'), def.key).toBe(!def.intune)
    }
    expect(
      typesInCategory('identity')
        .map((d) => d.key)
        .sort()
    ).toEqual(['conditionalAccessPolicy', 'namedLocation'])
  })

  it('has dependencies that exist, are not self references and form no cycle', () => {
    const expectedEdges: Array<[string, string]> = [
      ['compliancePolicy', 'notificationMessageTemplate'],
      ['endpointSecurityPolicy', 'reusablePolicySetting'],
      ['enrollmentStatusPage', 'mobileApp'],
      ['appConfigurationManagedDevices', 'mobileApp'],
      ['appProtectionPolicy', 'mobileApp'],
      ['conditionalAccessPolicy', 'namedLocation']
    ]
    for (const [from, to] of expectedEdges) expect(getPolicyType(from)?.dependsOn, from).toContain(to)

    for (const def of POLICY_TYPES) {
      for (const dep of def.dependsOn ?? []) {
        expect(getPolicyType(dep), `${def.key} -> ${dep}`).toBeDefined()
        expect(dep).not.toBe(def.key)
      }
    }
    // depth-first search for a back edge
    const state = new Map<string, 'open' | 'done'>()
    const visit = (key: string, trail: string[]): void => {
      if (state.get(key) === 'done') return
      if (state.get(key) === 'open') throw new Error(`dependency cycle: ${[...trail, key].join(' -> ')}`)
      state.set(key, 'open')
      for (const dep of getPolicyType(key)?.dependsOn ?? []) visit(dep, [...trail, key])
      state.set(key, 'done')
    }
    for (const key of POLICY_TYPE_KEYS) visit(key, [])
  })

  it('gives every category at least one type and every type exactly one category list', () => {
    let total = 0
    for (const category of CATEGORIES) {
      const types = typesInCategory(category)
      expect(types.length, category).toBeGreaterThan(0)
      expect(types.every((t) => t.category === category)).toBe(true)
      total += types.length
    }
    expect(total).toBe(POLICY_TYPES.length)
  })
})

describe('groupBySource', () => {
  it('lists each collection once, keeps every type exactly once, in first-appearance order', () => {
    const sources = groupBySource(POLICY_TYPES)
    const paths = sources.map((s) => s.path)
    expect(new Set(paths).size).toBe(paths.length)
    expect(paths).toEqual([...new Set(POLICY_TYPES.map((t) => t.path))])
    expect(sources.flatMap((s) => s.types.map((t) => t.key)).sort()).toEqual([...POLICY_TYPE_KEYS].sort())
    for (const s of sources) {
      expect(s.types.every((t) => t.path === s.path && t.apiVersion === s.apiVersion)).toBe(true)
    }
  })

  it('puts the mixed collections together, each with exactly one catch-all', () => {
    const mixed = Object.fromEntries(
      groupBySource(POLICY_TYPES)
        .filter((s) => s.types.length > 1)
        .map((s) => [s.path, s.types.map((t) => t.key).sort()])
    )
    expect(mixed).toEqual({
      '/deviceManagement/deviceConfigurations': [
        'deviceConfiguration',
        'iosUpdatePolicy',
        'windowsUpdateRing'
      ],
      '/deviceManagement/configurationPolicies': [
        'endpointSecurityPolicy',
        'securityBaselinePolicy',
        'settingsCatalogPolicy'
      ],
      '/deviceManagement/deviceEnrollmentConfigurations': [
        'deviceEnrollmentConfiguration',
        'enrollmentRestriction',
        'enrollmentStatusPage'
      ]
    })
    for (const source of groupBySource(POLICY_TYPES)) {
      const catchAlls = source.types.filter((t) => t.match === undefined)
      // a shared collection without exactly one catch-all would lose items or route them twice
      expect(catchAlls.length, source.path).toBe(1)
    }
  })

  it('groups a subset, and keeps a subset of one mixed collection as one source', () => {
    const subset = ['mobileApp', 'windowsUpdateRing', 'deviceConfiguration'].map((k) => getPolicyType(k)!)
    const sources = groupBySource(subset)
    expect(sources.map((s) => [s.path, s.types.map((t) => t.key)])).toEqual([
      ['/deviceAppManagement/mobileApps', ['mobileApp']],
      ['/deviceManagement/deviceConfigurations', ['windowsUpdateRing', 'deviceConfiguration']]
    ])
    expect(groupBySource([])).toEqual([])
  })
})

describe('routeItem', () => {
  it('splits deviceConfigurations by @odata.type', () => {
    const path = '/deviceManagement/deviceConfigurations'
    const cases: Array<[string, string]> = [
      ['windowsUpdateForBusinessConfiguration', 'windowsUpdateRing'],
      ['iosUpdateConfiguration', 'iosUpdatePolicy'],
      ['macOSSoftwareUpdateConfiguration', 'iosUpdatePolicy'],
      ['windows10CustomConfiguration', 'deviceConfiguration'],
      ['iosGeneralDeviceConfiguration', 'deviceConfiguration'],
      ['androidWorkProfileGeneralDeviceConfiguration', 'deviceConfiguration'],
      ['macOSGeneralDeviceConfiguration', 'deviceConfiguration']
    ]
    for (const [type, key] of cases) expect(routeKey(path, odata(type)), type).toBe(key)
    // Graph casing is not something to rely on; neither is the presence of @odata.type
    expect(routeKey(path, odata('WindowsUpdateForBusinessConfiguration'))).toBe('windowsUpdateRing')
    expect(routeKey(path, { id: 'x' })).toBe('deviceConfiguration')
    expect(routeKey(path, { id: 'x', '@odata.type': 42 })).toBe('deviceConfiguration')
  })

  it('splits configurationPolicies by template family, unknown families to settings catalog', () => {
    const path = '/deviceManagement/configurationPolicies'
    const withFamily = (family: unknown): Record<string, unknown> => ({
      id: 'x',
      templateReference: { templateFamily: family }
    })
    const cases: Array<[unknown, string]> = [
      ['endpointSecurityAntivirus', 'endpointSecurityPolicy'],
      ['endpointSecurityFirewall', 'endpointSecurityPolicy'],
      ['endpointSecurityEndpointDetectionAndResponse', 'endpointSecurityPolicy'],
      ['endpointSecurityAttackSurfaceReduction', 'endpointSecurityPolicy'],
      ['baseline', 'securityBaselinePolicy'],
      ['none', 'settingsCatalogPolicy'],
      ['enrollmentConfiguration', 'settingsCatalogPolicy'],
      ['someFamilyAddedIn2027', 'settingsCatalogPolicy'],
      [null, 'settingsCatalogPolicy'],
      [7, 'settingsCatalogPolicy']
    ]
    for (const [family, key] of cases) expect(routeKey(path, withFamily(family)), String(family)).toBe(key)
    expect(routeKey(path, { id: 'x' })).toBe('settingsCatalogPolicy')
    expect(routeKey(path, { id: 'x', templateReference: null })).toBe('settingsCatalogPolicy')
    expect(routeKey(path, { id: 'x', templateReference: 'baseline' })).toBe('settingsCatalogPolicy')
  })

  it('keeps app protection policies and drops the app-config rows of managedAppPolicies', () => {
    const path = '/deviceAppManagement/managedAppPolicies'
    for (const type of [
      'iosManagedAppProtection',
      'androidManagedAppProtection',
      'windowsManagedAppProtection',
      'windowsInformationProtectionPolicy',
      'mdmWindowsInformationProtectionPolicy',
      'defaultManagedAppProtection'
    ]) {
      expect(routeKey(path, odata(type)), type).toBe('appProtectionPolicy')
    }
    expect(routeKey(path, odata('targetedManagedAppConfiguration'))).toBeUndefined()
    // app config has its own collection, where it is wanted
    expect(
      routeKey(
        '/deviceAppManagement/targetedManagedAppConfigurations',
        odata('targetedManagedAppConfiguration')
      )
    ).toBe('appConfigurationManagedApps')
  })

  it('splits deviceEnrollmentConfigurations into ESP, restrictions and the rest', () => {
    const path = '/deviceManagement/deviceEnrollmentConfigurations'
    const cases: Array<[string, string]> = [
      ['windows10EnrollmentCompletionPageConfiguration', 'enrollmentStatusPage'],
      ['deviceEnrollmentPlatformRestrictionsConfiguration', 'enrollmentRestriction'],
      ['deviceEnrollmentPlatformRestrictionConfiguration', 'enrollmentRestriction'],
      ['deviceEnrollmentLimitConfiguration', 'enrollmentRestriction'],
      ['deviceEnrollmentWindowsHelloForBusinessConfiguration', 'deviceEnrollmentConfiguration'],
      ['deviceComanagementAuthorityConfiguration', 'deviceEnrollmentConfiguration'],
      ['enrollmentNotificationsConfiguration', 'deviceEnrollmentConfiguration']
    ]
    for (const [type, key] of cases) expect(routeKey(path, odata(type)), type).toBe(key)
  })

  it("drops Microsoft's global remediation scripts", () => {
    const path = '/deviceManagement/deviceHealthScripts'
    expect(routeKey(path, { id: 'a', isGlobalScript: true })).toBeUndefined()
    expect(routeKey(path, { id: 'b', isGlobalScript: false })).toBe('deviceHealthScript')
    expect(routeKey(path, { id: 'c' })).toBe('deviceHealthScript')
    expect(routeKey(path, { id: 'd', isGlobalScript: 'true' })).toBe('deviceHealthScript')
  })

  it("leaves out Microsoft's global managed apps the admin center hides, unless assigned", () => {
    const path = '/deviceAppManagement/mobileApps'
    const app = (extra: Record<string, unknown>): Record<string, unknown> => ({
      id: 'x',
      '@odata.type': '#microsoft.graph.managedIOSStoreApp',
      ...extra
    })
    expect(routeKey(path, app({ appAvailability: 'global', isAssigned: false }))).toBeUndefined()
    expect(routeKey(path, app({ appAvailability: 'global' }))).toBeUndefined()
    expect(routeKey(path, app({ appAvailability: 'global', isAssigned: true }))).toBe('mobileApp')
    expect(routeKey(path, app({ appAvailability: 'lineOfBusiness', isAssigned: false }))).toBe('mobileApp')
    expect(routeKey(path, app({ appAvailability: null, isAssigned: false }))).toBe('mobileApp')
    // apps that are not managed apps have no appAvailability at all
    expect(routeKey(path, { id: 'w', '@odata.type': '#microsoft.graph.win32LobApp' })).toBe('mobileApp')
  })

  it('treats a throwing predicate as "no match" instead of failing the collection', () => {
    const boom = (): boolean => {
      throw new Error('boom')
    }
    const base = getPolicyType('deviceConfiguration')!
    const picky: PolicyTypeDef = { ...base, key: 'picky', match: boom }
    const catchAll: PolicyTypeDef = { ...base, key: 'rest', exclude: boom }
    expect(routeItem([picky, catchAll], { id: 'x' })?.key).toBe('rest')
    expect(routeItem([picky], { id: 'x' })).toBeUndefined()
  })
})
