/**
 * What the fake Graph knows about Intune collections: which exist, how they page, which `@odata.type`s they
 * mix, and how to make one realistic list item of each kind. The generator (tenant-generator.ts) decides how
 * many of each; the server (graph-fake.ts) uses the paging facts. Property names and shapes follow
 * shared/docs/graph-intune-reference.md §1 and §5; values are synthetic.
 *
 * Plain Node only: the product's demo tenant imports this at runtime.
 */

export type FakeItem = Record<string, unknown>
/** collection path (after the version segment, e.g. '/deviceManagement/deviceConfigurations') → list items */
export type FakeTenantData = Record<string, FakeItem[]>

/** Small, fast, seedable PRNG (mulberry32). Deterministic output per seed is what the tests rely on. */
export class Rng {
  private s: number
  constructor(seed: number) {
    this.s = seed >>> 0
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }
  u32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0
  }
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0')

/** A version-4-shaped GUID from the seeded stream (crypto.randomUUID would break determinism). */
export function guid(rng: Rng): string {
  const a = hex8(rng.u32())
  const b = hex8(rng.u32())
  const c = hex8(rng.u32())
  const d = hex8(rng.u32())
  const variant = ((parseInt(c[0] as string, 16) & 0x3) | 0x8).toString(16)
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`
}

// Fixed window so a seed gives the same timestamps whatever day the tests run.
const START_MS = Date.UTC(2019, 5, 1)
const END_MS = Date.UTC(2026, 0, 1)

/** Graph's real wire form: UTC with 7 fractional digits ("2024-05-02T09:14:27.1234567Z"). */
export function graphTimestamp(ms: number, rng?: Rng): string {
  const whole = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)
  // about a tenth of real values are whole seconds (".0000000Z"), e.g. objects created by migrations
  const frac = !rng || rng.chance(0.1) ? '0000000' : String(rng.int(0, 9_999_999)).padStart(7, '0')
  return `${whole}.${frac}Z`
}

export function stamps(rng: Rng): { created: string; modified: string; modifiedMs: number } {
  const createdMs = rng.int(START_MS, END_MS - 86_400_000)
  const created = graphTimestamp(createdMs, rng)
  // a fifth were never edited: modified is then exactly the creation time
  if (rng.chance(0.2)) return { created, modified: created, modifiedMs: createdMs }
  const modifiedMs = rng.int(createdMs + 1000, END_MS)
  return { created, modified: graphTimestamp(modifiedMs, rng), modifiedMs }
}

const SUFFIXES = [
  'Pilot',
  'Ring 0',
  'Ring 1',
  'Broad',
  'Finance',
  'HR',
  'Sales',
  'Kiosk',
  'Shared devices',
  'Executives',
  'IT',
  'Contractors',
  'Test',
  'Legacy',
  'Frontline',
  'Developers',
  'EMEA',
  'APAC',
  'NA'
] as const

/** Consultant naming convention seen in MSP tenants: "WIN - Compliance - Baseline - Pilot". */
export function policyName(rng: Rng, plat: string, area: string, descriptors: readonly string[]): string {
  let name = `${plat} - ${area} - ${rng.pick(descriptors)}`
  if (rng.chance(0.55)) name += ` - ${rng.pick(SUFFIXES)}`
  if (rng.chance(0.06)) name += ` v${rng.int(2, 5)}`
  return name
}

export interface ItemContext {
  rng: Rng
  /** occurrence of this kind within its collection, 0-based (the first is often the tenant default) */
  nth: number
  /** scope tag ids that exist in this tenant ("0" = Default) */
  scopeTagIds: readonly string[]
  /** the same without "0", computed once per collection (a tenant may have thousands in the uniform profile) */
  customScopeTagIds: readonly string[]
}

export function scopeTagIds(ctx: ItemContext): string[] {
  const custom = ctx.customScopeTagIds
  if (custom.length === 0 || ctx.rng.chance(0.7)) return ['0']
  return ctx.rng.chance(0.5) ? ['0', ctx.rng.pick(custom)] : [ctx.rng.pick(custom)]
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

export interface KindDef {
  /** `@odata.type` without the '#microsoft.graph.' prefix on polymorphic collections, else a variant label */
  key: string
  /** relative frequency inside the collection in a realistic tenant */
  weight: number
  plat?: string
  area?: string
  names?: readonly string[]
  /** subtype properties; may also override base values (keys keep the base position) */
  build?: (ctx: ItemContext, item: FakeItem) => FakeItem
}

export interface CollectionDef {
  path: string
  /** the collection's declared entity type (used for odata.metadata=full) */
  entityType: string
  nameProperty: 'displayName' | 'name' | 'profileName' | 'fileName' | 'tokenName'
  /** polymorphic collections carry "@odata.type" on every item under minimal metadata */
  polymorphic: boolean
  pageSize: number
  /** `$top` is honoured up to this */
  maxPageSize: number
  /** also served under /v1.0 (beta-only segments fail there like the real service) */
  v1: boolean
  /** share of a realistic tenant's objects (relative) */
  weight: number
  /** realistic upper bound (a tenant has a handful of scope tags, not thousands) */
  cap?: number
  /** keep generation order (scope tags come back ordered by id); others are shuffled like a real tenant */
  ordered?: boolean
  /** query options the real endpoint rejects with 400 */
  rejectsQueryOptions?: readonly string[]
  kinds: readonly KindDef[]
  base: (ctx: ItemContext, kind: KindDef) => FakeItem
}

// ---------- shared base shapes ----------

/** deviceConfiguration / deviceCompliancePolicy style base (beta order as in reference §5.1). */
function deviceConfigBase(withApplicability: boolean) {
  return (ctx: ItemContext, kind: KindDef): FakeItem => {
    const t = stamps(ctx.rng)
    const item: FakeItem = {
      id: guid(ctx.rng),
      lastModifiedDateTime: t.modified,
      roleScopeTagIds: scopeTagIds(ctx),
      supportsScopeTags: true
    }
    if (withApplicability) {
      item.deviceManagementApplicabilityRuleOsEdition = null
      item.deviceManagementApplicabilityRuleOsVersion = null
      item.deviceManagementApplicabilityRuleDeviceMode = null
    }
    item.createdDateTime = t.created
    item.description = ctx.rng.chance(0.4) ? '' : ctx.rng.chance(0.5) ? null : `Managed by IT - ${kind.area}`
    item.displayName = policyName(
      ctx.rng,
      kind.plat ?? 'WIN',
      kind.area ?? 'Config',
      kind.names ?? ['Default']
    )
    item.version = ctx.rng.int(1, 12)
    return item
  }
}

/** displayName + description + timestamps + scope tags: the common shape of most beta collections. */
function simpleBase(opts: { created?: boolean; version?: 'int' | 'string' } = {}) {
  return (ctx: ItemContext, kind: KindDef): FakeItem => {
    const t = stamps(ctx.rng)
    const item: FakeItem = { id: guid(ctx.rng) }
    item.displayName = policyName(
      ctx.rng,
      kind.plat ?? 'WIN',
      kind.area ?? 'Policy',
      kind.names ?? ['Default']
    )
    item.description = ctx.rng.chance(0.5) ? '' : `${kind.area ?? 'Policy'} managed by the service desk`
    if (opts.created !== false) item.createdDateTime = t.created
    item.lastModifiedDateTime = t.modified
    item.roleScopeTagIds = scopeTagIds(ctx)
    if (opts.version === 'int') item.version = ctx.rng.int(1, 9)
    if (opts.version === 'string') item.version = String(ctx.rng.int(1, 9))
    return item
  }
}

const WIN = 'WIN'
const OMA_SAMPLES = [
  [
    'AllowWindowsConsumerFeatures',
    './Device/Vendor/MSFT/Policy/Config/Experience/AllowWindowsConsumerFeatures'
  ],
  ['DisableOneDriveFileSync', './Device/Vendor/MSFT/Policy/Config/System/DisableOneDriveFileSyncNGSC'],
  ['AllowCortana', './Device/Vendor/MSFT/Policy/Config/Experience/AllowCortana'],
  ['LockScreenImage', './Vendor/MSFT/Personalization/LockScreenImageUrl']
] as const

function omaSettings(ctx: ItemContext): FakeItem[] {
  const count = ctx.rng.int(1, 4)
  const settings: FakeItem[] = []
  for (let i = 0; i < count; i++) {
    const [name, uri] = OMA_SAMPLES[i % OMA_SAMPLES.length] as readonly [string, string]
    // one in five custom profiles hides a value behind a secret reference, as Intune does for encrypted rows
    const encrypted = ctx.rng.chance(0.2)
    settings.push({
      '@odata.type': encrypted ? '#microsoft.graph.omaSettingString' : '#microsoft.graph.omaSettingInteger',
      displayName: name,
      description: null,
      omaUri: uri,
      secretReferenceValueId: encrypted ? `${guid(ctx.rng)}_${name}` : null,
      isEncrypted: encrypted,
      value: encrypted ? '****' : ctx.rng.int(0, 2),
      isReadOnly: false
    })
  }
  return settings
}

const MOBILECONFIG = base64(
  '<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>PayloadType</key>' +
    '<string>Configuration</string></dict></plist>'
)

// ---------- collections ----------

const deviceConfigurations: CollectionDef = {
  path: '/deviceManagement/deviceConfigurations',
  entityType: 'deviceConfiguration',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 110,
  base: deviceConfigBase(true),
  kinds: [
    {
      key: 'windows10CustomConfiguration',
      weight: 14,
      plat: WIN,
      area: 'Custom',
      names: ['Consumer features off', 'OneDrive KFM', 'Lock screen', 'Cortana off', 'Delivery Optimization'],
      build: (ctx) => ({ omaSettings: omaSettings(ctx) })
    },
    {
      key: 'windows10GeneralConfiguration',
      weight: 14,
      plat: WIN,
      area: 'Device restrictions',
      names: ['Baseline', 'Kiosk', 'Education', 'Shared PC'],
      build: (ctx) => ({
        passwordRequired: ctx.rng.chance(0.6),
        passwordMinimumLength: ctx.rng.pick([null, 8, 12, 14]),
        cameraBlocked: ctx.rng.chance(0.1),
        storageBlockRemovableStorage: ctx.rng.chance(0.3),
        bluetoothBlocked: false,
        edgeBlockPasswordManager: ctx.rng.chance(0.4),
        defenderRequireRealTimeMonitoring: true,
        smartScreenEnableAppInstallControl: ctx.rng.chance(0.5)
      })
    },
    {
      key: 'windows10EndpointProtectionConfiguration',
      weight: 8,
      plat: WIN,
      area: 'Endpoint protection',
      names: ['BitLocker', 'Firewall', 'Device control', 'Application Guard'],
      build: (ctx) => ({
        bitLockerEncryptDevice: ctx.rng.chance(0.7),
        firewallBlockStatefulFTP: true,
        defenderAttackSurfaceReductionExcludedPaths: [],
        applicationGuardEnabled: ctx.rng.chance(0.2)
      })
    },
    {
      key: 'windowsUpdateForBusinessConfiguration',
      weight: 8,
      plat: WIN,
      area: 'Update Ring',
      names: ['Pilot', 'Broad', 'Fast', 'Servers', 'VIP'],
      build: (ctx) => ({
        deliveryOptimizationMode: 'userDefined',
        prereleaseFeatures: 'userDefined',
        automaticUpdateMode: 'autoInstallAtMaintenanceTime',
        qualityUpdatesDeferralPeriodInDays: ctx.rng.pick([0, 3, 7, 14]),
        featureUpdatesDeferralPeriodInDays: ctx.rng.pick([0, 30, 60, 180]),
        qualityUpdatesPaused: ctx.rng.chance(0.05),
        featureUpdatesPaused: false,
        qualityUpdatesPauseStartDate: null,
        featureUpdatesPauseStartDate: null,
        qualityUpdatesWillBeRolledBack: false,
        featureUpdatesWillBeRolledBack: false,
        businessReadyUpdatesOnly: 'userDefined',
        deadlineForQualityUpdatesInDays: ctx.rng.pick([2, 3, 7]),
        deadlineGracePeriodInDays: 2
      })
    },
    {
      key: 'iosUpdateConfiguration',
      weight: 3,
      plat: 'IOS',
      area: 'Update policy',
      names: ['Latest', 'N-1', 'Supervised'],
      build: (ctx) => ({
        activeHoursStart: '08:00:00.0000000',
        activeHoursEnd: '17:00:00.0000000',
        desiredOsVersion: ctx.rng.pick(['17.6.1', '18.1', '18.3.2']),
        updateScheduleType: 'alwaysUpdate',
        scheduledInstallDays: [],
        utcTimeOffsetInMinutes: 0,
        enforcedSoftwareUpdateDelayInDays: ctx.rng.pick([0, 7, 30])
      })
    },
    {
      key: 'macOSSoftwareUpdateConfiguration',
      weight: 2,
      plat: 'MAC',
      area: 'Software update',
      names: ['Install ASAP', 'Scheduled', 'Pilot'],
      build: () => ({
        criticalUpdateBehavior: 'installASAP',
        configDataUpdateBehavior: 'installASAP',
        firmwareUpdateBehavior: 'default',
        allOtherUpdateBehavior: 'default',
        updateScheduleType: 'alwaysUpdate',
        customUpdateTimeWindows: [],
        updateTimeWindowUtcOffsetInMinutes: 0
      })
    },
    {
      key: 'iosGeneralDeviceConfiguration',
      weight: 6,
      plat: 'IOS',
      area: 'Device restrictions',
      names: ['Corporate', 'Supervised', 'Kiosk'],
      build: (ctx) => ({
        passcodeRequired: true,
        passcodeMinimumLength: ctx.rng.pick([4, 6, 8]),
        appStoreBlocked: ctx.rng.chance(0.2),
        cameraBlocked: false,
        iCloudBlockBackup: ctx.rng.chance(0.5)
      })
    },
    {
      key: 'iosCustomConfiguration',
      weight: 3,
      plat: 'IOS',
      area: 'Custom',
      names: ['Wallpaper', 'Home screen layout', 'Web clip'],
      build: () => ({ payloadName: 'custom', payloadFileName: 'custom.mobileconfig', payload: MOBILECONFIG })
    },
    {
      key: 'macOSCustomConfiguration',
      weight: 4,
      plat: 'MAC',
      area: 'Custom',
      names: ['Login window', 'PPPC', 'Kernel extensions', 'Notifications'],
      build: () => ({
        payloadName: 'loginwindow',
        payloadFileName: 'loginwindow.mobileconfig',
        payload: MOBILECONFIG,
        deploymentChannel: 'deviceChannel'
      })
    },
    {
      key: 'androidWorkProfileGeneralDeviceConfiguration',
      weight: 4,
      plat: 'AND',
      area: 'Work profile',
      names: ['BYOD restrictions', 'Personal profile', 'Passcode'],
      build: (ctx) => ({ workProfileBlockCamera: ctx.rng.chance(0.1), passwordRequired: true })
    },
    {
      key: 'androidDeviceOwnerGeneralDeviceConfiguration',
      weight: 4,
      plat: 'AND',
      area: 'Fully managed',
      names: ['Corporate', 'Dedicated kiosk', 'COPE'],
      build: (ctx) => ({
        kioskModeApps: [],
        screenCaptureBlocked: ctx.rng.chance(0.3),
        passwordRequireUnlock: 'deviceDefault'
      })
    },
    {
      key: 'aospDeviceOwnerDeviceConfiguration',
      weight: 1,
      plat: 'AND',
      area: 'AOSP',
      names: ['Teams Rooms', 'Headsets'],
      build: () => ({ passwordRequiredType: 'deviceDefault', cameraBlocked: false })
    },
    {
      key: 'windowsHealthMonitoringConfiguration',
      weight: 2,
      plat: WIN,
      area: 'Health monitoring',
      names: ['Endpoint analytics'],
      build: () => ({
        allowDeviceHealthMonitoring: 'enabled',
        configDeviceHealthMonitoringScope: 'bootPerformance,windowsUpdates'
      })
    },
    {
      key: 'editionUpgradeConfiguration',
      weight: 1,
      plat: WIN,
      area: 'Edition upgrade',
      names: ['Enterprise'],
      build: () => ({
        licenseType: 'licenseFile',
        targetEdition: 'windows10Enterprise',
        license: null,
        productKey: null
      })
    },
    {
      key: 'sharedPCConfiguration',
      weight: 1,
      plat: WIN,
      area: 'Shared PC',
      names: ['Library', 'Classroom'],
      build: () => ({
        accountManagerPolicy: null,
        allowedAccounts: 'guest,domain',
        enableAccountManager: true
      })
    },
    {
      key: 'windowsDomainJoinConfiguration',
      weight: 1,
      plat: WIN,
      area: 'Domain join',
      names: ['Hybrid join OU'],
      build: () => ({
        activeDirectoryDomainName: 'corp.contoso.com',
        computerNameStaticPrefix: 'CTS-',
        organizationalUnit: 'OU=Autopilot,DC=corp,DC=contoso,DC=com'
      })
    }
  ]
}

const TEMPLATES: Record<string, { id: string; name: string; tech: string }> = {
  endpointSecurityAntivirus: {
    id: '804339ad-1553-4478-a742-138fb5807418_1',
    name: 'Microsoft Defender Antivirus',
    tech: 'mdm,microsoftSense'
  },
  endpointSecurityFirewall: {
    id: '6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1',
    name: 'Windows Firewall',
    tech: 'mdm,microsoftSense'
  },
  endpointSecurityDiskEncryption: {
    id: '46ddfc50-d10f-4867-b852-9434254b3bff_1',
    name: 'BitLocker',
    tech: 'mdm'
  },
  endpointSecurityEndpointDetectionAndResponse: {
    id: '0385b795-0f2f-44ac-8602-9f65bf6adede_1',
    name: 'Endpoint detection and response',
    tech: 'mdm,microsoftSense'
  },
  endpointSecurityAttackSurfaceReduction: {
    id: 'e8c053d6-9f95-42b1-a7f1-ebfd71c67a4b_1',
    name: 'Attack Surface Reduction Rules',
    tech: 'mdm,microsoftSense'
  },
  endpointSecurityAccountProtection: {
    id: 'fcef01f2-439d-4c3f-9184-823fd6e97646_1',
    name: 'Account protection',
    tech: 'mdm'
  },
  baseline: {
    id: '66df8dce-0166-4b82-92f7-1f74e3ca17a3_4',
    name: 'Security Baseline for Windows 10 and later',
    tech: 'mdm'
  }
}

function settingsCatalogKind(
  family: string,
  weight: number,
  area: string,
  names: readonly string[]
): KindDef {
  return {
    key: family,
    weight,
    plat: WIN,
    area,
    names,
    build: (ctx) => {
      const tpl = TEMPLATES[family]
      return {
        technologies: tpl?.tech ?? 'mdm',
        templateReference: tpl
          ? {
              templateId: tpl.id,
              templateFamily: family,
              templateDisplayName: tpl.name,
              templateDisplayVersion: 'Version 1'
            }
          : {
              templateId: '',
              templateFamily: 'none',
              templateDisplayName: null,
              templateDisplayVersion: null
            },
        settingCount: ctx.rng.int(1, family === 'baseline' ? 300 : 60)
      }
    }
  }
}

/** Settings catalog / compliance v2 base: `name`, platforms/technologies strings, no @odata.type. */
function catalogPolicyBase(ctx: ItemContext, kind: KindDef): FakeItem {
  const t = stamps(ctx.rng)
  const platforms =
    kind.plat === 'MAC' ? 'macOS' : kind.plat === 'IOS' ? 'iOS' : kind.plat === 'LNX' ? 'linux' : 'windows10'
  return {
    id: guid(ctx.rng),
    name: policyName(ctx.rng, kind.plat ?? WIN, kind.area ?? 'SC', kind.names ?? ['Default']),
    description: ctx.rng.chance(0.5) ? '' : `${kind.area} settings`,
    platforms,
    technologies: platforms === 'linux' ? 'linuxMdm' : 'mdm',
    createdDateTime: t.created,
    lastModifiedDateTime: t.modified,
    settingCount: ctx.rng.int(1, 60),
    creationSource: null,
    roleScopeTagIds: scopeTagIds(ctx),
    isAssigned: ctx.rng.chance(0.75),
    templateReference: {
      templateId: '',
      templateFamily: 'none',
      templateDisplayName: null,
      templateDisplayVersion: null
    },
    priorityMetaData: null
  }
}

const configurationPolicies: CollectionDef = {
  path: '/deviceManagement/configurationPolicies',
  entityType: 'deviceManagementConfigurationPolicy',
  nameProperty: 'name',
  polymorphic: false,
  pageSize: 25,
  maxPageSize: 25,
  v1: false,
  weight: 170,
  base: catalogPolicyBase,
  kinds: [
    settingsCatalogKind('none', 50, 'SC', [
      'Edge baseline',
      'OneDrive',
      'Office updates',
      'Windows Hello',
      'LAPS',
      'Start menu',
      'Teams'
    ]),
    {
      key: 'macSettingsCatalog',
      weight: 8,
      plat: 'MAC',
      area: 'SC',
      names: ['FileVault', 'Platform SSO', 'Gatekeeper']
    },
    {
      key: 'iosSettingsCatalog',
      weight: 4,
      plat: 'IOS',
      area: 'SC',
      names: ['Declarative updates', 'Passcode']
    },
    settingsCatalogKind('endpointSecurityAntivirus', 8, 'ES', [
      'Defender AV',
      'AV exclusions',
      'Tamper protection'
    ]),
    settingsCatalogKind('endpointSecurityFirewall', 6, 'ES', ['Firewall', 'Firewall rules']),
    settingsCatalogKind('endpointSecurityDiskEncryption', 4, 'ES', ['BitLocker']),
    settingsCatalogKind('endpointSecurityEndpointDetectionAndResponse', 3, 'ES', ['EDR onboarding']),
    settingsCatalogKind('endpointSecurityAttackSurfaceReduction', 5, 'ES', ['ASR rules', 'Device control']),
    settingsCatalogKind('endpointSecurityAccountProtection', 2, 'ES', ['Account protection']),
    settingsCatalogKind('baseline', 3, 'Baseline', [
      'Security baseline',
      'Defender baseline',
      'Edge baseline'
    ])
  ]
}

const compliancePolicies: CollectionDef = {
  path: '/deviceManagement/compliancePolicies',
  entityType: 'deviceManagementCompliancePolicy',
  nameProperty: 'name',
  polymorphic: false,
  pageSize: 25,
  maxPageSize: 25,
  v1: false,
  weight: 10,
  base: (ctx, kind) => {
    const item = catalogPolicyBase(ctx, kind)
    delete item.templateReference
    delete item.priorityMetaData
    return item
  },
  kinds: [
    { key: 'linux', weight: 3, plat: 'LNX', area: 'Compliance', names: ['Ubuntu baseline', 'Encryption'] },
    { key: 'macOS', weight: 1, plat: 'MAC', area: 'Compliance', names: ['Settings catalog'] }
  ]
}

const deviceCompliancePolicies: CollectionDef = {
  path: '/deviceManagement/deviceCompliancePolicies',
  entityType: 'deviceCompliancePolicy',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 30,
  base: (ctx, kind) => {
    const item = deviceConfigBase(false)(ctx, kind)
    delete item.supportsScopeTags
    return item
  },
  kinds: [
    {
      key: 'windows10CompliancePolicy',
      weight: 10,
      plat: WIN,
      area: 'Compliance',
      names: ['Baseline', 'BitLocker', 'Defender', 'Minimum OS'],
      build: (ctx) => ({
        passwordRequired: false,
        passwordBlockSimple: false,
        passwordRequiredType: 'deviceDefault',
        requireHealthyDeviceReport: false,
        osMinimumVersion: ctx.rng.pick(['10.0.19045', '10.0.22631', null]),
        osMaximumVersion: null,
        bitLockerEnabled: ctx.rng.chance(0.8),
        secureBootEnabled: true,
        codeIntegrityEnabled: true,
        storageRequireEncryption: true,
        activeFirewallRequired: true,
        defenderEnabled: true,
        rtpEnabled: true,
        antivirusRequired: true,
        antiSpywareRequired: true,
        validOperatingSystemBuildRanges: [],
        deviceThreatProtectionEnabled: false,
        deviceThreatProtectionRequiredSecurityLevel: 'unavailable',
        configurationManagerComplianceRequired: false,
        tpmRequired: true
      })
    },
    {
      key: 'iosCompliancePolicy',
      weight: 5,
      plat: 'IOS',
      area: 'Compliance',
      names: ['Baseline', 'Jailbreak', 'Minimum OS'],
      build: (ctx) => ({
        passcodeBlockSimple: true,
        passcodeMinimumLength: ctx.rng.pick([4, 6]),
        passcodeRequiredType: 'numeric',
        passcodeRequired: true,
        osMinimumVersion: ctx.rng.pick(['16.0', '17.0', '18.0']),
        osMaximumVersion: null,
        securityBlockJailbrokenDevices: true,
        deviceThreatProtectionEnabled: false,
        deviceThreatProtectionRequiredSecurityLevel: 'unavailable',
        managedEmailProfileRequired: false,
        restrictedApps: []
      })
    },
    {
      key: 'macOSCompliancePolicy',
      weight: 3,
      plat: 'MAC',
      area: 'Compliance',
      names: ['Baseline', 'FileVault'],
      build: () => ({
        passwordRequired: true,
        storageRequireEncryption: true,
        firewallEnabled: true,
        systemIntegrityProtectionEnabled: true
      })
    },
    {
      key: 'androidWorkProfileCompliancePolicy',
      weight: 3,
      plat: 'AND',
      area: 'Compliance',
      names: ['BYOD', 'Work profile'],
      build: () => ({
        passwordRequired: true,
        securityBlockJailbrokenDevices: true,
        osMinimumVersion: '12.0'
      })
    },
    {
      key: 'androidDeviceOwnerCompliancePolicy',
      weight: 3,
      plat: 'AND',
      area: 'Compliance',
      names: ['Fully managed', 'Dedicated'],
      build: () => ({ passwordRequired: true, storageRequireEncryption: true, osMinimumVersion: '13.0' })
    },
    {
      key: 'aospDeviceOwnerCompliancePolicy',
      weight: 1,
      plat: 'AND',
      area: 'Compliance',
      names: ['AOSP'],
      build: () => ({ passwordRequired: false, securityBlockJailbrokenDevices: false })
    },
    {
      key: 'windows81CompliancePolicy',
      weight: 0.3,
      plat: WIN,
      area: 'Compliance',
      names: ['Legacy 8.1'],
      build: () => ({ passwordRequired: true, storageRequireEncryption: false })
    }
  ]
}

// ---------- apps ----------

type AppSeed = readonly [name: string, publisher: string]
const WIN_APPS: readonly AppSeed[] = [
  ['7-Zip', 'Igor Pavlov'],
  ['Notepad++', 'Notepad++ Team'],
  ['Google Chrome', 'Google LLC'],
  ['Mozilla Firefox', 'Mozilla'],
  ['Adobe Acrobat Reader', 'Adobe Inc.'],
  ['VLC media player', 'VideoLAN'],
  ['Zoom Workplace', 'Zoom Video Communications'],
  ['Slack', 'Slack Technologies'],
  ['Cisco Webex', 'Cisco'],
  ['FortiClient VPN', 'Fortinet'],
  ['GlobalProtect', 'Palo Alto Networks'],
  ['Power BI Desktop', 'Microsoft Corporation'],
  ['Visual Studio Code', 'Microsoft Corporation'],
  ['Git for Windows', 'The Git Development Community'],
  ['Python', 'Python Software Foundation'],
  ['PuTTY', 'Simon Tatham'],
  ['WinSCP', 'Martin Prikryl'],
  ['Greenshot', 'Greenshot'],
  ['Citrix Workspace', 'Citrix'],
  ['Dell Command Update', 'Dell Inc.'],
  ['HP Support Assistant', 'HP Inc.'],
  ['Lenovo System Update', 'Lenovo'],
  ['SAP GUI', 'SAP SE'],
  ['Wireshark', 'Wireshark Foundation'],
  ['KeePass', 'Dominik Reichl'],
  ['Paint.NET', 'dotPDN LLC']
]
const MOBILE_APPS: readonly (readonly [string, string, string])[] = [
  ['Microsoft Authenticator', 'com.microsoft.azureauthenticator', 'id983156458'],
  ['Microsoft Outlook', 'com.microsoft.Office.Outlook', 'id951937596'],
  ['Microsoft Teams', 'com.microsoft.skype.teams', 'id1113153706'],
  ['Microsoft Word', 'com.microsoft.Office.Word', 'id586447913'],
  ['Microsoft Excel', 'com.microsoft.Office.Excel', 'id586683407'],
  ['Microsoft OneDrive', 'com.microsoft.skydrive', 'id477537958'],
  ['Microsoft Edge', 'com.microsoft.msedge', 'id1288723196'],
  ['Intune Company Portal', 'com.microsoft.CompanyPortal', 'id719171358'],
  ['Zoom', 'us.zoom.videomeetings', 'id546505307'],
  ['Salesforce', 'com.salesforce.chatter', 'id404249815']
]
const version = (rng: Rng): string => `${rng.int(1, 30)}.${rng.int(0, 12)}.${rng.int(0, 999)}`

function appBase(ctx: ItemContext, kind: KindDef): FakeItem {
  const t = stamps(ctx.rng)
  return {
    id: guid(ctx.rng),
    displayName: kind.names ? ctx.rng.pick(kind.names) : 'App',
    description: '',
    publisher: 'Microsoft Corporation',
    largeIcon: null,
    createdDateTime: t.created,
    lastModifiedDateTime: t.modified,
    isFeatured: ctx.rng.chance(0.05),
    privacyInformationUrl: null,
    informationUrl: null,
    owner: '',
    developer: '',
    notes: '',
    uploadState: 1,
    publishingState: 'published',
    isAssigned: ctx.rng.chance(0.7),
    // list responses do not return usable scope tags for apps (reference §5.4)
    roleScopeTagIds: [],
    dependentAppCount: 0,
    supersedingAppCount: 0,
    supersededAppCount: 0
  }
}

function storeKind(
  key: string,
  weight: number,
  os: 'ios' | 'android',
  extra: (ctx: ItemContext) => FakeItem = () => ({})
): KindDef {
  return {
    key,
    weight,
    build: (ctx) => {
      const [name, bundle, storeId] = ctx.rng.pick(MOBILE_APPS)
      return {
        displayName: name,
        description: name,
        ...(os === 'ios'
          ? {
              bundleId: bundle,
              appStoreUrl: `https://apps.apple.com/us/app/${storeId}`,
              applicableDeviceType: { iPad: true, iPhoneAndIPod: true }
            }
          : {
              packageId: bundle.toLowerCase(),
              appStoreUrl: `https://play.google.com/store/apps/details?id=${bundle.toLowerCase()}`
            }),
        ...extra(ctx)
      }
    }
  }
}

