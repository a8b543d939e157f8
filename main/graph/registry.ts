import type { Category, Platform, PlatformRule, PolicyTypeDef } from '../../domain/policy-type'

/**
 * The policy-type registry: every Intune / Entra object kind the inventory knows, with the Graph collection it
 * is listed from (graph-intune-reference.md §1). Everything is read from beta because many of these
 * collections exist only there and v1.0 lacks roleScopeTagIds / isAssigned on the rest.
 *
 * Some Graph collections mix several kinds of object (deviceConfigurations holds update rings, and
 * configurationPolicies holds endpoint security and baselines). Graph's `isof` / `startswith` filters are
 * unreliable or rejected there, so several rows share one `path` and the items are split client-side with
 * `match` / `exclude` (see `routeItem`).
 */

/**
 * Keys whose values must never reach the database, at any depth: script bodies, OMA-URI payloads (which can
 * hold encrypted secrets), credentials, and large binary blobs. Lowercase; compare with `key.toLowerCase()`.
 * The normaliser drops them even if a whitelist lists them by mistake.
 */
export const NEVER_STORED_KEYS: readonly string[] = [
  // script bodies
  'scriptcontent',
  'detectionscriptcontent',
  'remediationscriptcontent',
  // configuration payloads that can embed secrets (OMA-URI values, MAM custom settings, raw profile payloads)
  'omasettings',
  'customsettings',
  'payload',
  'payloadjson',
  'payloadcontent',
  'encryptedvalue',
  'secretreferencevalueid',
  // credentials
  'password',
  'passwords',
  'secret',
  'clientsecret',
  'sharedsecret',
  'presharedkey',
  'privatekey',
  'key',
  'keys',
  'certificate',
  'certificates',
  'rootcertificate',
  'trustedrootcertificate',
  'identitycertificate',
  'pfxblob',
  'certificatepassword',
  // large blobs that are content, not metadata
  'largeicon',
  'bodytext',
  'themecolorlogo',
  'lightbackgroundlogo',
  'landingpagecustomizedimage'
]

/** Metadata almost every Intune object carries; none of it is secret. */
const BASE_META = [
  '@odata.type',
  'description',
  'createdDateTime',
  'lastModifiedDateTime',
  'version',
  'roleScopeTagIds'
] as const

function meta(...extra: string[]): string[] {
  return [...BASE_META, ...extra]
}

