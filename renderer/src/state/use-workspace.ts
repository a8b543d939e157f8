import { useCallback, useEffect, useMemo, useState } from 'react'
import {
  toShownError,
  unwrap,
  type AtlasBridge,
  type CategoryInfo,
  type CloudInfo,
  type ErrorCodeInfo,
  type PolicyTypeInfo,
  type RunSummary,
  type Selection,
  type ShownError,
  type TenantOverview,
  type TenantView
} from '../atlas-client'
import { fromRun } from './live-sync'
import { createLiveStore, type LiveStore } from './live-store'

export interface Workspace {
  atlas: AtlasBridge
  loaded: boolean
  vaultWarning: string | null
  tenants: TenantView[]
  types: ReadonlyMap<string, PolicyTypeInfo>
  categories: CategoryInfo[]
  /** the national clouds' hosts, which the tenant form pre-fills */
  clouds: CloudInfo[]
  /** the engine's row per tenant: last run, missing + confidence, live state (pushed when a run ends) */
  overview: Readonly<Record<string, TenantOverview>>
  /** each tenant's last finished run in full (selection and per-type outcomes), for picker and views */
  lastRun: Readonly<Record<string, RunSummary | null>>
  /** the syncs followed in this window, per tenant; read with the hooks of live-store.ts */
  live: LiveStore
  /** bumped when a run finishes, so screens showing runs or missing objects re-read them */
  runsVersion: number
  error: ShownError | null
  setError: (e: ShownError | null) => void
  refreshTenants: () => Promise<TenantView[]>
  /** shows these tenants' syncs as pending (call it, let the panel render, then `startSyncs`) */
  showPendingSyncs: (tenantIds: string[], policyTypes: string[]) => void
  /** asks the engine to sync each tenant; a refused start drops its pending rows and shows the error */
  startSyncs: (tenantIds: string[], selection: Selection) => Promise<void>
  typeLabel: (key: string) => string
  /** a stable error code's few words for a badge (the engine's table; the code itself when unknown) */
  codeLabel: (code: string) => string
  /** what to do about a code, in the engine's words; undefined when its message says it all */
  codeHint: (code: string | undefined) => string | undefined
  categoryLabel: (key: string) => string
}

/** The engine state the whole window shares, loaded once and kept current by the sync events. */
export function useWorkspace(atlas: AtlasBridge): Workspace {
  const [loaded, setLoaded] = useState(false)
  const [vaultWarning, setVaultWarning] = useState<string | null>(null)
  const [tenants, setTenants] = useState<TenantView[]>([])
  const [typeList, setTypeList] = useState<PolicyTypeInfo[]>([])
  const [categories, setCategories] = useState<CategoryInfo[]>([])
  const [clouds, setClouds] = useState<CloudInfo[]>([])
  const [codeList, setCodeList] = useState<ErrorCodeInfo[]>([])
  const [overview, setOverview] = useState<Record<string, TenantOverview>>({})
  const [lastRun, setLastRun] = useState<Record<string, RunSummary | null>>({})
  const [runsVersion, setRunsVersion] = useState(0)
  const [error, setError] = useState<ShownError | null>(null)
  const [live] = useState(createLiveStore)

  // a row from the engine; its last run is read in full only when it changed
  const applyOverview = useCallback(
    async (row: TenantOverview) => {
      setOverview((prev) => ({ ...prev, [row.tenant.id]: row }))
      const runId = row.lastRun?.runId
      const run = runId === undefined ? null : await unwrap(atlas.getRun({ runId }))
      setLastRun((prev) => ({ ...prev, [row.tenant.id]: run }))
    },
    [atlas]
  )

  const refreshTenants = useCallback(async () => {
    const [list, rows] = await Promise.all([unwrap(atlas.listTenants()), unwrap(atlas.tenantOverview())])
    setTenants(list)
    await Promise.all(rows.map(applyOverview))
    return list
  }, [atlas, applyOverview])

  useEffect(() => {
    let current = true
    const load = async () => {
      const [status, types, cats, cloudList, codes] = await Promise.all([
        unwrap(atlas.appStatus()),
        unwrap(atlas.listPolicyTypes()),
        unwrap(atlas.listCategories()),
        unwrap(atlas.listClouds()),
        unwrap(atlas.listErrorCodes())
      ])
      if (!current) return
      setClouds(cloudList ?? [])
      setCodeList(codes ?? [])
      setVaultWarning(status.credentialStorage.warning)
      setTypeList(types ?? [])
      setCategories(cats ?? [])
      await refreshTenants()
      // re-attach to syncs that outlived a reload of the window: the run as stored, then its events
      for (const active of (await unwrap(atlas.activeSyncs())) ?? []) {
        if (active.runId === undefined) continue
        const run = await unwrap(atlas.getRun({ runId: active.runId }))
        if (current) live.dispatch({ kind: 'attach', sync: fromRun(active.requestId, run) })
      }
    }
    load()
      .catch((err: unknown) => current && setError(toShownError(err)))
      .finally(() => current && setLoaded(true))
    return () => {
      current = false
    }
  }, [atlas, refreshTenants, live])

  useEffect(() => {
    const offProgress = atlas.on('sync:progress', (event) => {
      live.dispatch({ kind: 'event', event, now: Date.now() })
      if (event.kind === 'finished') setRunsVersion((v) => v + 1)
    })
    // the engine pushes a tenant's row when one of its runs ends: the list is current without a re-read
    const offOverview = atlas.on('tenants:overview-changed', (row) => {
      applyOverview(row).catch((err: unknown) => setError(toShownError(err)))
    })
    return () => {
      offProgress()
      offOverview()
    }
  }, [atlas, applyOverview, live])

  const showPendingSyncs = useCallback(
    (tenantIds: string[], policyTypes: string[]) => {
      for (const tenantId of tenantIds) live.dispatch({ kind: 'pending', tenantId, policyTypes })
    },
    [live]
  )

  const startSyncs = useCallback(
    async (tenantIds: string[], selection: Selection) => {
      for (const tenantId of tenantIds) {
        try {
          await unwrap(atlas.startSync({ tenantId, selection }))
        } catch (err) {
          live.dispatch({ kind: 'refused', tenantId })
          setError(toShownError(err))
        }
      }
    },
    [atlas, live]
  )

  const types = useMemo(() => new Map(typeList.map((t) => [t.key, t])), [typeList])
  const typeLabel = useCallback((key: string) => types.get(key)?.label ?? key, [types])
  const codes = useMemo(() => new Map(codeList.map((c) => [c.code as string, c])), [codeList])
  const codeLabel = useCallback((code: string) => codes.get(code)?.label ?? code, [codes])
  const codeHint = useCallback(
    (code: string | undefined) => (code ? (codes.get(code)?.hint ?? undefined) : undefined),
    [codes]
  )
  const categoryLabel = useCallback(
    (key: string) => categories.find((c) => c.key === key)?.label ?? key,
    [categories]
  )

  return {
    atlas,
    loaded,
    vaultWarning,
    tenants,
    types,
    categories,
    clouds,
    overview,
    lastRun,
    live,
    runsVersion,
    error,
    setError,
    refreshTenants,
    showPendingSyncs,
    startSyncs,
    typeLabel,
    codeLabel,
    codeHint,
    categoryLabel
  }
}
