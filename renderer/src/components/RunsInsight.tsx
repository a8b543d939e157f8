import { useEffect, useId, useState } from 'react'
import {
  Button,
  Caption1,
  Field,
  Link,
  makeStyles,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Toast,
  ToastBody,
  Toaster,
  ToastTitle,
  tokens,
  useToastController
} from '@fluentui/react-components'
import { ArchiveRegular, BookmarkRegular } from '@fluentui/react-icons'
import { toShownError, unwrap, type RunSummary, type TenantView } from '../atlas-client'
import { formatDateTime } from '../format'
import { RunCharts } from './RunCharts'
import { changesLine, useChangesSummaries } from '../insight/use-changes'
import type { Workspace } from '../state/use-workspace'
import type { ChangesReport } from '../../../preload/contract'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium
  },
  bar: { display: 'flex', alignItems: 'flex-end', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
  sub: { color: tokens.colorNeutralForeground3 },
  table: { backgroundColor: tokens.colorNeutralBackground1 }
})

/**
 * "Since my last visit" for one tenant: mark a finished run as the last visit, see what is new, changed and
 * gone since it, and write the tenant's audit pack. Sits above the runs list.
 */
export function RunsInsight({ ws, tenant, runs }: { ws: Workspace; tenant: TenantView; runs: RunSummary[] }) {
  const styles = useStyles()
  const selectId = useId()
  const [version, setVersion] = useState(0)
  const summary = useChangesSummaries(ws, version)[tenant.id]
  const finished = runs.filter((r) => r.finishedAt !== null)
  const [picked, setPicked] = useState<number | null>(null)
  const [report, setReport] = useState<ChangesReport | null>(null)
  const choice = picked ?? finished[0]?.id ?? null

  useEffect(() => {
    let current = true
    if (!summary?.runId) {
      setReport(null)
      return
    }
    unwrap(ws.atlas.getChanges({ tenantId: tenant.id }))
      .then((r) => current && setReport(r))
      .catch((err: unknown) => current && ws.setError(toShownError(err)))
    return () => {
      current = false
    }
  }, [ws.atlas, ws.setError, tenant.id, summary?.runId, summary?.counts, ws.runsVersion])

  const mark = async () => {
    if (choice === null) return
    try {
      await unwrap(ws.atlas.markLastVisit({ tenantId: tenant.id, runId: choice }))
      setVersion((v) => v + 1)
    } catch (err) {
      ws.setError(toShownError(err))
    }
  }

  const line = summary ? changesLine(summary) : null
  return (
    <section className={styles.root} aria-label="Since your last visit" data-testid="runs-insight">
      <div className={styles.bar}>
        <Field label="Mark a run as your last visit" size="small">
          <Select
            id={selectId}
            size="small"
            value={choice === null ? '' : String(choice)}
            disabled={finished.length === 0}
            onChange={(_, d) => setPicked(Number(d.value))}
          >
            {finished.map((r) => (
              <option key={r.id} value={r.id}>
                #{r.id} · {formatDateTime(r.finishedAt)}
              </option>
            ))}
          </Select>
        </Field>
        <Button
          size="small"
          icon={<BookmarkRegular />}
          disabled={choice === null}
          onClick={() => void mark()}
        >
          Mark as my last visit
        </Button>
        <AuditPackButton ws={ws} tenant={tenant} />
      </div>
      {line ? (
        <Text weight="semibold" data-testid="changes-line">
          {line} (run #{summary?.runId})
        </Text>
      ) : (
        <Caption1 className={styles.sub}>
          No run marked yet: mark one to see what is new, changed and gone since then.
        </Caption1>
      )}
      {report ? <ChangesTables report={report} typeLabel={ws.typeLabel} /> : null}
      <RunCharts ws={ws} tenant={tenant} runs={runs} />
    </section>
  )
}

/** A first sync after a long absence can change thousands of objects: the panel shows the first ones. */
const CHANGES_SHOWN = 200

function ChangesTables({ report, typeLabel }: { report: ChangesReport; typeLabel: (k: string) => string }) {
  const styles = useStyles()
  const rows = [
    ...report.new.map((i) => ({
      kind: 'New',
      key: `n${i.id}`,
      type: i.policyType,
      name: i.displayName,
      note: `first seen ${formatDateTime(i.firstSeenAt)}`
    })),
    ...report.changed.map((i) => ({
      kind: 'Changed',
      key: `c${i.id}`,
      type: i.policyType,
      name: i.displayName,
      note: `changed ${formatDateTime(i.updatedAt)}`
    })),
    ...report.gone.map((i) => ({
      kind: 'Gone',
      key: `g${i.itemId}`,
      type: i.policyType,
      name: i.displayName,
      note: `${i.reason === 'absent' ? 'absent' : 'not collected'} since ${formatDateTime(i.missingSince)}${report.lowConfidence ? ' · low confidence' : ''}`
    }))
  ]
  if (rows.length === 0) return <Caption1 className={styles.sub}>Nothing changed since then.</Caption1>
  return (
    <>
      <Table size="extra-small" aria-label="Changes since your last visit" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Change</TableHeaderCell>
            <TableHeaderCell>Type</TableHeaderCell>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Detail</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.slice(0, CHANGES_SHOWN).map((r) => (
            <TableRow key={r.key} data-testid="change-row" data-kind={r.kind.toLowerCase()}>
              <TableCell>{r.kind}</TableCell>
              <TableCell>{typeLabel(r.type)}</TableCell>
              <TableCell>{r.name}</TableCell>
              <TableCell>{r.note}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {rows.length > CHANGES_SHOWN ? (
        <Caption1 className={styles.sub}>
          Showing {CHANGES_SHOWN} of {rows.length} changes: `tenant-atlas changes --tenant … --json` lists
          them all.
        </Caption1>
      ) : null}
    </>
  )
}

/** "Audit pack": main chooses the folder (a dialog in the app, the export folder under the web host). */
export function AuditPackButton({ ws, tenant }: { ws: Workspace; tenant: TenantView }) {
  const toasterId = useId()
  const { dispatchToast } = useToastController(toasterId)
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    try {
      const outcome = await unwrap(ws.atlas.exportAuditPack({ tenant: tenant.id }))
      if (outcome.canceled) return
      dispatchToast(
        <Toast>
          <ToastTitle>Audit pack written: {outcome.files.length} files and a manifest</ToastTitle>
          <ToastBody data-testid="pack-done">
            <Link inline as="span">
              {outcome.dir}
            </Link>
          </ToastBody>
        </Toast>,
        { intent: 'success', timeout: 8000 }
      )
    } catch (err) {
      ws.setError(toShownError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <Button size="small" icon={<ArchiveRegular />} disabled={busy} onClick={() => void run()}>
        Audit pack
      </Button>
      <Toaster toasterId={toasterId} position="bottom-end" />
    </>
  )
}
