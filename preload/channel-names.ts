/**
 * THE channel table: channel name → bridge method name, which is also the AtlasApi method serving the
 * channel. The bridge methods (preload, web bridge), the handler map and the output types are derived from
 * it; the input schemas sit beside it in contract.ts because this file must stay zod-free.
 *
 * The sandboxed preload imports only this module, so its single-file bundle stays a few lines long and
 * carries no zod and no main/ code. preload/contract.ts is keyed by exactly these names (the compiler and
 * a test check it), so the two cannot drift. `window.atlas.listTenants()` reads like the engine API the
 * CLI uses.
 */
export const BRIDGE_METHODS = {
  'registry:types': 'listPolicyTypes',
  'registry:categories': 'listCategories',
  'registry:error-codes': 'listErrorCodes',
  'registry:clouds': 'listClouds',
  'tenants:list': 'listTenants',
  'tenants:overview': 'tenantOverview',
  'tenants:get': 'getTenant',
  'tenants:add': 'addTenant',
  'tenants:update': 'updateTenant',
  'tenants:remove': 'removeTenant',
  'tenants:exclude-types': 'setExcludedTypes',
  'app:status': 'appStatus',
  'tenants:test': 'testConnection',
  'sync:start': 'startSync',
  'sync:cancel': 'cancelSync',
  'sync:active': 'activeSyncs',
  'runs:list': 'listRuns',
  'runs:get': 'getRun',
  'runs:ledger': 'getRunLedger',
  'inventory:list': 'listInventory',
  'missing:get': 'getMissing',
  'export:csv': 'exportCsv',
  // the inventory workspace
  'inventory:facets': 'inventoryFacets',
  'inventory:columns-get': 'getInventoryColumns',
  'inventory:columns-set': 'setInventoryColumns',
  'views:list': 'listViews',
  'views:save': 'saveView',
  'views:delete': 'deleteView',
  'demo:explore': 'exploreDemo',
  // insight (issue 10): audit pack, changes since a visit, cross-tenant view
  'export:pack': 'exportAuditPack',
  'changes:get': 'getChanges',
  'changes:mark-visit': 'markLastVisit',
  'changes:summary': 'changesSummary',
  'cross:matrix': 'crossTenantMatrix',
  'cross:objects': 'crossTenantObjects'
} as const

export type ChannelName = keyof typeof BRIDGE_METHODS
export type BridgeMethodName = (typeof BRIDGE_METHODS)[ChannelName]

export const CHANNEL_NAMES = Object.keys(BRIDGE_METHODS) as ChannelName[]

/**
 * main → renderer pushes; the only thing a page can subscribe to. `tenants:overview-changed` carries a
 * tenant's overview row when one of its runs finishes, so the tenants list is current without a re-read.
 */
export const EVENT_NAMES = ['sync:progress', 'tenants:overview-changed'] as const
export type EventName = (typeof EVENT_NAMES)[number]