const mobileApps: CollectionDef = {
  path: '/deviceAppManagement/mobileApps',
  entityType: 'mobileApp',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 1000,
  maxPageSize: 1000,
  v1: true,
  weight: 300,
  base: appBase,
  kinds: [
    {
      key: 'win32LobApp',
      weight: 40,
      build: (ctx) => {
        const [name, publisher] = ctx.rng.pick(WIN_APPS)
        const v = version(ctx.rng)
        const file = `${name.replace(/[^A-Za-z0-9]/g, '')}-${v}`
        return {
          displayName: `${name} ${v} (x64)`,
          description: name,
          publisher,
          supersededAppCount: ctx.rng.chance(0.2) ? 1 : 0,
          committedContentVersion: '1',
          fileName: `${file}.intunewin`,
          size: ctx.rng.int(100_000, 900_000_000),
          installCommandLine: `${file}.exe /S`,
          uninstallCommandLine: `"%ProgramFiles%\\${name}\\uninstall.exe" /S`,
          applicableArchitectures: 'x64',
          minimumFreeDiskSpaceInMB: null,
          minimumMemoryInMB: null,
          minimumNumberOfProcessors: null,
          minimumCpuSpeedInMHz: null,
          setupFilePath: `${file}.exe`,
          installExperience: {
            runAsAccount: 'system',
            deviceRestartBehavior: 'basedOnReturnCode',
            maxRunTimeInMinutes: 60
          },
          returnCodes: [
            { returnCode: 0, type: 'success' },
            { returnCode: 3010, type: 'softReboot' }
          ]
        }
      }
    },
    {
      key: 'winGetApp',
      weight: 10,
      build: (ctx) => {
        const [name, publisher] = ctx.rng.pick(WIN_APPS)
        return {
          displayName: name,
          publisher,
          packageIdentifier: `9N${guid(ctx.rng).slice(0, 10).toUpperCase()}`,
          installExperience: { runAsAccount: 'user' }
        }
      }
    },
    {
      key: 'officeSuiteApp',
      weight: 1,
      names: ['Microsoft 365 Apps for Windows 10 and later'],
      build: () => ({
        updateChannel: 'current',
        officePlatformArchitecture: 'x64',
        productIds: ['o365ProPlusRetail']
      })
    },
    {
      key: 'windowsMicrosoftEdgeApp',
      weight: 1,
      names: ['Microsoft Edge for Windows 10 and later'],
      build: () => ({ channel: 'stable' })
    },
    {
      key: 'windowsWebApp',
      weight: 3,
      names: ['HR Portal', 'Expenses', 'ServiceNow', 'Intranet'],
      build: (ctx) => ({ appUrl: `https://portal${ctx.rng.int(1, 9)}.contoso.com/` })
    },
    {
      key: 'windowsMobileMSI',
      weight: 3,
      names: ['Legacy CRM Client', 'Label Printer Driver', 'Time Tracker'],
      build: (ctx) => ({
        commandLine: '/qn',
        productCode: `{${guid(ctx.rng).toUpperCase()}}`,
        productVersion: version(ctx.rng)
      })
    },
    {
      key: 'windowsUniversalAppX',
      weight: 1,
      names: ['Contoso Field App'],
      build: () => ({ applicableArchitectures: 'x64', identityName: 'Contoso.FieldApp' })
    },
    {
      key: 'microsoftStoreForBusinessApp',
      weight: 1,
      names: ['Company Portal', 'Microsoft To Do'],
      build: () => ({ licenseType: 'offline', packageIdentityName: 'Microsoft.CompanyPortal' })
    },
    storeKind('iosStoreApp', 10, 'ios', () => ({
      minimumSupportedOperatingSystem: { v16_0: true, v17_0: false }
    })),
    storeKind('iosVppApp', 5, 'ios', (ctx) => ({
      usedLicenseCount: ctx.rng.int(0, 500),
      totalLicenseCount: 500,
      vppTokenOrganizationName: 'Contoso Ltd'
    })),
    {
      key: 'iosLobApp',
      weight: 2,
      names: ['Contoso Inspect', 'Field Service (in-house)'],
      build: (ctx) => ({
        bundleId: 'com.contoso.inspect',
        fileName: 'inspect.ipa',
        size: ctx.rng.int(1e6, 2e8),
        versionNumber: version(ctx.rng)
      })
    },
    // Microsoft's built-in MAM apps: the portal lists them only once assigned (registry: isHiddenGlobalApp)
    storeKind('managedIOSStoreApp', 6, 'ios', (ctx) => ({
      appAvailability: 'global',
      publisher: 'Microsoft Corporation',
      isAssigned: ctx.rng.chance(0.25)
    })),
    {
      key: 'macOSLobApp',
      weight: 2,
      names: ['Contoso VPN', 'Printer Setup'],
      build: () => ({ bundleId: 'com.contoso.vpn', fileName: 'vpn.pkg', ignoreVersionDetection: true })
    },
    {
      key: 'macOSDmgApp',
      weight: 3,
      names: ['Google Chrome', 'Firefox', 'Zoom', 'Slack'],
      build: () => ({ primaryBundleId: 'com.google.Chrome', fileName: 'app.dmg' })
    },
    {
      key: 'macOSPkgApp',
      weight: 3,
      names: ['Company Portal', 'Microsoft Defender', 'Zoom'],
      build: () => ({ primaryBundleId: 'com.microsoft.CompanyPortalMac', fileName: 'portal.pkg' })
    },
    {
      key: 'macOSMicrosoftEdgeApp',
      weight: 1,
      names: ['Microsoft Edge for macOS'],
      build: () => ({ channel: 'stable' })
    },
    { key: 'macOSOfficeSuiteApp', weight: 1, names: ['Microsoft 365 Apps for macOS'] },
    storeKind('androidManagedStoreApp', 8, 'android', () => ({
      isSystemApp: false,
      appTracks: [],
      supportsOemConfig: false
    })),
    storeKind('managedAndroidStoreApp', 6, 'android', (ctx) => ({
      appAvailability: 'global',
      publisher: 'Microsoft Corporation',
      isAssigned: ctx.rng.chance(0.25),
      version: version(ctx.rng)
    })),
    storeKind('androidStoreApp', 1, 'android'),
    {
      key: 'webApp',
      weight: 3,
      names: ['Contoso Intranet', 'Benefits', 'IT Self-service'],
      build: (ctx) => ({
        appUrl: `https://apps${ctx.rng.int(1, 9)}.contoso.com/`,
        useManagedBrowser: ctx.rng.chance(0.5)
      })
    }
  ]
}

