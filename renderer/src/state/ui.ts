import { useCallback, useEffect, useState } from 'react'
import type { TenantView } from '../atlas-client'
import { useFocusReturningState } from '../keyboard/focus-return'
import type { Workspace } from './use-workspace'

export type View = 'tenants' | 'runs' | 'missing' | 'inventory' | 'compare'

/** Which side surface is open; one at a time, as in the Intune admin center. */
export type Drawer =
  | { kind: 'tenant'; tenant: TenantView | null; testAfterOpen?: boolean }
  | { kind: 'sync'; tenantIds: string[] }
  | { kind: 'live' }
  | null

export interface Ui {
  view: View
  setView: (v: View) => void
  /** the tenant the Runs / Missing / Inventory views show */
  tenantId: string | null
  setTenantId: (id: string) => void
  drawer: Drawer
  setDrawer: (d: Drawer) => void
  /** a run opened from the Runs list */
  runId: number | null
  setRunId: (id: number | null) => void
}

const TENANT_KEY = 'atlas.tenant'

export function useUi(ws: Workspace): Ui {
  const [view, setView] = useState<View>('tenants')
  const [tenantId, setTenantIdState] = useState<string | null>(() => localStorage.getItem(TENANT_KEY))
  const [drawer, setDrawer] = useFocusReturningState<NonNullable<Drawer>>()
  const [runId, setRunId] = useState<number | null>(null)

  const setTenantId = useCallback((id: string) => {
    localStorage.setItem(TENANT_KEY, id)
    setTenantIdState(id)
    setRunId(null)
  }, [])

  // a removed or never-known tenant falls back to the first one
  useEffect(() => {
    if (!ws.loaded) return
    if (!tenantId || !ws.tenants.some((t) => t.id === tenantId)) {
      const first = ws.tenants[0]
      setTenantIdState(first ? first.id : null)
    }
  }, [ws.loaded, ws.tenants, tenantId])

  return { view, setView, tenantId, setTenantId, drawer, setDrawer, runId, setRunId }
}
