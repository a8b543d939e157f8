import { useEffect, useMemo, useState } from 'react'
import {
  Dropdown,
  Field,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens
} from '@fluentui/react-components'
import { toShownError, unwrap, type MissingJudgement, type Selection } from '../atlas-client'
import { ExportButton } from '../components/ExportButton'
import { Freshness } from '../components/Freshness'
import { PageHeader } from '../components/PageHeader'
import { SkeletonRows } from '../components/SkeletonRows'
import { StatusBadge } from '../components/StatusBadge'
import { formatCount, formatDateTime, plural, visibleText } from '../format'
import { useGridKeyboard } from '../keyboard/use-grid-keyboard'
import type { Ui } from '../state/ui'
import type { Workspace } from '../state/use-workspace'
import { confidenceSentence } from '../status'
import { useTableStyles } from '../components/table-styles'

const useStyles = makeStyles({
  filters: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'end', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 }
})

type Reason = 'all' | 'absent' | 'not_collected'

/**
 * The banner: the engine's confidence rule in words (MissingJudgement.confidenceReason), led by the
 * status word, and what it means for the list below.
 */
export function confidenceText(j: MissingJudgement): {
  intent: 'warning' | 'info' | 'success'
  title: string
  body: string
} {
  const sentence = confidenceSentence(j.confidenceReason)
  if (!j.judgedBy) {
    return { intent: 'warning', title: 'Can’t tell yet.', body: `${sentence}. Run a complete sync.` }
  }
  const run = `run #${j.judgedBy.runId}`
  if (j.lowConfidence) {
    const notCollected = Object.values(j.typeCoverage).some((c) => c === 'not_collected')
    return {
      intent: 'warning',
      title: 'Low confidence',
      body: `${sentence} (${run}). ${notCollected ? 'Objects of types not collected can’t be judged; ' : ''}sync again for a firm answer.`
    }
  }
  return {
    intent: j.items.length ? 'info' : 'success',
    title: 'Normal confidence',
    body: j.items.length
      ? `${sentence} (${run}): objects it did not see are gone from the tenant.`
      : `Nothing went missing: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)} (${run}).`
  }
}