function mamBase(ctx: ItemContext, kind: KindDef): FakeItem {
  const item = simpleBase({ version: 'string' })(ctx, kind)
  // MAM ids carry a prefix: T_ for protection policies, A_ for app configurations (reference §1a quirks)
  item.id = `${kind.key === 'targetedManagedAppConfiguration' ? 'A' : 'T'}_${item.id as string}`
  return item
}

const managedAppPolicies: CollectionDef = {
  path: '/deviceAppManagement/managedAppPolicies',
  entityType: 'managedAppPolicy',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 35,
  base: mamBase,
  kinds: [
    {
      key: 'iosManagedAppProtection',
      weight: 8,
      plat: 'IOS',
      area: 'APP',
      names: ['Level 1 basic', 'Level 2 enhanced', 'Level 3 high', 'BYOD'],
      build: (ctx) => ({
        isAssigned: ctx.rng.chance(0.8),
        deployedAppCount: ctx.rng.int(0, 30),
        pinRequired: true,
        minimumPinLength: 6,
        appDataEncryptionType: 'whenDeviceLocked'
      })
    },
    {
      key: 'androidManagedAppProtection',
      weight: 8,
      plat: 'AND',
      area: 'APP',
      names: ['Level 1 basic', 'Level 2 enhanced', 'Level 3 high', 'BYOD'],
      build: (ctx) => ({
        isAssigned: ctx.rng.chance(0.8),
        deployedAppCount: ctx.rng.int(0, 30),
        pinRequired: true,
        minimumPinLength: 6,
        screenCaptureBlocked: true
      })
    },
    {
      key: 'windowsManagedAppProtection',
      weight: 2,
      plat: WIN,
      area: 'APP',
      names: ['Edge MAM'],
      build: (ctx) => ({ isAssigned: ctx.rng.chance(0.5), deployedAppCount: 1, printBlocked: true })
    },
    {
      key: 'targetedManagedAppConfiguration',
      weight: 5,
      plat: 'ALL',
      area: 'App config',
      names: ['Outlook', 'Edge', 'Teams'],
      build: (ctx) => ({
        deployedAppCount: ctx.rng.int(0, 5),
        isAssigned: ctx.rng.chance(0.7),
        customSettings: [
          { name: 'com.microsoft.intune.mam.managedbrowser.homepage', value: 'https://intranet.contoso.com' }
        ]
      })
    },
    {
      key: 'mdmWindowsInformationProtectionPolicy',
      weight: 0.5,
      plat: WIN,
      area: 'WIP',
      names: ['Legacy WIP'],
      build: () => ({ enforcementLevel: 'silent', enterpriseDomain: 'contoso.com' })
    },
    {
      key: 'windowsInformationProtectionPolicy',
      weight: 0.5,
      plat: WIN,
      area: 'WIP',
      names: ['WIP without enrollment'],
      build: () => ({ enforcementLevel: 'noProtection', enterpriseDomain: 'contoso.com' })
    }
  ]
}

