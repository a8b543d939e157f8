import { flushSync } from 'react-dom'
import { toSelection } from '../selection'
import type { Workspace } from './use-workspace'

/**
 * Starts syncs of the picked types with the live panel already on screen: the panel renders with every
 * type pending first (flushSync), then the engine is asked, so its first events land on rows that exist
 * instead of waiting behind the panel mounting. Used by the sync picker and by F5.
 */
export function startSyncsLive(
  ws: Workspace,
  tenantIds: string[],
  picked: ReadonlySet<string>,
  showPanel: () => void
): void {
  const ordered = ws.categories.flatMap((c) => c.policyTypes).filter((t) => picked.has(t))
  flushSync(() => {
    ws.showPendingSyncs(tenantIds, ordered)
    showPanel()
  })
  void ws.startSyncs(tenantIds, toSelection(picked, ws.categories))
}
