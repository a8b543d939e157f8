import { z } from 'zod'
import type { AddTenantInput, AtlasApi, CloudName, TenantOverview } from '../main/app/atlas-api'
import type {
  DemoOutcome,
  ExportOutcome,
  ExportWritten,
  ForwardedSyncEvent,
  PackOutcome,
  Result
} from './page-types'
import type { BRIDGE_METHODS, ChannelName, EventName } from './channel-names'
import {
  inventoryColumnsSchema,
  inventoryFilterSchema,
  inventorySortSchema,
  saveViewSchema,
  viewNameSchema
} from '../domain/inventory-query-schema'
import { selectionInputSchema } from '../domain/selection'

/**
 * THE contract between the page and the main process: every channel, the zod schema its input must pass
 * before any handler runs, and the type of its output. Main validates with these schemas
 * (main/ipc/dispatch.ts), the preload and the web bridge are mapped from the same channel names
 * (preload/channel-names.ts) and the renderer imports only types from here (every page-visible type is
 * re-exported from preload/page-types.ts), so nothing is written twice.
 *
 * Schemas are deliberately shape-only and strict: bounded strings and arrays, integers for ids, no unknown
 * keys. What a value *means* (does this policy type exist, is this a GUID of a real tenant) stays with the
 * engine, which validates again and answers with its own stable codes.
 */

export { BRIDGE_METHODS, CHANNEL_NAMES, EVENT_NAMES } from './channel-names'
export type * from './page-types'
export type { BridgeMethodName, ChannelName, EventName } from './channel-names'

/** Tenant id or display name (display names are ≤ 120 characters, ids are UUIDs). */
const TenantRef = z.string().min(1).max(200)
const PolicyTypeKey = z.string().min(1).max(100)
const PolicyTypeKeys = z.array(PolicyTypeKey).max(100)
/** Run ids are SQLite integer keys; z.int() also refuses unsafe integers. */
const RunId = z.int().positive()
const NoInput = z.undefined()

/** Scope of a sync: its shape, bounds included, is the engine's own; unknown keys are refused here. */
export const selectionSchema = selectionInputSchema.strict()

const CLOUDS = ['global', 'usgov', 'usgovdod', 'china', 'custom'] as const satisfies readonly CloudName[]

/**
 * AddTenantInput as the page may send it. Only credentials the user typed or pasted are accepted:
 * `secret_env` and `certificate_file` would let a compromised page point the engine at any environment
 * variable or file on disk and ship it to a token endpoint of its choosing (custom cloud). The CLI keeps
 * those kinds; a file picker in main can add certificate files later. `isDemo` is the engine's to set.
 */
export const addTenantSchema = z
  .object({
    displayName: z.string().min(1).max(120),
    azureTenantId: z.string().min(1).max(253),
    clientId: z.string().min(1).max(100),
    cloud: z.enum(CLOUDS),
    authorityHost: z.string().min(1).max(2048).optional(),
    graphEndpoint: z.string().min(1).max(2048).optional(),
    credential: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('secret'), value: z.string().min(1).max(4096) }).strict(),
      z.object({ kind: z.literal('certificate_pem'), pem: z.string().min(1).max(200_000) }).strict(),
      z
        .object({
          kind: z.literal('certificate_pfx'),
          pfxBase64: z.string().min(1).max(400_000),
          passphrase: z.string().max(1024).optional()
        })
        .strict()
    ])
  })
  .strict()

/** A credential the page may send: typed or pasted, never a reference to the machine (see addTenantSchema). */
const pageCredentialSchema = addTenantSchema.shape.credential

/**
 * UpdateTenantInput as the page may send it: the tenant, then only the fields that change; null clears a
 * custom cloud's endpoints. A new credential is optional (the stored one stays otherwise).
 */
export const updateTenantSchema = z
  .object({
    idOrName: TenantRef,
    displayName: z.string().min(1).max(120).optional(),
    azureTenantId: z.string().min(1).max(253).optional(),
    clientId: z.string().min(1).max(100).optional(),
    cloud: z.enum(CLOUDS).optional(),
    authorityHost: z.string().min(1).max(2048).nullable().optional(),
    graphEndpoint: z.string().min(1).max(2048).nullable().optional(),
    credential: pageCredentialSchema.optional()
  })
  .strict()