const targetedManagedAppConfigurations: CollectionDef = {
  path: '/deviceAppManagement/targetedManagedAppConfigurations',
  entityType: 'targetedManagedAppConfiguration',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 12,
  base: mamBase,
  kinds: [
    {
      key: 'targetedManagedAppConfiguration',
      weight: 1,
      plat: 'ALL',
      area: 'App config',
      names: ['Outlook', 'Edge', 'Teams', 'OneDrive'],
      build: (ctx) => ({
        customSettings: [{ name: 'com.microsoft.outlook.EmailProfile.AccountType', value: 'ModernAuth' }],
        deployedAppCount: ctx.rng.int(0, 5),
        isAssigned: ctx.rng.chance(0.7)
      })
    }
  ]
}

const mobileAppConfigurations: CollectionDef = {
  path: '/deviceAppManagement/mobileAppConfigurations',
  entityType: 'managedDeviceMobileAppConfiguration',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 20,
  base: (ctx, kind) => {
    const item = simpleBase({ version: 'int' })(ctx, kind)
    return { id: item.id, targetedMobileApps: [guid(ctx.rng)], ...item }
  },
  kinds: [
    {
      key: 'iosMobileAppConfiguration',
      weight: 5,
      plat: 'IOS',
      area: 'App config',
      names: ['Outlook', 'Edge', 'Teams'],
      build: () => ({
        encodedSettingXml: null,
        settings: [
          {
            appConfigKey: 'IntuneMAMUPN',
            appConfigKeyType: 'stringType',
            appConfigKeyValue: '{{userprincipalname}}'
          }
        ]
      })
    },
    {
      key: 'androidManagedStoreAppConfiguration',
      weight: 5,
      plat: 'AND',
      area: 'App config',
      names: ['Outlook', 'Edge', 'Zebra OEMConfig', 'Samsung Knox'],
      build: (ctx) => ({
        packageId: 'app:com.microsoft.office.outlook',
        appSupportsOemConfig: ctx.rng.chance(0.2),
        profileApplicability: 'default',
        permissionActions: []
      })
    }
  ]
}

