/**
 * Shape of one row of the policy-type registry (main/graph/registry.ts holds the rows).
 * Several types can share one Graph collection ("source"): the engine fetches each collection once per run
 * and routes every item to the type whose `match` accepts it (client-side split of mixed collections).
 */
export const CATEGORIES = [
  'configuration',
  'compliance',
  'security',
  'apps',
  'scripts',
  'updates',
  'enrollment',
  'tenant_admin',
  'identity'
] as const
export type Category = (typeof CATEGORIES)[number]

export type Platform = 'windows' | 'ios' | 'macos' | 'android' | 'linux' | 'multi' | 'any' | 'unknown'

export type PlatformRule =
  /** derive from the item's `@odata.type`, longest matching prefix wins (after `#microsoft.graph.`) */
  | { kind: 'odataType'; prefixes: Record<string, Platform>; fallback: Platform }
  /** settings catalog style `platforms` flags string ("windows10", "macOS", "iOS,macOS") */
  | { kind: 'platformsProp'; property: string }
  /** a single enum property such as assignmentFilter.platform */
  | { kind: 'enumProp'; property: string; values: Record<string, Platform>; fallback: Platform }
  /** conditional access `conditions.platforms.includePlatforms` */
  | { kind: 'caConditions' }
  | { kind: 'fixed'; platform: Platform }

export interface PolicyTypeDef {
  /** stable key, persisted in inventory_items.policy_type */
  key: string
  label: string
  category: Category
  /** Graph path after the version segment, e.g. "/deviceManagement/deviceConfigurations" */
  path: string
  apiVersion: 'beta' | 'v1.0'
  /** least-privileged application permissions, any of which can read the list */
  permissions: string[]
  /** property that holds the display name */
  nameProperty: string
  platform: PlatformRule
  /**
   * For collections shared by several types: does this item belong to this type?
   * Absent = every item of the collection (after excludes) belongs here.
   */
  match?: (item: Record<string, unknown>) => boolean
  /** items of the collection no type wants (e.g. app-config rows inside managedAppPolicies) */
  exclude?: (item: Record<string, unknown>) => boolean
  /** meta keys kept from the item; everything else is dropped and counted */
  metaKeys: string[]
  /** true for tenant building blocks (scope tags, filters...) added by include_foundations */
  foundation?: boolean
  /** other type keys this type references, added by include_dependencies */
  dependsOn?: string[]
  /** a 403 without a scope list means "not licensed" rather than "forbidden" */
  licenseGated?: boolean
  /** Intune service types fail as a whole with "Request not applicable to target tenant" */
  intune: boolean
  /** hint only, used to order work (long page chains first) */
  expectedPageSize?: number
}
