import { useCallback, useEffect, useState } from 'react'
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import {
  describeError,
  describeProgress,
  unwrap,
  type AtlasBridge,
  type RunSummary,
  type SyncEvent,
  type TenantView
} from './atlas-client'
import { InventoryPanel } from './InventoryTable'

/**
 * A small shell over window.atlas: tenants, "Explore demo", a sync button per tenant with live progress,
 * and the runs of the selected tenant. The real inventory UI is built on top of this later.
 */
export function App({ atlas }: { atlas: AtlasBridge | null }) {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Tenant Atlas</h1>
        {atlas ? null : <span className="badge badge-warn">Not connected</span>}
      </header>
      {atlas ? (
        <Workspace atlas={atlas} />
      ) : (
        <main className="empty">
          <p>Not connected: this page was opened without the Tenant Atlas bridge.</p>
        </main>
      )}
    </div>
  )
}

function Workspace({ atlas }: { atlas: AtlasBridge }) {
  const [tenants, setTenants] = useState<TenantView[]>([])
  const [categories, setCategories] = useState<string[]>([])
  const [selected, setSelected] = useState<string | null>(null)
  const [progress, setProgress] = useState<Record<string, SyncEvent>>({})
  const [runsVersion, setRunsVersion] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [vaultWarning, setVaultWarning] = useState<string | null>(null)
  const [tab, setTab] = useState<'runs' | 'inventory'>('runs')

  const refreshTenants = useCallback(async () => {
    const list = await unwrap(atlas.listTenants())
    setTenants(list)
    setSelected((current) => current ?? list[0]?.id ?? null)
  }, [atlas])

  useEffect(() => {
    unwrap(atlas.appStatus())
      .then((status) => setVaultWarning(status.credentialStorage.warning))
      .catch((err: unknown) => setError(describeError(err)))
    refreshTenants().catch((err: unknown) => setError(describeError(err)))
    unwrap(atlas.listCategories())
      .then((list) => setCategories(list.map((c) => c.key)))
      .catch((err: unknown) => setError(describeError(err)))
  }, [atlas, refreshTenants])

  useEffect(
    () =>
      atlas.on('sync:progress', (event) => {
        setProgress((prev) => ({ ...prev, [event.tenantId]: event }))
        // events are hints; the runs list is re-read from the engine, which holds the truth
        if (event.kind === 'started' || event.kind === 'finished') setRunsVersion((v) => v + 1)
      }),
    [atlas]
  )

  const act = async (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const exploreDemo = () =>
    act(async () => {
      const outcome = await unwrap(atlas.exploreDemo())
      await refreshTenants()
      setSelected(outcome.tenantId)
    })

  const startSync = (tenantId: string) =>
    act(async () => {
      await unwrap(atlas.startSync({ tenantId, selection: { categories } }))
    })

  return (
    <>
      {vaultWarning ? (
        <div className="banner-warn" role="alert">
          Credentials are kept for this session only: {vaultWarning}
        </div>
      ) : null}
      <main className="workspace">
        <aside className="tenants">
          <div className="tenants-head">
            <h2>Tenants</h2>
            <button type="button" onClick={() => void exploreDemo()} disabled={busy}>
              Explore demo
            </button>
          </div>
          {tenants.length === 0 ? <p className="muted">No tenants yet.</p> : null}
          <ul>
            {tenants.map((t) => (
              <li key={t.id} className={t.id === selected ? 'tenant selected' : 'tenant'}>
                <button type="button" className="link" onClick={() => setSelected(t.id)}>
                  {t.displayName}
                  {t.isDemo ? <span className="badge">Demo</span> : null}
                </button>
                <button
                  type="button"
                  onClick={() => void startSync(t.id)}
                  disabled={busy || categories.length === 0}
                  aria-label={`Sync ${t.displayName}`}
                >
                  Sync
                </button>
                {progress[t.id] ? (
                  <div className="progress" role="status">
                    {describeProgress(progress[t.id] as SyncEvent)}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </aside>
        <section className="runs">
          {error ? (
            <div className="error" role="alert">
              {error}
            </div>
          ) : null}
          <div className="tabs" role="tablist">
            {(['runs', 'inventory'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
                {t === 'runs' ? 'Runs' : 'Inventory'}
              </button>
            ))}
          </div>
          {selected && tab === 'runs' ? (
            <RunsPanel atlas={atlas} tenantId={selected} version={runsVersion} />
          ) : null}
          {selected && tab === 'inventory' ? <InventoryPanel atlas={atlas} tenantId={selected} /> : null}
        </section>
      </main>
    </>
  )
}

const features = tableFeatures({})
const column = createColumnHelper<typeof features, RunSummary>()
const columns = column.columns([
  column.accessor('id', { header: 'Run' }),
  column.accessor('status', { header: 'Status' }),
  column.accessor('trigger', { header: 'Trigger' }),
  column.accessor('startedAt', { header: 'Started', cell: (info) => formatTime(info.getValue()) }),
  column.accessor('finishedAt', { header: 'Finished', cell: (info) => formatTime(info.getValue()) }),
  column.accessor('itemsObservedCount', { header: 'Items' }),
  column.accessor('errorCodes', { header: 'Errors', cell: (info) => info.getValue().join(', ') })
])

function RunsPanel({ atlas, tenantId, version }: { atlas: AtlasBridge; tenantId: string; version: number }) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let current = true
    unwrap(atlas.listRuns({ tenantId, limit: 50 }))
      .then((list) => current && setRuns(list))
      .catch((err: unknown) => current && setError(describeError(err)))
    return () => {
      current = false
    }
  }, [atlas, tenantId, version])

  if (error) return <div className="error">{error}</div>
  if (runs === null) return <p className="muted">Loading runs…</p>
  if (runs.length === 0) return <p className="muted">No runs yet. Press Sync to take the first inventory.</p>
  return <RunsTable runs={runs} />
}

/** The runs of one tenant, newest first as the engine returns them. */
export function RunsTable({ runs }: { runs: RunSummary[] }) {
  const table = useTable({ features, columns, data: runs })
  return (
    <table className="grid">
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id}>{header.isPlaceholder ? null : <table.FlexRender header={header} />}</th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—'
}