// ---------- scripts ----------

function scriptBody(kind: string, id: string, shell: boolean): string {
  // a unique marker per item lets tests prove script content never reaches storage
  return shell
    ? `#!/bin/zsh\n# fake-script-content ${kind} ${id}\nexit 0\n`
    : `# fake-script-content ${kind} ${id}\nWrite-Output "ok"\nexit 0\n`
}

const deviceManagementScripts: CollectionDef = {
  path: '/deviceManagement/deviceManagementScripts',
  entityType: 'deviceManagementScript',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 25,
  base: simpleBase(),
  kinds: [
    {
      key: 'powershell',
      weight: 1,
      plat: WIN,
      area: 'Script',
      names: ['Set timezone', 'Remove bloatware', 'Map drives', 'Install fonts', 'Registry fixes'],
      build: (ctx, item) => ({
        runSchedule: null,
        scriptContent: base64(scriptBody('deviceManagementScript', item.id as string, false)),
        runAsAccount: ctx.rng.pick(['system', 'user']),
        enforceSignatureCheck: false,
        fileName: 'script.ps1',
        runAs32Bit: ctx.rng.chance(0.2)
      })
    }
  ]
}

const deviceShellScripts: CollectionDef = {
  path: '/deviceManagement/deviceShellScripts',
  entityType: 'deviceShellScript',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 12,
  base: simpleBase(),
  kinds: [
    {
      key: 'shell',
      weight: 1,
      plat: 'MAC',
      area: 'Script',
      names: ['Set hostname', 'Install Rosetta', 'Dock layout', 'Enable SSH'],
      build: (ctx, item) => ({
        executionFrequency: ctx.rng.pick(['PT0S', 'PT15M', 'P1D', 'PT2M43.444327S']),
        retryCount: ctx.rng.int(0, 3),
        blockExecutionNotifications: true,
        scriptContent: base64(scriptBody('deviceShellScript', item.id as string, true)),
        runAsAccount: 'system',
        fileName: 'script.sh'
      })
    }
  ]
}

const deviceCustomAttributeShellScripts: CollectionDef = {
  path: '/deviceManagement/deviceCustomAttributeShellScripts',
  entityType: 'deviceCustomAttributeShellScript',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 5,
  base: simpleBase(),
  kinds: [
    {
      key: 'customAttribute',
      weight: 1,
      plat: 'MAC',
      area: 'Attribute',
      names: ['FileVault status', 'Battery health', 'Last reboot'],
      build: (ctx, item) => ({
        customAttributeName: 'attribute',
        customAttributeType: ctx.rng.pick(['string', 'integer', 'dateTime']),
        fileName: 'attribute.sh',
        scriptContent: base64(scriptBody('deviceCustomAttributeShellScript', item.id as string, true)),
        runAsAccount: 'system'
      })
    }
  ]
}

const deviceComplianceScripts: CollectionDef = {
  path: '/deviceManagement/deviceComplianceScripts',
  entityType: 'deviceComplianceScript',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 6,
  base: simpleBase(),
  kinds: [
    {
      key: 'compliance',
      weight: 1,
      plat: WIN,
      area: 'Custom compliance',
      names: ['Disk space', 'Local admin count', 'Agent running'],
      build: (ctx, item) => ({
        publisher: 'Contoso IT',
        version: '1',
        runAsAccount: 'system',
        enforceSignatureCheck: false,
        runAs32Bit: false,
        detectionScriptContent: base64(scriptBody('deviceComplianceScript', item.id as string, false))
      })
    }
  ]
}

const GLOBAL_HEALTH_SCRIPTS = ['Restart stopped Office C2R svc', 'Update stale Group Policies'] as const

function healthScriptKind(global: boolean, weight: number): KindDef {
  return {
    key: global ? 'globalScript' : 'customScript',
    weight,
    plat: WIN,
    area: 'Remediation',
    names: ['Clear Teams cache', 'Fix BITS', 'Reset Windows Update', 'Disk cleanup', 'Restart spooler'],
    build: (ctx, item) => ({
      ...(global
        ? { displayName: GLOBAL_HEALTH_SCRIPTS[ctx.nth % 2], publisher: 'Microsoft' }
        : { publisher: 'Contoso IT' }),
      version: String(ctx.rng.int(1, 4)),
      detectionScriptContent: base64(scriptBody('deviceHealthScript.detect', item.id as string, false)),
      remediationScriptContent: base64(scriptBody('deviceHealthScript.remediate', item.id as string, false)),
      runAsAccount: 'system',
      enforceSignatureCheck: false,
      runAs32Bit: false,
      isGlobalScript: global,
      highestAvailableVersion: global ? '1' : null,
      deviceHealthScriptType: 'deviceHealthScript'
    })
  }
}

const deviceHealthScripts: CollectionDef = {
  path: '/deviceManagement/deviceHealthScripts',
  entityType: 'deviceHealthScript',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 22,
  base: (ctx, kind) => {
    const item = simpleBase()(ctx, kind)
    return { id: item.id, publisher: '', version: '1', ...item }
  },
  kinds: [healthScriptKind(false, 8), healthScriptKind(true, 1)]
}

// ---------- enrollment ----------

const autopilotProfiles: CollectionDef = {
  path: '/deviceManagement/windowsAutopilotDeploymentProfiles',
  entityType: 'windowsAutopilotDeploymentProfile',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 8,
  rejectsQueryOptions: ['$filter', '$search'],
  base: (ctx, kind) => {
    const item = simpleBase()(ctx, kind)
    return {
      ...item,
      language: 'os-default',
      locale: 'os-default',
      deviceNameTemplate: ctx.rng.chance(0.6) ? 'CTS-%SERIAL%' : '',
      deviceType: ctx.rng.pick(['windowsPc', 'windowsPc', 'windowsPc', 'holoLens', 'surfaceHub2']),
      enableWhiteGlove: ctx.rng.chance(0.4),
      preprovisioningAllowed: ctx.rng.chance(0.4),
      extractHardwareHash: true,
      hardwareHashExtractionEnabled: true,
      managementServiceAppId: null,
      outOfBoxExperienceSettings: {
        hidePrivacySettings: true,
        hideEULA: true,
        userType: 'standard',
        deviceUsageType: 'singleUser',
        skipKeyboardSelectionPage: true,
        hideEscapeLink: true
      },
      enrollmentStatusScreenSettings: null
    }
  },
  kinds: [
    {
      key: 'azureADWindowsAutopilotDeploymentProfile',
      weight: 4,
      plat: WIN,
      area: 'Autopilot',
      names: ['User driven', 'Self deploying', 'Pre-provisioned']
    },
    {
      key: 'activeDirectoryWindowsAutopilotDeploymentProfile',
      weight: 1,
      plat: WIN,
      area: 'Autopilot',
      names: ['Hybrid join'],
      build: () => ({ hybridAzureADJoinSkipConnectivityCheck: true })
    }
  ]
}

