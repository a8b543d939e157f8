import { useCallback, useEffect, useMemo, useReducer, useState } from 'react'
import {
  toShownError,
  unwrap,
  type AtlasBridge,
  type CategoryInfo,
  type PolicyTypeInfo,
  type RunSummary,
  type ShownError,
  type SyncEvent,
  type TenantView
} from '../atlas-client'
import { fromRun, reduceLive, type LiveState, type LiveSync } from './live-sync'

/** What the tenants list shows per tenant without opening any other view. */
export interface TenantOverview {
  lastRun: RunSummary | null
  missing: { count: number; lowConfidence: boolean; notCollected: number } | null
}

type LiveAction = { kind: 'event'; event: SyncEvent; now: number } | { kind: 'attach'; sync: LiveSync }

function liveReducer(state: LiveState, action: LiveAction): LiveState {
  if (action.kind === 'attach') return { ...state, [action.sync.tenantId]: action.sync }
  return reduceLive(state, action.event, action.now)
}

export interface Workspace {
  atlas: AtlasBridge
  loaded: boolean
  vaultWarning: string | null
  tenants: TenantView[]
  types: ReadonlyMap<string, PolicyTypeInfo>
  categories: CategoryInfo[]
  overview: Readonly<Record<string, TenantOverview>>
  live: LiveState
  /** bumped when a run finishes, so screens showing runs or missing objects re-read them */
  runsVersion: number
  error: ShownError | null
  setError: (e: ShownError | null) => void
  refreshTenants: () => Promise<TenantView[]>
  typeLabel: (key: string) => string
  categoryLabel: (key: string) => string
}

async function overviewOf(atlas: AtlasBridge, tenantId: string): Promise<TenantOverview> {
  const [lastRun] = await unwrap(atlas.listRuns({ tenantId, limit: 1 }))
  if (!lastRun || !lastRun.finishedAt) return { lastRun: lastRun ?? null, missing: null }
  const judgement = await unwrap(atlas.getMissing({ tenantId, selection: lastRun.selection }))
  return {
    lastRun,
    missing: {
      count: judgement.items.length,
      lowConfidence: judgement.lowConfidence,
      notCollected: Object.values(judgement.typeCoverage).filter((c) => c === 'not_collected').length
    }
  }
}

/** The engine state the whole window shares, loaded once and kept current by the sync events. */
export function useWorkspace(atlas: AtlasBridge): Workspace {
  const [loaded, setLoaded] = useState(false)
  const [vaultWarning, setVaultWarning] = useState<string | null>(null)
  const [tenants, setTenants] = useState<TenantView[]>([])
  const [typeList, setTypeList] = useState<PolicyTypeInfo[]>([])
  const [categories, setCategories] = useState<CategoryInfo[]>([])
  const [overview, setOverview] = useState<Record<string, TenantOverview>>({})
  const [runsVersion, setRunsVersion] = useState(0)
  const [error, setError] = useState<ShownError | null>(null)
  const [live, dispatch] = useReducer(liveReducer, {})

  const refreshOverview = useCallback(
    async (tenantId: string) => {
      const o = await overviewOf(atlas, tenantId)
      setOverview((prev) => ({ ...prev, [tenantId]: o }))
    },
    [atlas]
  )

  const refreshTenants = useCallback(async () => {
    const list = await unwrap(atlas.listTenants())
    setTenants(list)
    await Promise.all(list.map((t) => refreshOverview(t.id)))
    return list
  }, [atlas, refreshOverview])

  useEffect(() => {
    let current = true
    const load = async () => {
      const [status, types, cats] = await Promise.all([
        unwrap(atlas.appStatus()),
        unwrap(atlas.listPolicyTypes()),
        unwrap(atlas.listCategories())
      ])
      if (!current) return
      setVaultWarning(status.credentialStorage.warning)
      setTypeList(types ?? [])
      setCategories(cats ?? [])
      await refreshTenants()
      // re-attach to syncs that outlived a reload of the window: the run as stored, then its events
      for (const active of (await unwrap(atlas.activeSyncs())) ?? []) {
        if (active.runId === undefined) continue
        const run = await unwrap(atlas.getRun({ runId: active.runId }))
        if (current) dispatch({ kind: 'attach', sync: fromRun(active.requestId, run) })
      }
    }
    load()
      .catch((err: unknown) => current && setError(toShownError(err)))
      .finally(() => current && setLoaded(true))
    return () => {
      current = false
    }
  }, [atlas, refreshTenants])

  useEffect(
    () =>
      atlas.on('sync:progress', (event) => {
        dispatch({ kind: 'event', event, now: Date.now() })
        if (event.kind === 'finished') {
          setRunsVersion((v) => v + 1)
          refreshOverview(event.tenantId).catch((err: unknown) => setError(toShownError(err)))
        }
      }),
    [atlas, refreshOverview]
  )

  const types = useMemo(() => new Map(typeList.map((t) => [t.key, t])), [typeList])
  const typeLabel = useCallback((key: string) => types.get(key)?.label ?? key, [types])
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
    overview,
    live,
    runsVersion,
    error,
    setError,
    refreshTenants,
    typeLabel,
    categoryLabel
  }
}