/** The short, lowercase derived type name: "#microsoft.graph.iosUpdateConfiguration" → "iosupdateconfiguration". */
export function odataTypeName(item: Record<string, unknown>): string | undefined {
  const raw = item['@odata.type']
  if (typeof raw !== 'string') return undefined
  return raw
    .trim()
    .replace(/^#/, '')
    .replace(/^microsoft\.graph\./i, '')
    .toLowerCase()
}

function odataTypeIn(...names: string[]): (item: Record<string, unknown>) => boolean {
  const wanted = new Set(names.map((n) => n.toLowerCase()))
  return (item) => {
    const name = odataTypeName(item)
    return name !== undefined && wanted.has(name)
  }
}

/** configurationPolicies: `templateReference.templateFamily`, or '' when absent or malformed. */
function templateFamily(item: Record<string, unknown>): string {
  const ref = item['templateReference']
  if (typeof ref !== 'object' || ref === null) return ''
  const family = (ref as Record<string, unknown>)['templateFamily']
  return typeof family === 'string' ? family : ''
}

const fixed = (platform: Platform): PlatformRule => ({ kind: 'fixed', platform })

const PLATFORMS_PROP: PlatformRule = { kind: 'platformsProp', property: 'platforms' }

/** Prefixes shared by the device configuration and compliance families (after "#microsoft.graph."). */
const DEVICE_POLICY_PREFIXES: Record<string, Platform> = {
  windows: 'windows',
  windows10: 'windows',
  windows81: 'windows',
  windowsPhone81: 'windows',
  windowsHealthMonitoring: 'windows',
  windowsDomainJoin: 'windows',
  editionUpgradeConfiguration: 'windows',
  sharedPCConfiguration: 'windows',
  ios: 'ios',
  macOS: 'macos',
  android: 'android',
  aosp: 'android'
}

const MOBILE_APP_PREFIXES: Record<string, Platform> = {
  win32: 'windows',
  winGet: 'windows',
  windows: 'windows',
  officeSuiteApp: 'windows',
  microsoftStoreForBusinessApp: 'windows',
  ios: 'ios',
  managedIOS: 'ios',
  macOS: 'macos',
  android: 'android',
  managedAndroid: 'android',
  webApp: 'any'
}

/** A Microsoft-published managed app the Intune admin center does not list (see mobileApp). */
export function isHiddenGlobalApp(item: Record<string, unknown>): boolean {
  const availability = item['appAvailability']
  return (
    availability !== undefined &&
    availability !== null &&
    availability !== 'lineOfBusiness' &&
    item['isAssigned'] !== true
  )
}

/** devicePlatformType values used by assignment filters. */
const DEVICE_PLATFORM_TYPE: Record<string, Platform> = {
  android: 'android',
  androidForWork: 'android',
  androidWorkProfile: 'android',
  androidAOSP: 'android',
  androidMobileApplicationManagement: 'android',
  iOS: 'ios',
  iOSMobileApplicationManagement: 'ios',
  macOS: 'macos',
  windowsPhone81: 'windows',
  windows81AndLater: 'windows',
  windows10AndLater: 'windows',
  windowsMobileApplicationManagement: 'windows'
}

/** enrollmentRestrictionPlatformType values on single-platform restrictions. */
const RESTRICTION_PLATFORM_TYPE: Record<string, Platform> = {
  allPlatforms: 'any',
  ios: 'ios',
  windows: 'windows',
  windowsPhone: 'windows',
  android: 'android',
  androidForWork: 'android',
  androidAosp: 'android',
  mac: 'macos',
  linux: 'linux'
}

const CONFIG_READ = ['DeviceManagementConfiguration.Read.All']
const APPS_READ = ['DeviceManagementApps.Read.All']
const SERVICE_CONFIG_READ = ['DeviceManagementServiceConfig.Read.All']
// Scripts moved to DeviceManagementScripts.* in 2025; older tenants still accept the configuration scope.
const SCRIPTS_READ = ['DeviceManagementScripts.Read.All', 'DeviceManagementConfiguration.Read.All']
const RBAC_READ = ['DeviceManagementRBAC.Read.All', 'DeviceManagementConfiguration.Read.All']
const POLICY_READ = ['Policy.Read.All']

const DEVICE_CONFIGURATIONS = '/deviceManagement/deviceConfigurations'
const CONFIGURATION_POLICIES = '/deviceManagement/configurationPolicies'
const ENROLLMENT_CONFIGURATIONS = '/deviceManagement/deviceEnrollmentConfigurations'

const DEVICE_CONFIGURATION_META = meta(
  'isAssigned',
  'supportsScopeTags',
  'deviceManagementApplicabilityRuleOsEdition',
  'deviceManagementApplicabilityRuleOsVersion',
  'deviceManagementApplicabilityRuleDeviceMode'
)

/** the v2 (settings-catalog style) policy shape: configurationPolicies and compliancePolicies share it */
const V2_POLICY_META = [
  'description',
  'createdDateTime',
  'lastModifiedDateTime',
  'roleScopeTagIds',
  'isAssigned',
  'platforms',
  'technologies',
  'settingCount',
  'creationSource'
]

const SETTINGS_CATALOG_META = [...V2_POLICY_META, 'templateReference', 'priorityMetaData']

const SCRIPT_META = meta('runAsAccount', 'enforceSignatureCheck', 'runAs32Bit', 'fileName')

const ENROLLMENT_META = meta('priority', 'deviceEnrollmentConfigurationType')

/** Defaults every row shares; rows override what differs. */
const DEFAULTS = {
  apiVersion: 'beta',
  nameProperty: 'displayName',
  intune: true,
  expectedPageSize: 100
} as const

type Row = Omit<PolicyTypeDef, keyof typeof DEFAULTS> & Partial<Pick<PolicyTypeDef, keyof typeof DEFAULTS>>

function row(def: Row): PolicyTypeDef {
  return { ...DEFAULTS, ...def }
}

/**
 * Platform of the Microsoft-published templates that legacy endpoint security intents are created from
 * (`intent.templateId` → `GET /deviceManagement/templates/{id}`.platformType). Template ids are Microsoft's and
 * the same in every tenant, so a fixed table tells the platform from the list alone, without a second
 * collection fetched and joined in the run (docs/csv-format.md says why the table, not that join).
 * Only ids confirmed against real tenant output are listed; any other template stays 'unknown'.
 */
export const INTENT_TEMPLATE_PLATFORM: Readonly<Record<string, Platform>> = {
  // MDM Security Baseline for Windows 10 and later (November 2021), platformType windows10AndLater
  '034ccd46-190c-4afc-adf1-ad7cc11262eb': 'windows',
  // Windows 365 Security Baseline, platformType windows10AndLater
  'cef15778-c3b9-4d53-a00a-042929f0aad0': 'windows',
  // Microsoft Edge baseline (applies to Windows 10 and later)
  'a8d6fa0e-1e66-455b-bb51-8ce0dde1559e': 'windows',
  // endpoint security disk encryption: BitLocker (Windows)
  'd1174162-1dd2-4976-affc-6667049ab0ae': 'windows',
  // endpoint security disk encryption: FileVault (macOS)
  'a239407c-698d-4ef8-b314-e3ae409204b8': 'macos'
}

export const POLICY_TYPES: readonly PolicyTypeDef[] = [
  // ---------- /deviceManagement/deviceConfigurations (mixed) ----------
  row({
    key: 'windowsUpdateRing',
    label: 'Windows update ring',
    category: 'updates',
    path: DEVICE_CONFIGURATIONS,
    permissions: CONFIG_READ,
    platform: fixed('windows'),
    match: odataTypeIn('windowsUpdateForBusinessConfiguration'),
    metaKeys: meta(
      'isAssigned',
      'qualityUpdatesDeferralPeriodInDays',
      'featureUpdatesDeferralPeriodInDays',
      'businessReadyUpdatesOnly',
      'qualityUpdatesPaused',
      'featureUpdatesPaused',
      'automaticUpdateMode'
    )
  }),
  row({
    key: 'iosUpdatePolicy',
    label: 'iOS / macOS update policy',
    category: 'updates',
    path: DEVICE_CONFIGURATIONS,
    permissions: CONFIG_READ,
    platform: { kind: 'odataType', prefixes: { ios: 'ios', macOS: 'macos' }, fallback: 'unknown' },
    match: odataTypeIn('iosUpdateConfiguration', 'macOSSoftwareUpdateConfiguration'),
    metaKeys: meta(
      'isAssigned',
      'activeHoursStart',
      'activeHoursEnd',
      'scheduledInstallDays',
      'utcTimeOffsetInMinutes',
      'updateScheduleType'
    )
  }),
  row({
    key: 'deviceConfiguration',
    label: 'Device configuration profile',
    category: 'configuration',
    path: DEVICE_CONFIGURATIONS,
    permissions: CONFIG_READ,
    platform: { kind: 'odataType', prefixes: DEVICE_POLICY_PREFIXES, fallback: 'unknown' },
    // catch-all of the collection: no match
    metaKeys: DEVICE_CONFIGURATION_META
  }),

  // ---------- /deviceManagement/configurationPolicies (mixed, pages at 25) ----------
  row({
    key: 'endpointSecurityPolicy',
    label: 'Endpoint security policy',
    category: 'security',
    path: CONFIGURATION_POLICIES,
    permissions: [...CONFIG_READ, 'DeviceManagementEndpointSecurity.Read.All'],
    nameProperty: 'name',
    platform: PLATFORMS_PROP,
    match: (item) => templateFamily(item).toLowerCase().startsWith('endpointsecurity'),
    metaKeys: SETTINGS_CATALOG_META,
    dependsOn: ['reusablePolicySetting'],
    expectedPageSize: 25
  }),
  row({
    key: 'securityBaselinePolicy',
    label: 'Security baseline',
    category: 'security',
    path: CONFIGURATION_POLICIES,
    permissions: [...CONFIG_READ, 'DeviceManagementEndpointSecurity.Read.All'],
    nameProperty: 'name',
    platform: PLATFORMS_PROP,
    match: (item) => templateFamily(item) === 'baseline',
    metaKeys: SETTINGS_CATALOG_META,
    expectedPageSize: 25
  }),
  row({
    key: 'settingsCatalogPolicy',
    label: 'Settings catalog policy',
    category: 'configuration',
    path: CONFIGURATION_POLICIES,
    permissions: [...CONFIG_READ, 'DeviceManagementEndpointSecurity.Read.All'],
    nameProperty: 'name',
    platform: PLATFORMS_PROP,
    // catch-all: plain settings catalog plus any template family Microsoft adds later
    metaKeys: SETTINGS_CATALOG_META,
    expectedPageSize: 25
  }),

  // ---------- compliance ----------
  row({
    key: 'compliancePolicy',
    label: 'Compliance policy',
    category: 'compliance',
    path: '/deviceManagement/deviceCompliancePolicies',
    permissions: CONFIG_READ,
    platform: { kind: 'odataType', prefixes: DEVICE_POLICY_PREFIXES, fallback: 'unknown' },
    metaKeys: meta('isAssigned', 'osMinimumVersion', 'osMaximumVersion'),
    dependsOn: ['notificationMessageTemplate', 'deviceComplianceScript']
  }),
  row({
    key: 'compliancePolicyV2',
    label: 'Compliance policy (settings catalog)',
    category: 'compliance',
    path: '/deviceManagement/compliancePolicies',
    permissions: CONFIG_READ,
    nameProperty: 'name',
    platform: PLATFORMS_PROP,
    metaKeys: V2_POLICY_META,
    dependsOn: ['notificationMessageTemplate'],
    expectedPageSize: 25
  }),
  row({
    key: 'deviceComplianceScript',
    label: 'Custom compliance script',
    category: 'compliance',
    path: '/deviceManagement/deviceComplianceScripts',
    permissions: SCRIPTS_READ,
    platform: fixed('windows'),
    metaKeys: meta('publisher', 'runAsAccount', 'enforceSignatureCheck', 'runAs32Bit')
  }),
  row({
    key: 'notificationMessageTemplate',
    label: 'Compliance notification template',
    category: 'compliance',
    path: '/deviceManagement/notificationMessageTemplates',
    permissions: SERVICE_CONFIG_READ,
    platform: fixed('any'),
    metaKeys: ['description', 'lastModifiedDateTime', 'roleScopeTagIds', 'defaultLocale', 'brandingOptions'],
    foundation: true
  }),

  // ---------- configuration (ADMX) ----------
  row({
    key: 'groupPolicyConfiguration',
    label: 'Administrative template (ADMX)',
    category: 'configuration',
    path: '/deviceManagement/groupPolicyConfigurations',
    permissions: CONFIG_READ,
    platform: fixed('windows'),
    metaKeys: meta('isAssigned', 'policyConfigurationIngestionType'),
    dependsOn: ['groupPolicyUploadedDefinitionFile']
  }),
  row({
    key: 'groupPolicyUploadedDefinitionFile',
    label: 'Imported ADMX file',
    category: 'configuration',
    path: '/deviceManagement/groupPolicyUploadedDefinitionFiles',
    permissions: CONFIG_READ,
    nameProperty: 'fileName',
    platform: fixed('windows'),
    metaKeys: [
      '@odata.type',
      'displayName',
      'description',
      'lastModifiedDateTime',
      'status',
      'targetPrefix',
      'targetNamespace',
      'policyType',
      'revision',
      'uploadDateTime',
      'defaultLanguageCode'
    ]
  }),

  // ---------- security ----------
  row({
    key: 'endpointSecurityIntent',
    label: 'Endpoint security policy (legacy template)',
    category: 'security',
    path: '/deviceManagement/intents',
    permissions: CONFIG_READ,
    // the platform lives on the template, not on the intent: known Microsoft templates by id, else unknown
    platform: {
      kind: 'enumProp',
      property: 'templateId',
      values: INTENT_TEMPLATE_PLATFORM,
      fallback: 'unknown'
    },
    metaKeys: [
      'description',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'isAssigned',
      'templateId',
      'isMigratingToConfigurationPolicy'
    ]
  }),
  row({
    key: 'reusablePolicySetting',
    label: 'Reusable setting group',
    category: 'security',
    path: '/deviceManagement/reusablePolicySettings',
    permissions: CONFIG_READ,
    platform: fixed('windows'),
    metaKeys: meta('settingDefinitionId', 'referencingConfigurationPolicyCount'),
    foundation: true
  }),

  // ---------- apps ----------
  row({
    key: 'appProtectionPolicy',
    label: 'App protection policy',
    category: 'apps',
    path: '/deviceAppManagement/managedAppPolicies',
    permissions: APPS_READ,
    platform: {
      kind: 'odataType',
      prefixes: { ios: 'ios', android: 'android', windows: 'windows', mdmWindows: 'windows' },
      fallback: 'unknown'
    },
    // the collection also returns MAM app-config rows; those come from their own endpoint instead
    exclude: odataTypeIn('targetedManagedAppConfiguration'),
    metaKeys: meta('isAssigned', 'deployedAppCount', 'targetedAppManagementLevels', 'appGroupType'),
    dependsOn: ['mobileApp']
  }),
  row({
    key: 'appConfigurationManagedApps',
    label: 'App configuration (managed apps)',
    category: 'apps',
    path: '/deviceAppManagement/targetedManagedAppConfigurations',
    permissions: APPS_READ,
    // the platform is only visible through $expand=apps, which a list call does not do
    platform: fixed('unknown'),
    metaKeys: meta('isAssigned', 'deployedAppCount', 'targetedAppManagementLevels', 'appGroupType'),
    dependsOn: ['mobileApp']
  }),
  row({
    key: 'appConfigurationManagedDevices',
    label: 'App configuration (managed devices)',
    category: 'apps',
    path: '/deviceAppManagement/mobileAppConfigurations',
    permissions: APPS_READ,
    platform: {
      kind: 'odataType',
      prefixes: { ios: 'ios', android: 'android', macOS: 'macos' },
      fallback: 'unknown'
    },
    metaKeys: meta('targetedMobileApps', 'isAssigned', 'appSupportsOemConfig', 'packageId'),
    dependsOn: ['mobileApp']
  }),
  row({
    key: 'mobileApp',
    label: 'App',
    category: 'apps',
    path: '/deviceAppManagement/mobileApps',
    permissions: APPS_READ,
    // The admin center hides Microsoft's built-in "global" managed apps (Outlook, Teams… for MAM) unless they
    // are assigned: it lists with $filter=(appAvailability eq null or appAvailability eq 'lineOfBusiness' or
    // isAssigned eq true). The same rule, applied locally, so the inventory counts what the portal shows.
    exclude: isHiddenGlobalApp,
    platform: { kind: 'odataType', prefixes: MOBILE_APP_PREFIXES, fallback: 'unknown' },
    metaKeys: [
      '@odata.type',
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'roleScopeTagIds',
      'isAssigned',
      'publisher',
      'isFeatured',
      'publishingState',
      'uploadState',
      'appAvailability',
      'committedContentVersion',
      'fileName',
      'size',
      'bundleId',
      'packageId',
      'identityVersion',
      'dependentAppCount',
      'supersedingAppCount',
      'supersededAppCount',
      'informationUrl',
      'privacyInformationUrl',
      'developer',
      'owner'
    ],
    expectedPageSize: 1000
  }),

  // ---------- scripts (bodies never stored) ----------
  row({
    key: 'deviceManagementScript',
    label: 'PowerShell script (Windows)',
    category: 'scripts',
    path: '/deviceManagement/deviceManagementScripts',
    permissions: SCRIPTS_READ,
    platform: fixed('windows'),
    metaKeys: SCRIPT_META
  }),
  row({
    key: 'deviceShellScript',
    label: 'Shell script (macOS)',
    category: 'scripts',
    path: '/deviceManagement/deviceShellScripts',
    permissions: SCRIPTS_READ,
    platform: fixed('macos'),
    metaKeys: meta(
      'runAsAccount',
      'fileName',
      'executionFrequency',
      'retryCount',
      'blockExecutionNotifications'
    )
  }),
  row({
    key: 'deviceCustomAttributeShellScript',
    label: 'Custom attribute script (macOS)',
    category: 'scripts',
    path: '/deviceManagement/deviceCustomAttributeShellScripts',
    permissions: SCRIPTS_READ,
    platform: fixed('macos'),
    metaKeys: meta('runAsAccount', 'fileName', 'customAttributeName', 'customAttributeType')
  }),
  row({
    key: 'deviceHealthScript',
    label: 'Remediation script',
    category: 'scripts',
    path: '/deviceManagement/deviceHealthScripts',
    permissions: SCRIPTS_READ,
    platform: fixed('windows'),
    // Microsoft-provided scripts are not the tenant's configuration; $filter is ignored here, so drop them locally
    exclude: (item) => item['isGlobalScript'] === true,
    metaKeys: meta(
      'publisher',
      'runAsAccount',
      'enforceSignatureCheck',
      'runAs32Bit',
      'isGlobalScript',
      'highestAvailableVersion',
      'deviceHealthScriptType'
    )
  }),

  // ---------- updates ----------
  row({
    key: 'windowsFeatureUpdateProfile',
    label: 'Windows feature update',
    category: 'updates',
    path: '/deviceManagement/windowsFeatureUpdateProfiles',
    permissions: CONFIG_READ,
    platform: fixed('windows'),
    metaKeys: meta(
      'featureUpdateVersion',
      'rolloutSettings',
      'deployableContentDisplayName',
      'endOfSupportDate',
      'installLatestWindows10OnWindows11IneligibleDevice',
      'installFeatureUpdatesOptional'
    )
  }),
  row({
    key: 'windowsQualityUpdateProfile',
    label: 'Windows quality update (expedite)',
    category: 'updates',
    path: '/deviceManagement/windowsQualityUpdateProfiles',
    permissions: CONFIG_READ,
    platform: fixed('windows'),
    metaKeys: meta('expeditedUpdateSettings', 'releaseDateDisplayName', 'deployableContentDisplayName')
  }),
  row({
    key: 'windowsDriverUpdateProfile',
    label: 'Windows driver update',
    category: 'updates',
    path: '/deviceManagement/windowsDriverUpdateProfiles',
    permissions: CONFIG_READ,
    platform: fixed('windows'),
    metaKeys: meta(
      'approvalType',
      'deviceReporting',
      'newUpdates',
      'deploymentDeferralInDays',
      'inventorySyncStatus'
    ),
    // needs Windows E3/E5 (or equivalent): a bare 403 means "not licensed"
    licenseGated: true
  }),

  // ---------- enrollment ----------
  row({
    key: 'windowsAutopilotDeploymentProfile',
    label: 'Autopilot deployment profile',
    category: 'enrollment',
    path: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    permissions: SERVICE_CONFIG_READ,
    platform: fixed('windows'),
    metaKeys: meta(
      'language',
      'locale',
      'deviceNameTemplate',
      'deviceType',
      'enableWhiteGlove',
      'preprovisioningAllowed',
      'extractHardwareHash',
      'hardwareHashExtractionEnabled',
      'outOfBoxExperienceSettings',
      'outOfBoxExperienceSetting',
      'managementServiceAppId'
    )
  }),
  row({
    key: 'enrollmentStatusPage',
    label: 'Enrollment status page',
    category: 'enrollment',
    path: ENROLLMENT_CONFIGURATIONS,
    permissions: SERVICE_CONFIG_READ,
    platform: fixed('windows'),
    match: odataTypeIn('windows10EnrollmentCompletionPageConfiguration'),
    metaKeys: [
      ...ENROLLMENT_META,
      'showInstallationProgress',
      'blockDeviceSetupRetryByUser',
      'allowDeviceResetOnInstallFailure',
      'allowLogCollectionOnInstallFailure',
      'installProgressTimeoutInMinutes',
      'allowDeviceUseOnInstallFailure',
      'selectedMobileAppIds',
      'allowNonBlockingAppInstallation',
      'installQualityUpdates',
      'trackInstallProgressForAutopilotOnly',
      'disableUserStatusTrackingAfterFirstUser'
    ],
    dependsOn: ['mobileApp']
  }),
  row({
    key: 'enrollmentRestriction',
    label: 'Enrollment restriction',
    category: 'enrollment',
    path: ENROLLMENT_CONFIGURATIONS,
    permissions: SERVICE_CONFIG_READ,
    // only single-platform restrictions say which platform; the default ones and limits apply to all
    platform: {
      kind: 'enumProp',
      property: 'platformType',
      values: RESTRICTION_PLATFORM_TYPE,
      fallback: 'any'
    },
    match: odataTypeIn(
      'deviceEnrollmentPlatformRestrictionsConfiguration',
      'deviceEnrollmentPlatformRestrictionConfiguration',
      'deviceEnrollmentLimitConfiguration'
    ),
    metaKeys: [...ENROLLMENT_META, 'platformType', 'limit']
  }),
  row({
    key: 'deviceEnrollmentConfiguration',
    label: 'Enrollment configuration',
    category: 'enrollment',
    path: ENROLLMENT_CONFIGURATIONS,
    permissions: SERVICE_CONFIG_READ,
    platform: {
      kind: 'odataType',
      prefixes: {
        windows: 'windows',
        deviceEnrollmentWindowsHelloForBusiness: 'windows',
        deviceComanagementAuthority: 'windows'
      },
      fallback: 'unknown'
    },
    // catch-all (Windows Hello for Business, co-management, future kinds)
    metaKeys: ENROLLMENT_META
  }),
  row({
    key: 'appleUserInitiatedEnrollmentProfile',
    label: 'Apple user-initiated enrollment profile',
    category: 'enrollment',
    path: '/deviceManagement/appleUserInitiatedEnrollmentProfiles',
    permissions: SERVICE_CONFIG_READ,
    platform: {
      kind: 'enumProp',
      property: 'platform',
      values: { iOS: 'ios', macOS: 'macos' },
      fallback: 'unknown'
    },
    metaKeys: meta('platform', 'defaultEnrollmentType', 'priority')
  }),

  // ---------- tenant administration ----------
  row({
    key: 'assignmentFilter',
    label: 'Assignment filter',
    category: 'tenant_admin',
    path: '/deviceManagement/assignmentFilters',
    permissions: CONFIG_READ,
    platform: { kind: 'enumProp', property: 'platform', values: DEVICE_PLATFORM_TYPE, fallback: 'unknown' },
    // the rule is a short expression and is what a consultant audits; note roleScopeTags, not roleScopeTagIds
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'platform',
      'rule',
      'roleScopeTags',
      'assignmentFilterManagementType'
    ],
    foundation: true
  }),
  row({
    key: 'roleScopeTag',
    label: 'Scope tag',
    category: 'tenant_admin',
    path: '/deviceManagement/roleScopeTags',
    permissions: RBAC_READ,
    platform: fixed('any'),
    metaKeys: ['description', 'isBuiltIn'],
    foundation: true
  }),
  row({
    key: 'roleDefinition',
    label: 'Intune role',
    category: 'tenant_admin',
    path: '/deviceManagement/roleDefinitions',
    permissions: RBAC_READ,
    platform: fixed('any'),
    metaKeys: ['@odata.type', 'description', 'isBuiltIn', 'isBuiltInRoleDefinition', 'roleScopeTagIds'],
    dependsOn: ['roleScopeTag']
  }),
  row({
    key: 'termsAndConditions',
    label: 'Terms and conditions',
    category: 'tenant_admin',
    path: '/deviceManagement/termsAndConditions',
    permissions: SERVICE_CONFIG_READ,
    platform: fixed('any'),
    metaKeys: meta('title')
  }),
  row({
    key: 'policySet',
    label: 'Policy set',
    category: 'tenant_admin',
    path: '/deviceAppManagement/policySets',
    permissions: CONFIG_READ,
    platform: fixed('any'),
    metaKeys: [
      'description',
      'createdDateTime',
      'lastModifiedDateTime',
      'status',
      'errorCode',
      'guidedDeploymentTags',
      'roleScopeTags'
    ],
    // a policy set bundles objects of these kinds
    dependsOn: [
      'mobileApp',
      'appProtectionPolicy',
      'appConfigurationManagedApps',
      'appConfigurationManagedDevices',
      'deviceConfiguration',
      'compliancePolicy',
      'windowsAutopilotDeploymentProfile',
      'enrollmentStatusPage',
      'enrollmentRestriction'
    ]
  }),
  row({
    key: 'deviceCategory',
    label: 'Device category',
    category: 'tenant_admin',
    path: '/deviceManagement/deviceCategories',
    permissions: ['DeviceManagementManagedDevices.Read.All', 'DeviceManagementConfiguration.Read.All'],
    platform: fixed('any'),
    metaKeys: ['description', 'roleScopeTagIds'],
    foundation: true
  }),
  row({
    key: 'intuneBrandingProfile',
    label: 'Company Portal branding',
    category: 'tenant_admin',
    path: '/deviceManagement/intuneBrandingProfiles',
    permissions: [...APPS_READ, 'DeviceManagementServiceConfig.Read.All'],
    nameProperty: 'profileName',
    platform: fixed('any'),
    metaKeys: meta(
      'displayName',
      'profileDescription',
      'isDefaultProfile',
      'isAssigned',
      'showLogo',
      'showDisplayNameNextToLogo'
    )
  }),

  // ---------- identity (Entra, not Intune: no "not applicable to target tenant") ----------
  row({
    key: 'conditionalAccessPolicy',
    label: 'Conditional Access policy',
    category: 'identity',
    path: '/identity/conditionalAccess/policies',
    permissions: POLICY_READ,
    platform: { kind: 'caConditions' },
    // conditions / controls are large; the state is what an inventory needs, details stay in Entra
    metaKeys: ['description', 'createdDateTime', 'modifiedDateTime', 'state', 'templateId'],
    dependsOn: ['namedLocation'],
    licenseGated: true,
    intune: false
  }),
  row({
    key: 'namedLocation',
    label: 'Named location',
    category: 'identity',
    path: '/identity/conditionalAccess/namedLocations',
    permissions: POLICY_READ,
    platform: fixed('any'),
    metaKeys: [
      '@odata.type',
      'createdDateTime',
      'modifiedDateTime',
      'isTrusted',
      'countryLookupMethod',
      'includeUnknownCountriesAndRegions'
    ],
    licenseGated: true,
    intune: false
  })
]

