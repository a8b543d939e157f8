import { z } from 'zod'
import type { AddTenantInput, AtlasApi, CloudName } from '../main/app/atlas-api'
import type { ErrorCode } from '../domain/error-codes'
import type { SyncEvent } from '../main/inventory/sync-events'
import type { BRIDGE_METHODS, ChannelName, EventName } from './channel-names'

/**
 * THE contract between the page and the main process: every channel, the zod schema its input must pass
 * before any handler runs, and the type of its output. Main validates with these schemas
 * (main/ipc/register.ts), the preload is mapped from the same channel names (preload/channel-names.ts) and
 * the renderer imports only the types below, so nothing is written twice.
 *
 * Schemas are deliberately shape-only and strict: bounded strings and arrays, integers for ids, no unknown
 * keys. What a value *means* (does this policy type exist, is this a GUID of a real tenant) stays with the
 * engine, which validates again and answers with its own stable codes.
 */

export { BRIDGE_METHODS, CHANNEL_NAMES, EVENT_NAMES } from './channel-names'
export type { BridgeMethodName, ChannelName, EventName } from './channel-names'

/** Tenant id or display name (display names are ≤ 120 characters, ids are UUIDs). */
const TenantRef = z.string().min(1).max(200)
const PolicyTypeKey = z.string().min(1).max(100)
const PolicyTypeKeys = z.array(PolicyTypeKey).max(100)
/** Run ids are SQLite integer keys; z.int() also refuses unsafe integers. */
const RunId = z.int().positive()
const NoInput = z.undefined()

/** Scope of a sync (main/domain/selection.ts). Unknown type names are refused by the engine, not here. */
export const selectionSchema = z
  .object({
    policy_types: PolicyTypeKeys.optional(),
    categories: z.array(z.string().min(1).max(100)).max(100).optional(),
    include_foundations: z.boolean().optional(),
    include_dependencies: z.boolean().optional()
  })
  .strict()

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

/**
 * Export without a path: the page says *what* to export; main asks the user *where* with a save dialog,
 * so a page can never make main write to a path it picked.
 */
export const exportCsvSchema = z
  .object({
    view: z.enum(['inventory', 'missing', 'runs']),
    tenant: z.union([TenantRef, z.object({ all: z.literal(true) }).strict()]),
    selection: selectionSchema.optional(),
    policyTypes: PolicyTypeKeys.optional()
  })
  .strict()

export interface ChannelSpec {
  input: z.ZodType
  /** the AtlasApi method the channel is served by (null: composed in main/ipc/handlers.ts) */
  api: keyof AtlasApi | null
}

export const channels = {
  'app:status': { input: NoInput, api: 'appStatus' },
  'registry:types': { input: NoInput, api: 'listPolicyTypes' },
  'registry:categories': { input: NoInput, api: 'listCategories' },
  'tenants:list': { input: NoInput, api: 'listTenants' },
  'tenants:get': { input: z.object({ idOrName: TenantRef }).strict(), api: 'getTenant' },
  'tenants:add': { input: addTenantSchema, api: 'addTenant' },
  'tenants:remove': { input: z.object({ idOrName: TenantRef }).strict(), api: 'removeTenant' },
  'tenants:test': {
    input: z.object({ tenantId: TenantRef, policyTypes: PolicyTypeKeys.optional() }).strict(),
    api: 'testConnection'
  },
  'sync:start': {
    input: z.object({ tenantId: TenantRef, selection: selectionSchema }).strict(),
    api: 'startSync'
  },
  'sync:cancel': {
    // a request id (UUID) before the run exists, the run id after
    input: z.object({ id: z.union([z.string().min(1).max(100), RunId]) }).strict(),
    api: 'cancelSync'
  },
  'sync:active': { input: NoInput, api: 'activeSyncs' },
  'runs:list': {
    input: z.object({ tenantId: TenantRef, limit: z.int().min(1).max(1000).optional() }).strict(),
    api: 'listRuns'
  },
  'runs:get': { input: z.object({ runId: RunId }).strict(), api: 'getRun' },
  'inventory:list': {
    input: z
      .object({
        tenantId: TenantRef,
        policyTypes: PolicyTypeKeys.optional(),
        search: z.string().max(200).optional(),
        limit: z.int().min(1).max(5000).optional(),
        offset: z.int().min(0).max(100_000_000).optional()
      })
      .strict(),
    api: 'listInventory'
  },
  'missing:get': {
    input: z
      .object({ tenantId: TenantRef, selection: selectionSchema, policyTypes: PolicyTypeKeys.optional() })
      .strict(),
    api: 'getMissing'
  },
  'export:csv': { input: exportCsvSchema, api: 'exportCsv' },
  'demo:explore': { input: NoInput, api: null }
} as const satisfies { [K in ChannelName]: ChannelSpec }

type ApiOutput<M extends keyof AtlasApi> = Awaited<ReturnType<AtlasApi[M]>>

/** The user may close the save dialog: that is not an error, just nothing written. */
export type ExportOutcome = ({ canceled: false } & ApiOutput<'exportCsv'>) | { canceled: true }

/** "Explore demo": the demo tenant (created on first use) and the sync started for it, if any. */
export interface DemoOutcome {
  tenantId: string
  requestId: string | null
}

/** What a successful call returns, per channel: AtlasApi's own return types wherever one method serves it. */
export interface ChannelOutputs {
  'app:status': ApiOutput<'appStatus'>
  'registry:types': ApiOutput<'listPolicyTypes'>
  'registry:categories': ApiOutput<'listCategories'>
  'tenants:list': ApiOutput<'listTenants'>
  'tenants:get': ApiOutput<'getTenant'>
  'tenants:add': ApiOutput<'addTenant'>
  'tenants:remove': ApiOutput<'removeTenant'>
  'tenants:test': ApiOutput<'testConnection'>
  'sync:start': ApiOutput<'startSync'>
  'sync:cancel': ApiOutput<'cancelSync'>
  'sync:active': ApiOutput<'activeSyncs'>
  'runs:list': ApiOutput<'listRuns'>
  'runs:get': ApiOutput<'getRun'>
  'inventory:list': ApiOutput<'listInventory'>
  'missing:get': ApiOutput<'getMissing'>
  'export:csv': ExportOutcome
  'demo:explore': DemoOutcome
}

export interface EventPayloads {
  'sync:progress': SyncEvent
}

/** What the page sends (before parsing) and what the handler receives (after parsing). */
export type ChannelInput<K extends ChannelName> = z.input<(typeof channels)[K]['input']>
export type ParsedInput<K extends ChannelName> = z.output<(typeof channels)[K]['input']>

export interface IpcError {
  code: ErrorCode
  message: string
}

/** Errors cross IPC as data: a rejected invoke would keep only an Error's message, secrets included. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError }

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
export type _AddTenantFitsApi = Assert<z.output<typeof addTenantSchema> extends AddTenantInput ? true : false>
export type _ExportFitsApi = Assert<
  z.output<typeof exportCsvSchema> extends Omit<Parameters<AtlasApi['exportCsv']>[0], 'path'> ? true : false
>
