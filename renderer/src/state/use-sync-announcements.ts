import { useEffect, useRef } from 'react'
import { useAnnounce } from '@fluentui/react-components'
import { runStatus } from '../status'
import type { LiveState } from './live-sync'
import type { Workspace } from './use-workspace'

/**
 * Tells screen-reader users what changed in a sync (started, throttled, a type not collected, done), not
 * every count tick; failures interrupt (assertive), the rest waits its turn (polite).
 */
export function useSyncAnnouncements(ws: Workspace): void {
  const { announce } = useAnnounce()
  const previous = useRef<LiveState>({})
  useEffect(() => {
    const before = previous.current
    previous.current = ws.live
    for (const [tenantId, sync] of Object.entries(ws.live)) {
      const was = before[tenantId]?.requestId === sync.requestId ? before[tenantId] : undefined
      const name = ws.tenants.find((t) => t.id === tenantId)?.displayName ?? 'a tenant'
      if (sync.phase === 'running' && was?.phase !== 'running' && !was?.runId) {
        announce(`Sync of ${name} running`, { polite: true })
      }
      if (sync.throttle && sync.throttle.until !== was?.throttle?.until) {
        announce(`Graph asked to wait ${sync.throttle.waitSeconds} seconds: ${name}`, { polite: true })
      }
      for (const key of sync.order) {
        const status = sync.types[key]?.status
        if ((status === 'failed' || status === 'skipped') && was?.types[key]?.status !== status) {
          announce(`${name}: ${ws.typeLabel(key)} not collected`, { alert: true })
        }
      }
      if (sync.finished && !was?.finished) {
        const status = runStatus({
          status: sync.finished.status,
          errorCodes: sync.finished.errorCodes as never
        })
        announce(
          `Sync of ${name} finished: ${status}`,
          status === 'failed' ? { alert: true } : { polite: true }
        )
      }
    }
  }, [ws.live, ws.tenants, ws.typeLabel, announce])
}