function enrollmentKind(
  key: string,
  weight: number,
  suffix: string,
  typeName: string | null,
  extra: (ctx: ItemContext) => FakeItem
): KindDef {
  return {
    key,
    weight,
    plat: 'ALL',
    area: 'Enrollment',
    names: ['Corporate', 'BYOD', 'Frontline', 'Kiosk'],
    build: (ctx, item) => {
      // the first of each kind that has a tenant default is it: priority 0, fixed name, "Default" id suffix
      const isDefault = typeName !== null && ctx.nth === 0
      return {
        id: `${item.id as string}_${isDefault ? 'Default' : ''}${suffix}`,
        ...(isDefault
          ? {
              displayName: 'All users and all devices',
              description: `This is the default ${typeName} configuration applied with the lowest priority to all users regardless of group membership.`
            }
          : {}),
        priority: isDefault ? 0 : ctx.nth + 1,
        version: ctx.rng.int(1, 6),
        deviceEnrollmentConfigurationType: isDefault
          ? `default${suffix[0]?.toUpperCase()}${suffix.slice(1)}`
          : suffix.charAt(0).toLowerCase() + suffix.slice(1),
        ...extra(ctx)
      }
    }
  }
}

const deviceEnrollmentConfigurations: CollectionDef = {
  path: '/deviceManagement/deviceEnrollmentConfigurations',
  entityType: 'deviceEnrollmentConfiguration',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 14,
  base: simpleBase(),
  kinds: [
    enrollmentKind(
      'deviceEnrollmentPlatformRestrictionsConfiguration',
      1,
      'PlatformRestrictions',
      'Device Type Restrictions',
      () => ({
        iosRestriction: {
          platformBlocked: false,
          personalDeviceEnrollmentBlocked: false,
          osMinimumVersion: null,
          osMaximumVersion: null
        },
        windowsRestriction: {
          platformBlocked: false,
          personalDeviceEnrollmentBlocked: true,
          osMinimumVersion: null,
          osMaximumVersion: null
        },
        androidRestriction: {
          platformBlocked: false,
          personalDeviceEnrollmentBlocked: false,
          osMinimumVersion: null,
          osMaximumVersion: null
        },
        macOSRestriction: {
          platformBlocked: false,
          personalDeviceEnrollmentBlocked: false,
          osMinimumVersion: null,
          osMaximumVersion: null
        }
      })
    ),
    enrollmentKind(
      'deviceEnrollmentPlatformRestrictionConfiguration',
      3,
      'SinglePlatformRestriction',
      null,
      (ctx) => ({
        platformType: ctx.rng.pick(['windows', 'ios', 'android', 'mac', 'androidForWork']),
        platformRestriction: {
          platformBlocked: false,
          personalDeviceEnrollmentBlocked: ctx.rng.chance(0.5),
          osMinimumVersion: null,
          osMaximumVersion: null,
          blockedManufacturers: [],
          blockedSkus: []
        }
      })
    ),
    enrollmentKind('deviceEnrollmentLimitConfiguration', 2, 'Limit', 'Device Limit', (ctx) => ({
      limit: ctx.rng.pick([5, 10, 15])
    })),
    enrollmentKind(
      'deviceEnrollmentWindowsHelloForBusinessConfiguration',
      1,
      'WindowsHelloForBusiness',
      'Windows Hello for Business',
      (ctx) => ({
        pinMinimumLength: 6,
        pinMaximumLength: 127,
        state: ctx.rng.pick(['enabled', 'notConfigured']),
        securityDeviceRequired: false,
        unlockWithBiometricsEnabled: true,
        enhancedBiometricsState: 'notConfigured'
      })
    ),
    enrollmentKind(
      'windows10EnrollmentCompletionPageConfiguration',
      3,
      'Windows10EnrollmentCompletionPageConfiguration',
      'Enrollment Status Page',
      (ctx) => ({
        showInstallationProgress: true,
        blockDeviceSetupRetryByUser: false,
        allowDeviceResetOnInstallFailure: ctx.rng.chance(0.5),
        allowLogCollectionOnInstallFailure: true,
        customErrorMessage:
          'Setup could not be completed. Please try again or contact your support person for help.',
        installProgressTimeoutInMinutes: ctx.rng.pick([60, 90, 120]),
        allowDeviceUseOnInstallFailure: ctx.rng.chance(0.5),
        selectedMobileAppIds: [],
        allowNonBlockingAppInstallation: false,
        installQualityUpdates: ctx.rng.chance(0.3),
        trackInstallProgressForAutopilotOnly: true,
        disableUserStatusTrackingAfterFirstUser: true
      })
    ),
    enrollmentKind(
      'deviceComanagementAuthorityConfiguration',
      0.5,
      'DeviceComanagementAuthorityConfiguration',
      null,
      () => ({
        managedDeviceAuthority: 1,
        installConfigurationManagerAgent: true,
        configurationManagerAgentCommandLineArgument: 'SMSSITECODE=P01'
      })
    )
  ]
}

const appleUserInitiatedEnrollmentProfiles: CollectionDef = {
  path: '/deviceManagement/appleUserInitiatedEnrollmentProfiles',
  entityType: 'appleUserInitiatedEnrollmentProfile',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 2,
  base: simpleBase(),
  kinds: [
    {
      key: 'iOS',
      weight: 2,
      plat: 'IOS',
      area: 'User enrollment',
      names: ['Account driven', 'BYOD'],
      build: (ctx) => ({
        platform: 'iOS',
        priority: ctx.nth,
        defaultEnrollmentType: 'accountDrivenUserEnrollment',
        availableEnrollmentTypeOptions: []
      })
    },
    {
      key: 'macOS',
      weight: 1,
      plat: 'MAC',
      area: 'User enrollment',
      names: ['Account driven'],
      build: (ctx) => ({
        platform: 'macOS',
        priority: ctx.nth,
        defaultEnrollmentType: 'device',
        availableEnrollmentTypeOptions: []
      })
    }
  ]
}

const depOnboardingSettings: CollectionDef = {
  path: '/deviceManagement/depOnboardingSettings',
  entityType: 'depOnboardingSetting',
  nameProperty: 'tokenName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 1,
  cap: 10,
  base: (ctx) => {
    const t = stamps(ctx.rng)
    return {
      id: guid(ctx.rng),
      appleIdentifier: `abm-admin${ctx.nth || ''}@contoso.com`,
      tokenExpirationDateTime: graphTimestamp(
        Date.parse(t.modified.slice(0, 19) + 'Z') + 365 * 86_400_000,
        ctx.rng
      ),
      lastModifiedDateTime: t.modified,
      lastSuccessfulSyncDateTime: t.modified,
      lastSyncTriggeredDateTime: t.modified,
      shareTokenWithSchoolDataSyncService: false,
      lastSyncErrorCode: 0,
      tokenType: 'dep',
      tokenName: `ABM token ${ctx.nth + 1}`,
      syncedDeviceCount: ctx.rng.int(0, 3000),
      dataSharingConsentGranted: true,
      roleScopeTagIds: scopeTagIds(ctx)
    }
  },
  kinds: [{ key: 'dep', weight: 1 }]
}

// ---------- tenant admin ----------

const assignmentFilters: CollectionDef = {
  path: '/deviceManagement/assignmentFilters',
  entityType: 'deviceAndAppManagementAssignmentFilter',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 20,
  base: (ctx, kind) => {
    const t = stamps(ctx.rng)
    return {
      id: guid(ctx.rng),
      createdDateTime: t.created,
      lastModifiedDateTime: t.modified,
      displayName: policyName(ctx.rng, kind.plat ?? WIN, 'Filter', [
        'Corporate devices',
        'Surface',
        'Virtual machines',
        'Windows 11',
        'Personal devices'
      ]),
      description: '',
      platform: kind.key,
      rule:
        kind.key === 'windows10AndLater'
          ? '(device.deviceOwnership -eq "Corporate")'
          : '(device.manufacturer -eq "Apple")',
      // assignment filters use roleScopeTags, not roleScopeTagIds (reference §1a)
      roleScopeTags: scopeTagIds(ctx),
      payloads: [],
      assignmentFilterManagementType: kind.key.endsWith('MobileApplicationManagement') ? 'apps' : 'devices'
    }
  },
  kinds: [
    { key: 'windows10AndLater', weight: 6, plat: WIN },
    { key: 'iOS', weight: 2, plat: 'IOS' },
    { key: 'macOS', weight: 1, plat: 'MAC' },
    { key: 'androidForWork', weight: 1, plat: 'AND' },
    { key: 'androidWorkProfile', weight: 1, plat: 'AND' },
    { key: 'iOSMobileApplicationManagement', weight: 0.5, plat: 'IOS' }
  ]
}

const roleScopeTags: CollectionDef = {
  path: '/deviceManagement/roleScopeTags',
  entityType: 'roleScopeTag',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 3,
  cap: 40,
  ordered: true,
  // ids are small integers as strings; "0" is the built-in Default (no timestamps on this type)
  base: (ctx) =>
    ctx.nth === 0
      ? { id: '0', displayName: 'Default', description: 'Default scope tag', isBuiltIn: true }
      : {
          id: String(ctx.nth),
          displayName: `${ctx.rng.pick(['MSP', 'Region', 'Site', 'BU'])} - ${ctx.rng.pick(SUFFIXES)} ${ctx.nth}`,
          description: '',
          isBuiltIn: false
        },
  kinds: [{ key: 'roleScopeTag', weight: 1 }]
}

const BUILT_IN_ROLES = [
  'Policy and Profile manager',
  'Help Desk Operator',
  'Read Only Operator',
  'Application Manager',
  'Endpoint Security Manager',
  'Intune Role Administrator',
  'School Administrator'
] as const

