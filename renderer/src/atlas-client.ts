import type { AtlasBridge, ChannelOutputs, EventPayloads, Result } from '../../preload/contract'

/**
 * The page's only way to the engine. In Electron the preload puts `window.atlas` there; the browser test
 * bridge provides the same object over HTTP. When neither did, the app says "Not connected" instead of
 * failing on an undefined.
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
export type SyncEvent = EventPayloads['sync:progress']

export function getAtlas(): AtlasBridge | null {
  return typeof window !== 'undefined' && window.atlas ? window.atlas : null
}

/** An error as the engine reported it: the code is stable, the message is already safe to show. */
export class AtlasCallError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = 'AtlasCallError'
  }
}

export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await call
  if (result.ok) return result.value
  throw new AtlasCallError(result.error.code, result.error.message)
}

export function describeError(err: unknown): string {
  if (err instanceof AtlasCallError) return `${err.message} (${err.code})`
  return err instanceof Error ? err.message : String(err)
}

/** One line of live status for a tenant, from the latest sync event. */
export function describeProgress(event: SyncEvent): string {
  switch (event.kind) {
    case 'queued':
      return `Queued (position ${event.position})`
    case 'started':
      return `Started run #${event.runId}: ${event.policyTypes.length} policy types`
    case 'type_started':
      return `Reading ${event.policyType}…`
    case 'page_stored':
      return `Run #${event.runId}: ${event.runObserved} items so far`
    case 'throttled':
      return `Graph asked to wait ${event.waitSeconds} s (attempt ${event.attempt})`
    case 'type_finished':
      return `${event.policyType}: ${event.status}, ${event.observed} items`
    case 'finished':
      return `Run #${event.runId} ${event.status}${event.hadErrors ? ' with errors' : ''}: ${event.itemsObserved} items`
  }
}
