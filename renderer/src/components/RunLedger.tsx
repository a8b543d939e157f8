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
import { ArrowLeftRegular } from '@fluentui/react-icons'
import { toShownError, unwrap, type RunLedger as Ledger, type RunSummary } from '../atlas-client'
import { formatCount, formatDateTime, plural, runDuration } from '../format'
import type { Workspace } from '../state/use-workspace'
import { runDetail, runStatus } from '../status'
import { useGridKeyboard } from '../keyboard/use-grid-keyboard'
import { PageHeader } from './PageHeader'
import { SkeletonRows } from './SkeletonRows'
import { StatusBadge } from './StatusBadge'

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  sub: { color: tokens.colorNeutralForeground3 },
  summary: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'center', flexWrap: 'wrap' }
})

/**
 * One run's per-type ledger as the engine builds it (runs:ledger): complete with its count, not collected
 * with code, message, hint, Graph request id and missing scopes, or outside the run's selection.
 */
export function RunLedger({
  ws,
  run,
  tenantName,
  onBack
}: {
  ws: Workspace
  run: RunSummary
  tenantName: string
  onBack: () => void
}) {
  const styles = useStyles()
  const [ledger, setLedger] = useState<Ledger | null>(null)
  const grid = useGridKeyboard(ledger?.entries.length ?? 0)
  useEffect(() => {
    let current = true
    unwrap(ws.atlas.getRunLedger({ runId: run.id }))
      .then((l) => current && setLedger(l))
      .catch((err: unknown) => current && ws.setError(toShownError(err)))
    return () => {
      current = false
    }
  }, [ws.atlas, run.id, ws.setError])

  return (
    <>
      <PageHeader title={`Run #${run.id} · ${tenantName}`} caption={`Correlation id ${run.correlationId}`}>
        <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack}>
          All runs
        </Button>
      </PageHeader>
      <div className={styles.summary} data-testid="run-summary">
        <StatusBadge
          status={run.finishedAt ? runStatus(run) : 'running'}
          detail={runDetail(run, ledger?.counts.not_collected ?? 0)}
        />
        <Text>Started {formatDateTime(run.startedAt)}</Text>
        <Text>Duration {runDuration(run.startedAt, run.finishedAt)}</Text>
        <Text>{plural(run.itemsObservedCount, 'item')} seen</Text>
        {ledger ? (
          <Text>
            {ledger.counts.complete} complete · {ledger.counts.not_collected} not collected ·{' '}
            {ledger.counts.not_selected} not selected
          </Text>
        ) : null}
      </div>
      {ledger === null ? (
        <SkeletonRows label="Loading the run’s ledger…" />
      ) : (
        <Table
          size="small"
          aria-label={`Ledger of run #${run.id}`}
          {...grid.gridProps}
          className={mergeClasses(styles.table, grid.gridProps.className)}
        >
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Policy type</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
              <TableHeaderCell>Objects</TableHeaderCell>
              <TableHeaderCell>Error</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {ledger.entries.map((e, index) => (
              <TableRow
                {...grid.rowProps(index)}
                key={e.policyType}
                data-testid="ledger-row"
                data-type={e.policyType}
                data-outcome={e.state}
              >
                <TableCell>{e.label}</TableCell>
                <TableCell>
                  {e.state === 'complete' ? (
                    <StatusBadge status="success" />
                  ) : e.state === 'not_collected' ? (
                    <StatusBadge
                      status="not_collected"
                      detail={e.errorCode ? ws.codeLabel(e.errorCode) : undefined}
                    />
                  ) : (
                    <StatusBadge status={e.state} />
                  )}
                </TableCell>
                <TableCell>{e.state === 'complete' ? formatCount(e.observed) : '—'}</TableCell>
                <TableCell>
                  {e.state === 'not_collected' ? (
                    <>
                      <div>
                        <code>{e.errorCode}</code> {e.errorMessage}
                      </div>
                      {e.hint ? <Caption1 className={styles.sub}>{e.hint}</Caption1> : null}
                      {e.missingScopes?.length ? (
                        <div className={styles.mono}>Missing scopes: {e.missingScopes.join(', ')}</div>
                      ) : null}
                      {e.requestId ? <div className={styles.mono}>Request id {e.requestId}</div> : null}
                    </>
                  ) : null}
                  {e.skippedItems + e.duplicateItems > 0 ? (
                    <Caption1 className={styles.sub}>
                      {formatCount(e.skippedItems)} unusable, {formatCount(e.duplicateItems)} duplicate
                      objects
                    </Caption1>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  )
}
