import { useDeferredValue, useEffect, useState } from 'react'
import {
  Button,
  Caption1,
  makeStyles,
  mergeClasses,
  Radio,
  RadioGroup,
  SearchBox,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
  tokens,
  ToolbarDivider
} from '@fluentui/react-components'
import { toShownError, unwrap } from '../atlas-client'
import { useTableStyles } from '../components/table-styles'
import { PageHeader } from '../components/PageHeader'
import { formatCount, formatDateTime, plural } from '../format'
import type { Ui } from '../state/ui'
import type { Workspace } from '../state/use-workspace'
import type { CrossTenantMatrix, CrossTenantObject, CrossTenantRow } from '../../../preload/contract'

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  sub: { color: tokens.colorNeutralForeground3 },
  rowHead: { minWidth: '220px' },
  count: { fontVariantNumeric: 'tabular-nums', minWidth: '48px' },
  // counts are flush buttons (table-styles.ts): the dash starts where their labels do
  absent: { color: tokens.colorNeutralForeground3 },
  rowButton: { fontWeight: tokens.fontWeightRegular },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS }
})

interface CellPick {
  title: string
  tenantId?: string
  policyType: string
  nameKey?: string
}

/**
 * Every client side by side, from the offline store only: rows are policy types (or type + normalised
 * display name), columns are tenants, cells count objects; a cell lists its objects, and the search box
 * searches every tenant at once.
 */
export function CrossTenantScreen({ ws }: { ws: Workspace; ui: Ui }) {
  const styles = useStyles()
  const table = useTableStyles()
  const [by, setBy] = useState<'type' | 'name'>('type')
  const [query, setQuery] = useState('')
  const search = useDeferredValue(query.trim())
  const [matrix, setMatrix] = useState<CrossTenantMatrix | null>(null)
  const [pick, setPick] = useState<CellPick | null>(null)
  const [objects, setObjects] = useState<{ total: number; items: CrossTenantObject[] } | null>(null)

  useEffect(() => {
    let current = true
    unwrap(ws.atlas.crossTenantMatrix({ by, ...(search ? { search } : {}) }))
      .then((m) => current && setMatrix(m))
      .catch((err: unknown) => current && ws.setError(toShownError(err)))
    return () => {
      current = false
    }
  }, [ws.atlas, ws.setError, ws.runsVersion, by, search])

  useEffect(() => {
    let current = true
    if (!pick && !search) {
      setObjects(null)
      return
    }
    const filter = pick ? { tenantId: pick.tenantId, policyType: pick.policyType, nameKey: pick.nameKey } : {}
    unwrap(ws.atlas.crossTenantObjects({ ...filter, ...(search ? { search } : {}), limit: 500 }))
      .then((o) => current && setObjects(o))
      .catch((err: unknown) => current && ws.setError(toShownError(err)))
    return () => {
      current = false
    }
  }, [ws.atlas, ws.setError, pick, search])

  const rowTitle = (r: CrossTenantRow): string =>
    r.displayName === null ? r.policyTypeLabel : `${r.policyTypeLabel} · ${r.displayName}`
  const tenantName = (id: string): string => matrix?.tenants.find((t) => t.id === id)?.displayName ?? id

  return (
    <>
      <PageHeader
        title="Compare tenants"
        caption={
          matrix
            ? `${plural(matrix.rows.length, by === 'type' ? 'policy type' : 'row')} across ${plural(matrix.tenants.length, 'tenant')} · from the local store, no network needed`
            : undefined
        }
      >
        <RadioGroup
          layout="horizontal"
          value={by}
          aria-label="Rows"
          onChange={(_, d) => {
            setBy(d.value as 'type' | 'name')
            setPick(null)
          }}
        >
          <Radio value="type" label="By policy type" />
          <Radio value="name" label="By type and name" />
        </RadioGroup>
        <ToolbarDivider />
        <SearchBox
          placeholder="Search all tenants"
          aria-label="Search all tenants"
          value={query}
          onChange={(_, d) => {
            setQuery(d.value)
            setPick(null)
          }}
        />
      </PageHeader>
      {matrix === null ? (
        <Spinner label="Comparing tenants…" />
      ) : matrix.rows.length === 0 ? (
        <Text>
          {search
            ? `Nothing in any tenant matches ‘${search}’.`
            : 'No objects stored yet: sync a tenant first.'}
        </Text>
      ) : (
        <Table
          size="small"
          aria-label="Objects per policy type and tenant"
          className={styles.table}
          data-testid="cross-matrix"
        >
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.rowHead}>
                {by === 'type' ? 'Policy type' : 'Policy type · name'}
              </TableHeaderCell>
              {matrix.tenants.map((t) => (
                <TableHeaderCell key={t.id}>{t.displayName}</TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {matrix.rows.map((r) => (
              <TableRow key={r.key} data-testid="cross-row" data-type={r.policyType}>
                <TableCell>
                  <Button
                    appearance="transparent"
                    size="small"
                    className={mergeClasses(table.flushButton, styles.rowButton)}
                    onClick={() =>
                      setPick({
                        title: rowTitle(r),
                        policyType: r.policyType,
                        nameKey: r.nameKey ?? undefined
                      })
                    }
                  >
                    {rowTitle(r)}
                  </Button>
                </TableCell>
                {matrix.tenants.map((t) => {
                  const n = r.counts[t.id] ?? 0
                  return (
                    <TableCell key={t.id} className={styles.count}>
                      {n === 0 ? (
                        <span
                          className={styles.absent}
                          data-testid="cross-cell"
                          data-tenant={t.displayName}
                          data-count={0}
                          aria-label={`${t.displayName}: none`}
                        >
                          —
                        </span>
                      ) : (
                        <Button
                          size="small"
                          appearance="subtle"
                          className={table.flushButton}
                          data-testid="cross-cell"
                          data-tenant={t.displayName}
                          data-count={n}
                          aria-label={`${t.displayName}: ${n} ${rowTitle(r)}`}
                          onClick={() =>
                            setPick({
                              title: `${rowTitle(r)} in ${t.displayName}`,
                              tenantId: t.id,
                              policyType: r.policyType,
                              nameKey: r.nameKey ?? undefined
                            })
                          }
                        >
                          {formatCount(n)}
                        </Button>
                      )}
                    </TableCell>
                  )
                })}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {matrix?.truncated ? (
        <Caption1 className={styles.sub}>Only the first rows are shown: narrow with the search box.</Caption1>
      ) : null}
      {objects ? (
        <section className={styles.section} aria-label="Objects" data-testid="cross-objects">
          <Title3 as="h3">
            {pick ? pick.title : `Matches for ‘${search}’ in every tenant`} ·{' '}
            {plural(objects.total, 'object')}
          </Title3>
          <Table size="small" aria-label="Objects found" className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Tenant</TableHeaderCell>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Type</TableHeaderCell>
                <TableHeaderCell>Platform</TableHeaderCell>
                <TableHeaderCell>Last seen</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {objects.items.map((o) => (
                <TableRow key={o.id} data-testid="cross-object" data-tenant={tenantName(o.tenantId)}>
                  <TableCell>{o.tenantName}</TableCell>
                  <TableCell>{o.displayName}</TableCell>
                  <TableCell>{o.policyTypeLabel}</TableCell>
                  <TableCell>{o.platform}</TableCell>
                  <TableCell>{formatDateTime(o.lastSeenAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {objects.total > objects.items.length ? (
            <Caption1 className={styles.sub}>
              Showing {formatCount(objects.items.length)} of {formatCount(objects.total)}: narrow with the
              search box.
            </Caption1>
          ) : null}
        </section>
      ) : null}
    </>
  )
}
