import type { AtlasBridge, ChannelOutputs, EventPayloads, Result } from '../../preload/contract'

/**
 * The page's only way to the engine. In Electron the preload puts `window.atlas` there; the web host
 * (`npm run web`) provides the same object over a WebSocket. When neither did, the app says "Not
 * connected" instead of failing on an undefined.
 */
declare global {
  interface Window {
    atlas?: AtlasBridge
  }
}

export type { AtlasBridge }
export type TenantView = ChannelOutputs['tenants:list'][number]
export type RunSummary = ChannelOutputs['runs:list'][number]
export type CategoryInfo = ChannelOutputs['registry:categories'][number]
export type PolicyTypeInfo = ChannelOutputs['registry:types'][number]
export type ConnectionReport = ChannelOutputs['tenants:test']
export type MissingJudgement = ChannelOutputs['missing:get']
export type InventoryItemView = ChannelOutputs['inventory:list']['items'][number]
export type SyncEvent = EventPayloads['sync:progress']
export type TenantOverview = ChannelOutputs['tenants:overview'][number]
export type RunLedger = ChannelOutputs['runs:ledger']
export type CloudInfo = ChannelOutputs['registry:clouds'][number]
export type ErrorCodeInfo = ChannelOutputs['registry:error-codes'][number]
export type Selection = { policy_types?: string[]; categories?: string[] }

export function getAtlas(): AtlasBridge | null {
  return typeof window !== 'undefined' && window.atlas ? window.atlas : null
}

/**
 * An error as the engine reported it: the code is stable, the message is already safe to show, the hint
 * (when the engine gives one) says what to do. Never a stack: the engine sends none and we show none.
 */
export class AtlasCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string | undefined
  ) {
    super(message)
    this.name = 'AtlasCallError'
  }
}

export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await call
  if (result.ok) return result.value
  const { code, message, hint } = result.error
  throw new AtlasCallError(code, message, hint)
}

export interface ShownError {
  code: string
  message: string
  hint: string | undefined
}

/** Anything thrown, as code + message + hint; an unexpected throw keeps its message only. */
export function toShownError(err: unknown): ShownError {
  if (err instanceof AtlasCallError) return { code: err.code, message: err.message, hint: err.hint }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message: message.split('\n')[0] ?? message, hint: undefined }
}
