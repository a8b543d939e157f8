import { useEffect, useState } from 'react'
import {
  Button,
  Caption1,
  makeStyles,
  mergeClasses,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens
} from '@fluentui/react-components'
import { toShownError, unwrap, type RunSummary } from '../atlas-client'
import { useTableStyles } from '../components/table-styles'
import { ExportButton } from '../components/ExportButton'
import { PageHeader } from '../components/PageHeader'
import { SkeletonRows } from '../components/SkeletonRows'
import { RunLedger } from '../components/RunLedger'
import { RunsInsight } from '../components/RunsInsight'
import { StatusBadge } from '../components/StatusBadge'
import { formatCount, formatDateTime, plural, runDuration, visibleText } from '../format'
import type { Ui } from '../state/ui'
import type { Workspace } from '../state/use-workspace'
import { runDetail, runStatus } from '../status'
import { useGridKeyboard } from '../keyboard/use-grid-keyboard'

const useStyles = makeStyles({
  sub: { color: tokens.colorNeutralForeground3 },
  colRun: { width: '7%' },
  colOutcome: { width: '21%' },
  colStarted: { width: '15%' },
  colShort: { width: '9%' },
  colTypes: { width: '14%' },
  colErrors: { width: '25%' }
})

/** Every sync run of the chosen tenant, newest first; a run opens its per-type ledger. */
export function RunsScreen({ ws, ui }: { ws: Workspace; ui: Ui }) {
  const styles = useStyles()
  const table = useTableStyles()
  const tenant = ws.tenants.find((t) => t.id === ui.tenantId)
  const [runs, setRuns] = useState<RunSummary[] | null>(null)
  useEffect(() => {
    if (!tenant) return
    let current = true
    unwrap(ws.atlas.listRuns({ tenantId: tenant.id, limit: 200 }))
      .then((list) => current && setRuns(list))
      .catch((err: unknown) => current && ws.setError(toShownError(err)))
    return () => {
      current = false
    }
  }, [ws.atlas, tenant, ws.runsVersion, ws.setError])
  const grid = useGridKeyboard(runs?.length ?? 0, (i) => {
    const run = runs?.[i]
    if (run) ui.setRunId(run.id)
  })
  if (!tenant) return null
  const open = runs?.find((r) => r.id === ui.runId)
  if (open)
    return (
      <RunLedger
        ws={ws}
        run={open}
        tenantName={visibleText(tenant.displayName)}
        onBack={() => ui.setRunId(null)}
      />
    )

  return (
    <>
      <PageHeader
        title={`Runs · ${visibleText(tenant.displayName)}`}
        caption={runs ? `${plural(runs.length, 'run')} recorded` : undefined}
      >
        <ExportButton
          atlas={ws.atlas}
          request={{ view: 'runs', tenant: tenant.id }}
          label="Export CSV"
          onError={ws.setError}
        />
      </PageHeader>
      {runs ? <RunsInsight ws={ws} tenant={tenant} runs={runs} /> : null}
      {runs === null ? (
        <SkeletonRows label="Loading runs…" />
      ) : runs.length === 0 ? (
        <Text>No runs yet. Sync this tenant to take its first inventory.</Text>
      ) : (
        <Table
          size="small"
          aria-label="Runs"
          {...grid.gridProps}
          className={mergeClasses(table.autoTable, grid.gridProps.className)}
        >
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.colRun}>Run</TableHeaderCell>
              <TableHeaderCell className={styles.colOutcome}>Outcome</TableHeaderCell>
              <TableHeaderCell className={styles.colStarted}>Started</TableHeaderCell>
              <TableHeaderCell className={styles.colShort}>Duration</TableHeaderCell>
              <TableHeaderCell className={styles.colShort}>Items seen</TableHeaderCell>
              <TableHeaderCell className={styles.colTypes}>Types</TableHeaderCell>
              <TableHeaderCell className={styles.colErrors}>Errors</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.map((r, index) => {
              const outcomes = Object.values(r.typeOutcomes)
              const complete = outcomes.filter((o) => o.status === 'complete').length
              const notCollected = outcomes.filter(
                (o) => o.status === 'failed' || o.status === 'skipped'
              ).length
              return (
                <TableRow key={r.id} data-testid="run-row" data-run={r.id} {...grid.rowProps(index)}>
                  <TableCell>
                    <Button
                      appearance="transparent"
                      size="small"
                      className={table.flushButton}
                      onClick={() => ui.setRunId(r.id)}
                      aria-label={`Open run #${r.id}`}
                      {...grid.rowControl}
                    >
                      #{r.id}
                    </Button>
                  </TableCell>
                  <TableCell>
                    <StatusBadge
                      status={r.finishedAt ? runStatus(r) : 'running'}
                      detail={runDetail(r, notCollected)}
                    />
                  </TableCell>
                  <TableCell className={table.oneLine} data-column="startedAt">
                    {formatDateTime(r.startedAt)}
                  </TableCell>
                  <TableCell className={table.oneLine} data-column="duration">
                    {runDuration(r.startedAt, r.finishedAt)}
                  </TableCell>
                  <TableCell>{formatCount(r.itemsObservedCount)}</TableCell>
                  <TableCell>
                    {complete} complete{notCollected ? ` · ${notCollected} not collected` : ''}
                  </TableCell>
                  <TableCell>
                    {r.errorCodes.map((c) => (
                      <div key={c}>
                        <Text size={200}>
                          <code>{c}</code> {ws.codeLabel(c)}
                        </Text>
                        {ws.codeHint(c) ? (
                          <Caption1 className={styles.sub}> · {ws.codeHint(c)}</Caption1>
                        ) : null}
                      </div>
                    ))}
                  </TableCell>
                </TableRow>
              )
            })}
          </TableBody>
        </Table>
      )}
    </>
  )
}