/**
 * Export without a path: the page says *what* to export; main asks the user *where* with a save dialog,
 * so a page can never make main write to a path it picked.
 */
export const exportCsvSchema = z
  .object({
    view: z.enum(['inventory', 'missing', 'runs']),
    tenant: z.union([TenantRef, z.object({ all: z.literal(true) }).strict()]),
    selection: selectionSchema.optional(),
    policyTypes: PolicyTypeKeys.optional(),
    // inventory view only: what the grid shows (its filter and sort; columns = the on-screen variant)
    filter: inventoryFilterSchema.optional(),
    sort: inventorySortSchema.optional(),
    columns: inventoryColumnsSchema.optional()
  })
  .strict()
  .refine(
    (input) => input.view === 'inventory' || (!input.filter && !input.sort && !input.columns),
    'filter, sort and columns apply to the inventory view only'
  )

/**
 * A channel's half of the channel table that cannot live in channel-names.ts: the zod schema its input
 * must pass. channel-names.ts (zod-free, so the sandboxed preload and the web bridge can carry it) names
 * the channel and its bridge method, which is also the AtlasApi method serving it; everything else is
 * derived from those two: the output types below, the handler map (main/ipc/handlers.ts), the preload and
 * the web bridge. A new channel served by one AtlasApi method taking its input object is one line there
 * and its schema here.
 */
export interface ChannelSpec {
  input: z.ZodType
}

export const channels = {
  'app:status': { input: NoInput },
  'registry:types': { input: NoInput },
  'registry:categories': { input: NoInput },
  'registry:error-codes': { input: NoInput },
  'registry:clouds': { input: NoInput },
  'tenants:list': { input: NoInput },
  // every tenant; a single tenant's row arrives pushed (tenants:overview-changed) when its run finishes
  'tenants:overview': { input: NoInput },
  'tenants:get': { input: z.object({ idOrName: TenantRef }).strict() },
  'tenants:add': { input: addTenantSchema },
  'tenants:update': { input: updateTenantSchema },
  'tenants:remove': { input: z.object({ idOrName: TenantRef }).strict() },
  'tenants:exclude-types': {
    input: z.object({ tenantId: TenantRef, policyTypes: PolicyTypeKeys }).strict()
  },
  'tenants:test': {
    input: z.object({ tenantId: TenantRef, policyTypes: PolicyTypeKeys.optional() }).strict()
  },
  'sync:start': {
    input: z.object({ tenantId: TenantRef, selection: selectionSchema }).strict()
  },
  'sync:cancel': {
    // a request id (UUID) before the run exists, the run id after
    input: z.object({ id: z.union([z.string().min(1).max(100), RunId]) }).strict()
  },
  'sync:active': { input: NoInput },
  'runs:list': {
    input: z.object({ tenantId: TenantRef, limit: z.int().min(1).max(1000).optional() }).strict()
  },
  'runs:get': { input: z.object({ runId: RunId }).strict() },
  'runs:ledger': { input: z.object({ runId: RunId }).strict() },
  'inventory:list': {
    input: z
      .object({
        tenantId: TenantRef,
        policyTypes: PolicyTypeKeys.optional(),
        search: z.string().max(200).optional(),
        limit: z.int().min(1).max(5000).optional(),
        offset: z.int().min(0).max(100_000_000).optional()
      })
      .strict()
  },
  'missing:get': {
    input: z
      .object({ tenantId: TenantRef, selection: selectionSchema, policyTypes: PolicyTypeKeys.optional() })
      .strict()
  },
  'export:csv': { input: exportCsvSchema },
  'inventory:facets': {
    input: z.object({ tenantId: TenantRef, filter: inventoryFilterSchema }).strict()
  },
  'inventory:columns-get': { input: NoInput },
  'inventory:columns-set': { input: z.object({ columns: inventoryColumnsSchema }).strict() },
  'views:list': { input: NoInput },
  'views:save': { input: saveViewSchema },
  'views:delete': { input: z.object({ name: viewNameSchema }).strict() },
  'demo:explore': { input: NoInput },
  // insight: the pack's folder is chosen in main (like export:csv's file), never sent by the page
  'export:pack': { input: z.object({ tenant: TenantRef }).strict() },
  'changes:get': {
    input: z
      .object({
        tenantId: TenantRef,
        sinceRunId: RunId.optional(),
        since: z.string().min(1).max(40).optional()
      })
      .strict()
  },
  'changes:mark-visit': { input: z.object({ tenantId: TenantRef, runId: RunId.nullable() }).strict() },
  'changes:summary': { input: NoInput },
  'cross:matrix': {
    input: z
      .object({
        // required, like every channel's first key: an input with no required key would let a Map or a
        // Set (structured clone keeps them) parse as an empty object
        by: z.enum(['type', 'name']),
        policyType: PolicyTypeKey.optional(),
        search: z.string().max(200).optional()
      })
      .strict()
  },
  'cross:objects': {
    input: z
      .object({
        tenantId: TenantRef.optional(),
        policyType: PolicyTypeKey.optional(),
        nameKey: z.string().max(1100).optional(),
        search: z.string().max(200).optional(),
        // required (see cross:matrix's `by`)
        limit: z.int().min(1).max(5000),
        offset: z.int().min(0).max(100_000_000).optional()
      })
      .strict()
  }
} as const satisfies { [K in ChannelName]: ChannelSpec }