const roleDefinitions: CollectionDef = {
  path: '/deviceManagement/roleDefinitions',
  entityType: 'roleDefinition',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 6,
  cap: 150,
  base: (ctx) => {
    const builtIn = ctx.nth < BUILT_IN_ROLES.length
    return {
      id: guid(ctx.rng),
      displayName: builtIn
        ? BUILT_IN_ROLES[ctx.nth]
        : `MSP - ${ctx.rng.pick(['L1', 'L2', 'L3'])} - ${ctx.rng.pick(SUFFIXES)}`,
      description: builtIn ? 'Built-in role' : '',
      isBuiltIn: builtIn,
      isBuiltInRoleDefinition: builtIn,
      roleScopeTagIds: builtIn ? [] : scopeTagIds(ctx),
      permissions: [{ actions: ['Microsoft.Intune_DeviceConfigurations_Read'] }],
      rolePermissions: [
        {
          actions: ['Microsoft.Intune_DeviceConfigurations_Read'],
          resourceActions: [
            {
              allowedResourceActions: ['Microsoft.Intune_DeviceConfigurations_Read'],
              notAllowedResourceActions: []
            }
          ]
        }
      ]
    }
  },
  kinds: [{ key: 'deviceAndAppManagementRoleDefinition', weight: 1 }]
}

const notificationMessageTemplates: CollectionDef = {
  path: '/deviceManagement/notificationMessageTemplates',
  entityType: 'notificationMessageTemplate',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 5,
  cap: 200,
  base: (ctx, kind) => {
    const item = simpleBase({ created: false })(ctx, kind)
    return {
      ...item,
      defaultLocale: 'en-us',
      brandingOptions: 'includeCompanyLogo,includeContactInformation'
    }
  },
  kinds: [
    {
      key: 'template',
      weight: 1,
      plat: 'ALL',
      area: 'Notification',
      names: ['Noncompliant device', 'Encryption required', 'OS out of date']
    }
  ]
}

const windowsFeatureUpdateProfiles: CollectionDef = {
  path: '/deviceManagement/windowsFeatureUpdateProfiles',
  entityType: 'windowsFeatureUpdateProfile',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 6,
  rejectsQueryOptions: ['$filter'],
  base: simpleBase(),
  kinds: [
    {
      key: 'featureUpdate',
      weight: 1,
      plat: WIN,
      area: 'Feature update',
      names: ['Windows 11 24H2', 'Windows 11 23H2', 'Windows 10 22H2'],
      build: (ctx) => ({
        featureUpdateVersion: ctx.rng.pick([
          'Windows 11, version 24H2',
          'Windows 11, version 23H2',
          'Windows 10, version 22H2'
        ]),
        rolloutSettings: {
          offerStartDateTimeInUTC: null,
          offerEndDateTimeInUTC: null,
          offerIntervalInDays: null
        },
        deployableContentDisplayName: 'Windows 11, version 24H2',
        endOfSupportDate: '2027-10-12T00:00:00Z',
        installLatestWindows10OnWindows11IneligibleDevice: ctx.rng.chance(0.5),
        installFeatureUpdatesOptional: false
      })
    }
  ]
}

const windowsQualityUpdateProfiles: CollectionDef = {
  path: '/deviceManagement/windowsQualityUpdateProfiles',
  entityType: 'windowsQualityUpdateProfile',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 4,
  base: simpleBase(),
  kinds: [
    {
      key: 'qualityUpdate',
      weight: 1,
      plat: WIN,
      area: 'Expedite',
      names: ['Zero-day patch', 'Monthly expedite'],
      build: (ctx) => ({
        expeditedUpdateSettings: {
          qualityUpdateRelease: '2025-04-08T00:00:00Z',
          daysUntilForcedReboot: ctx.rng.int(0, 2)
        },
        releaseDateDisplayName: 'April 8, 2025 - 2025.04 B',
        deployableContentDisplayName: '2025.04 B Security Updates for Windows 10 and later'
      })
    }
  ]
}

const windowsDriverUpdateProfiles: CollectionDef = {
  path: '/deviceManagement/windowsDriverUpdateProfiles',
  entityType: 'windowsDriverUpdateProfile',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 4,
  base: simpleBase(),
  kinds: [
    {
      key: 'driverUpdate',
      weight: 1,
      plat: WIN,
      area: 'Drivers',
      names: ['Automatic', 'Manual approval', 'Firmware'],
      build: (ctx, item) => ({
        approvalType: ctx.rng.pick(['manual', 'automatic']),
        deviceReporting: ctx.rng.int(0, 2000),
        newUpdates: ctx.rng.int(0, 20),
        deploymentDeferralInDays: ctx.rng.pick([0, 7, 14]),
        inventorySyncStatus: {
          lastSuccessfulSyncDateTime: item.lastModifiedDateTime,
          driverInventorySyncState: 'success'
        }
      })
    }
  ]
}

const termsAndConditions: CollectionDef = {
  path: '/deviceManagement/termsAndConditions',
  entityType: 'termsAndConditions',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 2,
  cap: 50,
  base: simpleBase({ version: 'int' }),
  kinds: [
    {
      key: 'terms',
      weight: 1,
      plat: 'ALL',
      area: 'Terms',
      names: ['Acceptable use', 'BYOD agreement'],
      build: () => ({
        title: 'Company terms',
        bodyText: 'By enrolling you accept the acceptable use policy.',
        acceptanceStatement: 'I accept'
      })
    }
  ]
}

const policySets: CollectionDef = {
  path: '/deviceAppManagement/policySets',
  entityType: 'policySet',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 4,
  base: (ctx, kind) => {
    const t = stamps(ctx.rng)
    return {
      id: guid(ctx.rng),
      createdDateTime: t.created,
      lastModifiedDateTime: t.modified,
      displayName: policyName(ctx.rng, kind.plat ?? WIN, 'Policy set', [
        'Onboarding',
        'Frontline bundle',
        'Executive bundle'
      ]),
      description: '',
      status: ctx.rng.pick(['validating', 'partialSuccess', 'success', 'success', 'success']),
      errorCode: 'noError',
      guidedDeploymentTags: [],
      roleScopeTags: scopeTagIds(ctx)
    }
  },
  kinds: [{ key: 'policySet', weight: 1, plat: 'ALL' }]
}

const deviceCategories: CollectionDef = {
  path: '/deviceManagement/deviceCategories',
  entityType: 'deviceCategory',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 5,
  cap: 100,
  base: (ctx) => ({
    id: guid(ctx.rng),
    displayName: `${ctx.rng.pick(['Corporate', 'Kiosk', 'Shared', 'Lab', 'Field', 'Executive'])} ${ctx.rng.pick(SUFFIXES)}`,
    description: '',
    roleScopeTagIds: scopeTagIds(ctx)
  }),
  kinds: [{ key: 'category', weight: 1 }]
}

const intuneBrandingProfiles: CollectionDef = {
  path: '/deviceManagement/intuneBrandingProfiles',
  entityType: 'intuneBrandingProfile',
  nameProperty: 'profileName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 2,
  cap: 30,
  base: (ctx) => {
    const t = stamps(ctx.rng)
    const isDefault = ctx.nth === 0
    return {
      id: guid(ctx.rng),
      profileName: isDefault ? 'Default' : `Branding - ${ctx.rng.pick(SUFFIXES)}`,
      profileDescription: isDefault ? 'Default profile' : '',
      isDefaultProfile: isDefault,
      createdDateTime: t.created,
      lastModifiedDateTime: t.modified,
      displayName: 'Contoso IT',
      contactITName: 'Service desk',
      contactITPhoneNumber: '+1 555 0100',
      contactITEmailAddress: 'helpdesk@contoso.com',
      onlineSupportSiteUrl: 'https://help.contoso.com',
      showLogo: true,
      themeColor: { r: 0, g: 120, b: 212 },
      roleScopeTagIds: scopeTagIds(ctx)
    }
  },
  kinds: [{ key: 'branding', weight: 1 }]
}

const reusablePolicySettings: CollectionDef = {
  path: '/deviceManagement/reusablePolicySettings',
  entityType: 'deviceManagementReusablePolicySetting',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 6,
  base: (ctx, kind) => {
    const item = simpleBase({ version: 'int' })(ctx, kind)
    delete item.roleScopeTagIds
    return item
  },
  kinds: [
    {
      key: 'firewallGroup',
      weight: 2,
      plat: WIN,
      area: 'Reusable',
      names: ['Remote IPs - Datacenter', 'Proxy servers', 'DNS servers'],
      build: () => ({
        settingDefinitionId: 'vendor_msft_firewall_mdmstore_dynamickeywords_addresses_{id}',
        settingInstance: null,
        referencingConfigurationPolicyCount: 1
      })
    },
    {
      key: 'removableStorage',
      weight: 1,
      plat: WIN,
      area: 'Reusable',
      names: ['Approved USB drives'],
      build: () => ({
        settingDefinitionId:
          'device_vendor_msft_defender_configuration_devicecontrol_policygroups_{groupid}_groupdata',
        settingInstance: null,
        referencingConfigurationPolicyCount: 0
      })
    }
  ]
}

const groupPolicyConfigurations: CollectionDef = {
  path: '/deviceManagement/groupPolicyConfigurations',
  entityType: 'groupPolicyConfiguration',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 40,
  base: simpleBase(),
  kinds: [
    {
      key: 'builtIn',
      weight: 5,
      plat: WIN,
      area: 'ADMX',
      names: ['Edge', 'Office', 'OneDrive', 'Chrome', 'Windows Components'],
      build: () => ({ policyConfigurationIngestionType: 'builtIn' })
    },
    {
      key: 'custom',
      weight: 1,
      plat: WIN,
      area: 'ADMX',
      names: ['Imported - Zoom', 'Imported - Adobe'],
      build: () => ({ policyConfigurationIngestionType: 'custom' })
    }
  ]
}