const BY_KEY: ReadonlyMap<string, PolicyTypeDef> = new Map(POLICY_TYPES.map((t) => [t.key, t]))

export const POLICY_TYPE_KEYS: readonly string[] = POLICY_TYPES.map((t) => t.key)

export function getPolicyType(key: string): PolicyTypeDef | undefined {
  return BY_KEY.get(key)
}

export function typesInCategory(category: Category): PolicyTypeDef[] {
  return POLICY_TYPES.filter((t) => t.category === category)
}

export interface PolicySource {
  path: string
  apiVersion: PolicyTypeDef['apiVersion']
  types: PolicyTypeDef[]
}

/**
 * One entry per distinct Graph collection, so the engine lists each collection once per run and routes the
 * items. Order follows the first appearance in `types`, which keeps runs reproducible.
 */
export function groupBySource(types: readonly PolicyTypeDef[]): PolicySource[] {
  const sources = new Map<string, PolicySource>()
  for (const def of types) {
    const id = `${def.apiVersion} ${def.path}`
    const existing = sources.get(id)
    if (existing) {
      if (!existing.types.includes(def)) existing.types.push(def)
    } else sources.set(id, { path: def.path, apiVersion: def.apiVersion, types: [def] })
  }
  return [...sources.values()]
}

/** Predicates see raw Graph data; one that throws on a malformed item must not stop the enumeration. */
function safely(
  predicate: ((item: Record<string, unknown>) => boolean) | undefined,
  item: Record<string, unknown>
): boolean {
  if (!predicate) return false
  try {
    return predicate(item) === true
  } catch {
    return false
  }
}

/**
 * Which type of one collection owns `item`. A def with `match` owns the items it matches (first in order wins);
 * the def without `match` is the catch-all and only takes items no sibling matched. A def's `exclude` means the
 * item is dropped, not handed on: excluded rows (MAM app config, Microsoft's global scripts) belong nowhere.
 */
export function routeItem(
  types: readonly PolicyTypeDef[],
  item: Record<string, unknown>
): PolicyTypeDef | undefined {
  const matched = types.find((def) => def.match !== undefined && safely(def.match, item))
  const owner = matched ?? types.find((def) => def.match === undefined)
  if (!owner || safely(owner.exclude, item)) return undefined
  return owner
}
