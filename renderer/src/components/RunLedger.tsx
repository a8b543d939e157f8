import {
  Button,
  Caption1,
  makeStyles,
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
import type { RunSummary } from '../atlas-client'
import { codeHint, codeShort } from '../error-text'
import { formatCount, formatDateTime, runDuration } from '../format'
import { typesOf } from '../selection'
import type { Workspace } from '../state/use-workspace'
import { runDetail, runStatus } from '../status'
import { PageHeader } from './PageHeader'
import { StatusBadge } from './StatusBadge'

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  sub: { color: tokens.colorNeutralForeground3 },
  summary: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'center', flexWrap: 'wrap' }
})

/** One run's per-type ledger: what was complete, what was not collected and why, what was not selected. */
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
  const selected = new Set([...typesOf(run.selection, ws.categories), ...Object.keys(run.typeOutcomes)])
  const all = ws.categories.flatMap((c) => c.policyTypes)
  const rows = [
    ...all.filter((t) => selected.has(t)),
    ...[...selected].filter((t) => !all.includes(t)),
    ...all.filter((t) => !selected.has(t))
  ]
  return (
    <>
      <PageHeader title={`Run #${run.id} · ${tenantName}`} caption={`Correlation id ${run.correlationId}`}>
        <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack}>
          All runs
        </Button>
      </PageHeader>
      <div className={styles.summary} data-testid="run-summary">
        <StatusBadge status={run.finishedAt ? runStatus(run) : 'running'} detail={runDetail(run)} />
        <Text>Started {formatDateTime(run.startedAt)}</Text>
        <Text>Duration {runDuration(run.startedAt, run.finishedAt)}</Text>
        <Text>{formatCount(run.itemsObservedCount)} items seen</Text>
      </div>
      <Table size="small" aria-label={`Ledger of run #${run.id}`} className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Policy type</TableHeaderCell>
            <TableHeaderCell>Outcome</TableHeaderCell>
            <TableHeaderCell>Objects</TableHeaderCell>
            <TableHeaderCell>Error</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((t) => {
            const o = run.typeOutcomes[t]
            const extra = (o ?? {}) as { requestId?: string; hint?: string }
            const notCollected = o && (o.status === 'failed' || o.status === 'skipped')
            return (
              <TableRow
                key={t}
                data-testid="ledger-row"
                data-type={t}
                data-outcome={o ? o.status : 'not_selected'}
              >
                <TableCell>{ws.typeLabel(t)}</TableCell>
                <TableCell>
                  {!selected.has(t) ? (
                    <StatusBadge status="not_selected" />
                  ) : !o || o.status === 'pending' ? (
                    <StatusBadge status="pending" />
                  ) : o.status === 'running' ? (
                    <StatusBadge status="running" />
                  ) : o.status === 'complete' ? (
                    <StatusBadge status="success" />
                  ) : (
                    <StatusBadge status="not_collected" detail={codeShort(o.errorCode)} />
                  )}
                </TableCell>
                <TableCell>{o && o.status === 'complete' ? formatCount(o.observed) : '—'}</TableCell>
                <TableCell>
                  {notCollected ? (
                    <>
                      <div>
                        <code>{o.errorCode}</code> {o.errorMessage}
                      </div>
                      {(extra.hint ?? codeHint(o.errorCode)) ? (
                        <Caption1 className={styles.sub}>{extra.hint ?? codeHint(o.errorCode)}</Caption1>
                      ) : null}
                      {o.missingScopes?.length ? (
                        <div className={styles.mono}>Missing scopes: {o.missingScopes.join(', ')}</div>
                      ) : null}
                      {extra.requestId ? (
                        <div className={styles.mono}>Request id {extra.requestId}</div>
                      ) : null}
                    </>
                  ) : null}
                </TableCell>
              </TableRow>
            )
          })}
        </TableBody>
      </Table>
    </>
  )
}
