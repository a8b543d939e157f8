import { useEffect, useRef } from 'react'
import { useAnnounce } from '@fluentui/react-components'
import { runStatus } from '../status'
import type { LiveState } from './live-sync'
import type { Workspace } from './use-workspace'

/**
 * Tells screen-reader users what changed in a sync (started, throttled, a type not collected, done), not
 * every count tick; failures interrupt (assertive), the rest waits its turn (polite). Listens to the live
 * store itself, so announcing renders nothing.
 */
export function useSyncAnnouncements(ws: Workspace): void {
  const { announce } = useAnnounce()
  // the latest names without re-subscribing when the tenant list or the labels change
  const words = useRef({ tenants: ws.tenants, typeLabel: ws.typeLabel })
  useEffect(() => {
    words.current = { tenants: ws.tenants, typeLabel: ws.typeLabel }
  }, [ws.tenants, ws.typeLabel])

  const live = ws.live
  useEffect(
    () =>
      live.subscribe((before) => {
        const { tenants, typeLabel } = words.current
        for (const line of syncAnnouncements(
          before,
          live.get(),
          (id) => tenants.find((t) => t.id === id)?.displayName,
          typeLabel
        )) {
          announce(line.text, line.alert ? { alert: true } : { polite: true })
        }
      }),
    [live, announce]
  )
}

export interface Announcement {
  text: string
  /** interrupts (assertive) instead of waiting its turn */
  alert: boolean
}

/** What changed between two live states, in words (pure, unit-tested). */
export function syncAnnouncements(
  before: LiveState,
  after: LiveState,
  nameOf: (tenantId: string) => string | undefined,
  typeLabel: (key: string) => string
): Announcement[] {
  const out: Announcement[] = []
  for (const [tenantId, sync] of Object.entries(after)) {
    const was = before[tenantId]?.requestId === sync.requestId ? before[tenantId] : undefined
    if (was === sync) continue
    const name = nameOf(tenantId) ?? 'a tenant'
    if (sync.phase === 'running' && was?.phase !== 'running' && !was?.runId) {
      out.push({ text: `Sync of ${name} running`, alert: false })
    }
    if (sync.throttle && sync.throttle.until !== was?.throttle?.until) {
      out.push({ text: `Graph asked to wait ${sync.throttle.waitSeconds} seconds: ${name}`, alert: false })
    }
    for (const key of sync.order) {
      const status = sync.types[key]?.status
      if ((status === 'failed' || status === 'skipped') && was?.types[key]?.status !== status) {
        out.push({ text: `${name}: ${typeLabel(key)} not collected`, alert: true })
      }
    }
    if (sync.finished && !was?.finished) {
      const status = runStatus({
        status: sync.finished.status,
        errorCodes: sync.finished.errorCodes as never
      })
      out.push({ text: `Sync of ${name} finished: ${status}`, alert: status === 'failed' })
    }
  }
  return out
}