const groupPolicyUploadedDefinitionFiles: CollectionDef = {
  path: '/deviceManagement/groupPolicyUploadedDefinitionFiles',
  entityType: 'groupPolicyUploadedDefinitionFile',
  nameProperty: 'fileName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 3,
  base: (ctx) => {
    const t = stamps(ctx.rng)
    const vendor = ctx.rng.pick(['Zoom', 'AdobeAcrobat', 'GoogleChrome', 'Firefox', 'Citrix'])
    return {
      id: guid(ctx.rng),
      displayName: vendor,
      description: `${vendor} ADMX`,
      languageCodes: ['en-US'],
      targetPrefix: `${vendor}_${ctx.rng.int(100, 999)}`,
      targetNamespace: `${vendor}.Policies`,
      policyType: 'admxIngested',
      revision: '1.0',
      lastModifiedDateTime: t.modified,
      fileName: `${vendor.toLowerCase()}.admx`,
      defaultLanguageCode: 'en-US',
      status: 'available',
      uploadDateTime: t.created
    }
  },
  kinds: [{ key: 'admx', weight: 1 }]
}

/**
 * The Microsoft templates the fake's intents are created from, as `GET /deviceManagement/templates` lists
 * them (ids and platformType as real tenants return them). The fake serves them when a tenant's data holds
 * `INTENT_TEMPLATES_PATH`; intents carry only the `templateId`.
 */
export const INTENT_TEMPLATES_PATH = '/deviceManagement/templates'
export const INTENT_TEMPLATES: readonly FakeItem[] = [
  {
    '@odata.type': '#microsoft.graph.securityBaselineTemplate',
    id: '034ccd46-190c-4afc-adf1-ad7cc11262eb',
    displayName: 'MDM Security Baseline for Windows 10 and later for November 2021',
    description: 'MDM Security Baseline for Windows 10 and later',
    versionInfo: 'November 2021',
    isDeprecated: false,
    intentCount: 0,
    templateType: 'securityBaseline',
    platformType: 'windows10AndLater',
    templateSubtype: 'none',
    publishedDateTime: '2021-10-22T00:00:00Z'
  },
  {
    '@odata.type': '#microsoft.graph.deviceManagementTemplate',
    id: 'd1174162-1dd2-4976-affc-6667049ab0ae',
    displayName: 'BitLocker',
    description: 'Endpoint security disk encryption for Windows',
    versionInfo: 'Version 1',
    isDeprecated: false,
    intentCount: 0,
    templateType: 'endpointSecurityDiskEncryption',
    platformType: 'windows10AndLater',
    templateSubtype: 'diskEncryption',
    publishedDateTime: '2020-01-01T00:00:00Z'
  },
  {
    '@odata.type': '#microsoft.graph.deviceManagementTemplate',
    id: 'a239407c-698d-4ef8-b314-e3ae409204b8',
    displayName: 'macOS FileVault',
    description: 'Endpoint security disk encryption for macOS',
    versionInfo: 'Version 1',
    isDeprecated: false,
    intentCount: 0,
    templateType: 'endpointSecurityDiskEncryption',
    platformType: 'macOS',
    templateSubtype: 'diskEncryption',
    publishedDateTime: '2020-01-01T00:00:00Z'
  },
  {
    '@odata.type': '#microsoft.graph.deviceManagementTemplate',
    id: '4356d05c-a4ab-4a07-9ece-739f7c792910',
    displayName: 'Microsoft Defender Firewall Rules',
    description: 'Endpoint security firewall rules',
    versionInfo: 'Version 1',
    isDeprecated: false,
    intentCount: 0,
    templateType: 'endpointSecurityFirewall',
    platformType: 'windows10AndLater',
    templateSubtype: 'firewall',
    publishedDateTime: '2020-01-01T00:00:00Z'
  }
]

const intents: CollectionDef = {
  path: '/deviceManagement/intents',
  entityType: 'deviceManagementIntent',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: false,
  weight: 18,
  // intents have no createdDateTime (reference §1a); the kind key is the template id (INTENT_TEMPLATES)
  base: (ctx, kind) => {
    const item = simpleBase({ created: false })(ctx, kind)
    return {
      ...item,
      isAssigned: ctx.rng.chance(0.7),
      isMigratingToConfigurationPolicy: false,
      templateId: kind.key
    }
  },
  kinds: [
    {
      key: '034ccd46-190c-4afc-adf1-ad7cc11262eb',
      weight: 3,
      plat: WIN,
      area: 'Baseline (legacy)',
      names: ['MDM security baseline']
    },
    {
      key: 'd1174162-1dd2-4976-affc-6667049ab0ae',
      weight: 2,
      plat: WIN,
      area: 'ES (legacy)',
      names: ['BitLocker', 'Disk encryption']
    },
    {
      key: 'a239407c-698d-4ef8-b314-e3ae409204b8',
      weight: 1,
      plat: 'MAC',
      area: 'ES (legacy)',
      names: ['FileVault']
    },
    {
      // a template Tenant Atlas does not know the platform of: its intents show 'unknown'
      key: '4356d05c-a4ab-4a07-9ece-739f7c792910',
      weight: 1,
      plat: WIN,
      area: 'ES (legacy)',
      names: ['Firewall rules']
    }
  ]
}

// ---------- identity ----------

const conditionalAccessPolicies: CollectionDef = {
  path: '/identity/conditionalAccess/policies',
  entityType: 'conditionalAccessPolicy',
  nameProperty: 'displayName',
  polymorphic: false,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 20,
  base: (ctx, kind) => {
    const t = stamps(ctx.rng)
    const platforms =
      kind.key === 'allPlatforms' ? null : { includePlatforms: [kind.key], excludePlatforms: [] }
    return {
      id: guid(ctx.rng),
      templateId: null,
      displayName: `CA${String(ctx.rng.int(1, 999)).padStart(3, '0')} - ${ctx.rng.pick(['Require MFA', 'Block legacy auth', 'Require compliant device', 'Block unknown platforms', 'Sign-in frequency'])} - ${ctx.rng.pick(['All users', 'Admins', 'Guests', 'Contractors'])}`,
      createdDateTime: t.created,
      modifiedDateTime: ctx.rng.chance(0.2) ? null : t.modified,
      state: ctx.rng.pick(['enabled', 'enabled', 'disabled', 'enabledForReportingButNotEnforced']),
      sessionControls: null,
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: [],
        clientAppTypes: ['all'],
        platforms,
        locations: null,
        applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
        users: {
          includeUsers: ['All'],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [guid(ctx.rng)],
          includeRoles: [],
          excludeRoles: []
        }
      },
      grantControls: {
        operator: 'OR',
        builtInControls: [ctx.rng.pick(['mfa', 'compliantDevice', 'block'])],
        customAuthenticationFactors: [],
        termsOfUse: []
      }
    }
  },
  kinds: [
    { key: 'allPlatforms', weight: 6 },
    { key: 'windows', weight: 1 },
    { key: 'iOS', weight: 1 },
    { key: 'android', weight: 1 },
    { key: 'macOS', weight: 0.5 }
  ]
}

const namedLocations: CollectionDef = {
  path: '/identity/conditionalAccess/namedLocations',
  entityType: 'namedLocation',
  nameProperty: 'displayName',
  polymorphic: true,
  pageSize: 100,
  maxPageSize: 1000,
  v1: true,
  weight: 10,
  base: (ctx) => {
    const t = stamps(ctx.rng)
    return { id: guid(ctx.rng), displayName: '', createdDateTime: t.created, modifiedDateTime: t.modified }
  },
  kinds: [
    {
      key: 'ipNamedLocation',
      weight: 2,
      build: (ctx) => ({
        displayName: `${ctx.rng.pick(['HQ', 'Branch', 'VPN egress', 'Datacenter'])} ${ctx.rng.pick(SUFFIXES)}`,
        isTrusted: ctx.rng.chance(0.6),
        ipRanges: [
          {
            '@odata.type': '#microsoft.graph.iPv4CidrRange',
            cidrAddress: `203.0.${ctx.rng.int(0, 255)}.0/24`
          }
        ]
      })
    },
    {
      key: 'countryNamedLocation',
      weight: 1,
      build: (ctx) => ({
        displayName: `${ctx.rng.pick(['Allowed', 'Blocked'])} countries ${ctx.rng.pick(SUFFIXES)}`,
        countriesAndRegions: [ctx.rng.pick(['US', 'GB', 'DE', 'NL', 'FR'])],
        includeUnknownCountriesAndRegions: false,
        countryLookupMethod: 'clientIpAddress'
      })
    }
  ]
}

/** Every collection the fake serves, in a stable order (reference §1a). */
export const COLLECTIONS: readonly CollectionDef[] = [
  roleScopeTags,
  deviceConfigurations,
  configurationPolicies,
  deviceCompliancePolicies,
  compliancePolicies,
  deviceComplianceScripts,
  groupPolicyConfigurations,
  groupPolicyUploadedDefinitionFiles,
  intents,
  managedAppPolicies,
  targetedManagedAppConfigurations,
  mobileAppConfigurations,
  mobileApps,
  deviceManagementScripts,
  deviceShellScripts,
  deviceCustomAttributeShellScripts,
  deviceHealthScripts,
  autopilotProfiles,
  deviceEnrollmentConfigurations,
  assignmentFilters,
  roleDefinitions,
  notificationMessageTemplates,
  windowsFeatureUpdateProfiles,
  windowsQualityUpdateProfiles,
  windowsDriverUpdateProfiles,
  termsAndConditions,
  policySets,
  deviceCategories,
  intuneBrandingProfiles,
  reusablePolicySettings,
  appleUserInitiatedEnrollmentProfiles,
  depOnboardingSettings,
  conditionalAccessPolicies,
  namedLocations
]

const BY_PATH = new Map(COLLECTIONS.map((c) => [c.path.toLowerCase(), c]))

/** Graph path segments are case-insensitive. */
export function findCollection(path: string): CollectionDef | undefined {
  return BY_PATH.get(path.toLowerCase())
}

export const ODATA_PREFIX = '#microsoft.graph.'