type ApiOutput<M extends keyof AtlasApi> = Awaited<ReturnType<AtlasApi[M]>>

/**
 * Channels main/ipc/handlers.ts answers by composing an edge (the save dialog, the demo) rather than
 * returning one AtlasApi method's result.
 */
export interface ComposedOutputs {
  'export:csv': ExportOutcome
  'demo:explore': DemoOutcome
  'export:pack': PackOutcome
}

type ApiMethodOf<K extends ChannelName> = (typeof BRIDGE_METHODS)[K]

/** What a successful call returns, per channel: the AtlasApi method's own return type, or the composed one. */
export type ChannelOutputs = {
  [K in ChannelName]: K extends keyof ComposedOutputs
    ? ComposedOutputs[K]
    : ApiMethodOf<K> extends keyof AtlasApi
      ? ApiOutput<ApiMethodOf<K>>
      : never
}

export interface EventPayloads {
  /** engine sync events; page progress arrives coalesced (main/ipc/progress-coalescer.ts) */
  'sync:progress': ForwardedSyncEvent
  'tenants:overview-changed': TenantOverview
}

/** What the page sends (before parsing) and what the handler receives (after parsing). */
export type ChannelInput<K extends ChannelName> = z.input<(typeof channels)[K]['input']>
export type ParsedInput<K extends ChannelName> = z.output<(typeof channels)[K]['input']>

export type ChannelHandlers = {
  [K in ChannelName]: (input: ParsedInput<K>) => ChannelOutputs[K] | Promise<ChannelOutputs[K]>
}

type BridgeMethod<K extends ChannelName> = [ChannelInput<K>] extends [undefined]
  ? () => Promise<Result<ChannelOutputs[K]>>
  : (input: ChannelInput<K>) => Promise<Result<ChannelOutputs[K]>>

/** `window.atlas`: one async method per channel, plus a subscription to pushed events. Nothing else. */
export type AtlasBridge = {
  readonly [K in ChannelName as (typeof BRIDGE_METHODS)[K]]: BridgeMethod<K>
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void
}

// Compile-time guards: the output map covers exactly the channels, and what the page may send is something
// the engine accepts (a schema loosened by mistake fails to compile here).
type Assert<T extends true> = T
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export type _OutputsCoverChannels = Assert<Same<keyof ChannelOutputs, ChannelName>>
/** every channel that is not composed is named after the AtlasApi method that serves it */
export type _ChannelsAreApiMethods = Assert<
  [Exclude<ApiMethodOf<Exclude<ChannelName, keyof ComposedOutputs>>, keyof AtlasApi>] extends [never]
    ? true
    : false
>
export type _AddTenantFitsApi = Assert<z.output<typeof addTenantSchema> extends AddTenantInput ? true : false>
export type _UpdateTenantFitsApi = Assert<
  z.output<typeof updateTenantSchema> extends Parameters<AtlasApi['updateTenant']>[0] ? true : false
>
export type _ExportWrittenIsApi = Assert<Same<ExportWritten, Awaited<ReturnType<AtlasApi['exportCsv']>>>>
export type _ExportFitsApi = Assert<
  z.output<typeof exportCsvSchema> extends Omit<Parameters<AtlasApi['exportCsv']>[0], 'path'> ? true : false
>