/** Objects this tenant had before and the latest run of the selection did not see, with why. */
export function MissingScreen({ ws, ui }: { ws: Workspace; ui: Ui }) {
  const styles = useStyles()
  const table = useTableStyles()
  const tenant = ws.tenants.find((t) => t.id === ui.tenantId)
  const lastRun = tenant ? (ws.lastRun[tenant.id] ?? null) : null
  const selection: Selection = useMemo(
    () =>
      lastRun
        ? { categories: lastRun.selection.categories, policy_types: lastRun.selection.policy_types }
        : { categories: ws.categories.map((c) => c.key) },
    [lastRun, ws.categories]
  )
  const [judgement, setJudgement] = useState<MissingJudgement | null>(null)
  const [reason, setReason] = useState<Reason>('all')
  const [type, setType] = useState<string>('all')

  useEffect(() => {
    if (!tenant) return
    let current = true
    setJudgement(null)
    unwrap(ws.atlas.getMissing({ tenantId: tenant.id, selection }))
      .then((j) => current && setJudgement(j))
      .catch((err: unknown) => current && ws.setError(toShownError(err)))
    return () => {
      current = false
    }
  }, [ws.atlas, tenant, selection, ws.runsVersion, ws.setError])

  const items = (judgement?.items ?? []).filter(
    (i) => (reason === 'all' || i.reason === reason) && (type === 'all' || i.policyType === type)
  )
  const grid = useGridKeyboard(items.length)
  if (!tenant) return null
  const typesPresent = [...new Set((judgement?.items ?? []).map((i) => i.policyType))].sort((a, b) =>
    ws.typeLabel(a).localeCompare(ws.typeLabel(b))
  )
  const banner = judgement ? confidenceText(judgement) : null

  return (
    <>
      <PageHeader
        title={`Missing · ${visibleText(tenant.displayName)}`}
        caption={<Freshness run={lastRun} />}
      >
        <ExportButton
          atlas={ws.atlas}
          request={{
            view: 'missing',
            tenant: tenant.id,
            selection,
            ...(type === 'all' ? {} : { policyTypes: [type] })
          }}
          label="Export CSV"
          onError={ws.setError}
        />
      </PageHeader>
      {banner ? (
        <MessageBar intent={banner.intent} data-testid="confidence">
          <MessageBarBody>
            <MessageBarTitle>{banner.title}</MessageBarTitle>
            {banner.body}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.filters}>
        <Field label="Reason">
          <Dropdown
            data-filter
            value={reason === 'all' ? 'All reasons' : reason === 'absent' ? 'Absent' : 'Not collected'}
            selectedOptions={[reason]}
            onOptionSelect={(_, d) => setReason((d.optionValue as Reason) ?? 'all')}
          >
            <Option value="all">All reasons</Option>
            <Option value="absent">Absent</Option>
            <Option value="not_collected">Not collected</Option>
          </Dropdown>
        </Field>
        <Field label="Policy type">
          <Dropdown
            value={type === 'all' ? 'All types' : ws.typeLabel(type)}
            selectedOptions={[type]}
            onOptionSelect={(_, d) => setType(d.optionValue ?? 'all')}
          >
            <Option value="all">All types</Option>
            {typesPresent.map((t) => (
              <Option key={t} value={t}>
                {ws.typeLabel(t)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        {judgement ? (
          <Text className={styles.muted} data-testid="missing-count">
            {items.length === judgement.items.length
              ? `${formatCount(items.length)} missing`
              : `${formatCount(items.length)} of ${formatCount(judgement.items.length)} missing`}
          </Text>
        ) : null}
      </div>
      {judgement === null ? (
        <SkeletonRows label="Judging missing objects…" />
      ) : items.length === 0 ? null : (
        <Table
          size="small"
          aria-label="Missing objects"
          {...grid.gridProps}
          className={mergeClasses(table.autoTable, grid.gridProps.className)}
        >
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Object</TableHeaderCell>
              <TableHeaderCell>Policy type</TableHeaderCell>
              <TableHeaderCell>Reason</TableHeaderCell>
              <TableHeaderCell>First seen</TableHeaderCell>
              <TableHeaderCell>Last seen</TableHeaderCell>
              <TableHeaderCell>Missing since</TableHeaderCell>
              <TableHeaderCell>Still missing after</TableHeaderCell>
              <TableHeaderCell>Decided by</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((i, index) => (
              <TableRow
                key={i.itemId}
                data-testid="missing-row"
                data-reason={i.reason}
                {...grid.rowProps(index)}
              >
                <TableCell>{visibleText(i.displayName)}</TableCell>
                <TableCell>{ws.typeLabel(i.policyType)}</TableCell>
                <TableCell>
                  {i.reason === 'absent' ? (
                    <StatusBadge status="absent" detail={`in run #${judgement.judgedBy?.runId ?? '?'}`} />
                  ) : (
                    <StatusBadge status="not_collected" />
                  )}
                </TableCell>
                <TableCell className={table.oneLine} data-column="firstSeenAt">
                  {formatDateTime(i.firstSeenAt)}
                </TableCell>
                <TableCell className={table.oneLine} data-column="lastSeenAt">
                  {formatDateTime(i.lastSeenAt)}
                </TableCell>
                <TableCell className={table.oneLine} data-column="missingSince">
                  {formatDateTime(i.missingSince)}
                </TableCell>
                <TableCell data-testid="absent-runs">
                  {/* how settled the disappearance is: 1 a fresh one, 30 an old one; not judged when not collected */}
                  {i.reason === 'absent' ? plural(i.absentInCompleteRuns, 'complete run') : '—'}
                </TableCell>
                <TableCell>run #{judgement.judgedBy?.runId ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  )
}
