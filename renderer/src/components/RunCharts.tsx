import { useEffect, useMemo, useState } from 'react'
import { GanttChart, VerticalBarChart } from '@fluentui/react-charts'
import { Caption1, makeStyles, Subtitle2, tokens } from '@fluentui/react-components'
import { toShownError, unwrap, type RunSummary, type TenantView } from '../atlas-client'
import { formatCount, formatDateTime, runDuration } from '../format'
import { runStatus, type Status } from '../status'
import type { Workspace } from '../state/use-workspace'
import { fittedTimeAxis } from '../time-axis'
import { useElementWidth } from './use-element-width'

const useStyles = makeStyles({
  root: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(380px, 1fr))',
    gap: tokens.spacingHorizontalL
  },
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: 0
  },
  chart: { height: '220px', minWidth: 0 },
  sub: { color: tokens.colorNeutralForeground3 },
  dataTable: {
    fontSize: tokens.fontSizeBase200,
    borderCollapse: 'collapse',
    '& td, & th': { paddingRight: tokens.spacingHorizontalM, textAlign: 'left' }
  }
})

/** Run outcome → a colour of the Fluent palette (the status badge's meaning, same in light and dark). */
const STATUS_COLOR: Partial<Record<Status, string>> = {
  success: tokens.colorPaletteGreenForeground1,
  partial: tokens.colorPaletteDarkOrangeForeground1,
  failed: tokens.colorPaletteRedForeground1,
  running: tokens.colorBrandForeground1
}
const STATUS_WORD: Partial<Record<Status, string>> = {
  success: 'Complete',
  partial: 'Partial',
  failed: 'Failed',
  running: 'Running',
  cancelled: 'Cancelled',
  abandoned: 'Interrupted',
  skipped: 'Skipped'
}

/** The newest runs drawn (older ones are in the list below). */
const TIMELINE_RUNS = 20
/** The timeline's margins: room for the run numbers on the left, the chart's own on the right. */
const TIMELINE_MARGIN = { left: 80, right: 20 }
/** The x-axis of a panel at its least width (the grid's 380 px less padding and margins). */
const MIN_AXIS_WIDTH = 250

/**
 * The pictures of one tenant: its recent runs on a timeline (start to end, coloured by outcome) and its
 * stored objects per category. Each has its data as a small table too, for screen readers and for anyone
 * who would rather read numbers.
 */
export function RunCharts({ ws, tenant, runs }: { ws: Workspace; tenant: TenantView; runs: RunSummary[] }) {
  const styles = useStyles()
  const [byCategory, setByCategory] = useState<Array<{
    category: string
    label: string
    count: number
  }> | null>(null)

  useEffect(() => {
    let current = true
    unwrap(ws.atlas.crossTenantMatrix({ by: 'type' }))
      .then((m) => {
        if (!current) return
        const totals = new Map<string, number>()
        for (const row of m.rows) {
          const n = row.counts[tenant.id] ?? 0
          if (n > 0) totals.set(row.category, (totals.get(row.category) ?? 0) + n)
        }
        setByCategory(
          ws.categories
            .filter((c) => totals.has(c.key))
            .map((c) => ({ category: c.key, label: c.label, count: totals.get(c.key)! }))
        )
      })
      .catch((err: unknown) => current && ws.setError(toShownError(err)))
    return () => {
      current = false
    }
  }, [ws.atlas, ws.setError, ws.categories, ws.runsVersion, tenant.id])

  const timeline = useMemo(
    () =>
      runs
        .filter((r) => r.finishedAt !== null)
        .slice(0, TIMELINE_RUNS)
        .map((r) => {
          const status = runStatus(r)
          const start = Date.parse(r.startedAt)
          // a run shorter than a pixel still shows as a mark: at least a second wide
          const end = Math.max(Date.parse(r.finishedAt!), start + 1000)
          return {
            run: r,
            word: STATUS_WORD[status] ?? 'Other',
            point: {
              x: { start: new Date(start), end: new Date(end) },
              y: `#${r.id}`,
              legend: STATUS_WORD[status] ?? 'Other',
              color: STATUS_COLOR[status] ?? tokens.colorNeutralForeground3
            }
          }
        }),
    [runs]
  )
  // the chart's own ticks are in UTC and, for runs seconds apart, bare repeated seconds; these fit its width
  const [chartWidth, chartRef] = useElementWidth()
  const axis = useMemo(() => {
    if (timeline.length === 0) return null
    const start = Math.min(...timeline.map((t) => +t.point.x.start))
    const end = Math.max(...timeline.map((t) => +t.point.x.end))
    const axisWidth = chartWidth - TIMELINE_MARGIN.left - TIMELINE_MARGIN.right
    // before the first layout there is no width yet: ticks for a chart of the panel's least width
    return fittedTimeAxis(start, end, axisWidth > 0 ? axisWidth : MIN_AXIS_WIDTH)
  }, [timeline, chartWidth])

  return (
    <div className={styles.root}>
      <section className={styles.panel} aria-label="Runs timeline" data-testid="runs-timeline">
        <Subtitle2 as="h3">Runs timeline</Subtitle2>
        {axis === null ? (
          <Caption1 className={styles.sub}>No finished run yet.</Caption1>
        ) : (
          <div className={styles.chart} ref={chartRef}>
            <GanttChart
              data={timeline.map((t) => t.point)}
              margins={TIMELINE_MARGIN}
              barHeight={14}
              useUTC={false}
              tickValues={axis.ticks}
              customDateTimeFormatter={axis.format}
            />
          </div>
        )}
        <details>
          <summary>Runs as a table</summary>
          <table className={styles.dataTable} aria-label={`Recent runs of ${tenant.displayName}`}>
            <thead>
              <tr>
                <th>Run</th>
                <th>Outcome</th>
                <th>Started</th>
                <th>Duration</th>
              </tr>
            </thead>
            <tbody>
              {timeline.map(({ run, word }) => (
                <tr key={run.id} data-testid="timeline-row">
                  <td>#{run.id}</td>
                  <td>{word}</td>
                  <td>{formatDateTime(run.startedAt)}</td>
                  <td>{runDuration(run.startedAt, run.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>
      <section className={styles.panel} aria-label="Objects per category" data-testid="category-chart">
        <Subtitle2 as="h3">Objects per category</Subtitle2>
        {byCategory && byCategory.length > 0 ? (
          <div className={styles.chart}>
            <VerticalBarChart
              data={byCategory.map((c) => ({ x: c.label, y: c.count, legend: c.label }))}
              useSingleColor
              colors={[tokens.colorBrandBackground]}
              hideLegend
              rotateXAxisLables
            />
          </div>
        ) : (
          <Caption1 className={styles.sub}>No objects stored yet.</Caption1>
        )}
        <details>
          <summary>Categories as a table</summary>
          <table className={styles.dataTable} aria-label={`Objects per category in ${tenant.displayName}`}>
            <thead>
              <tr>
                <th>Category</th>
                <th>Objects</th>
              </tr>
            </thead>
            <tbody>
              {(byCategory ?? []).map((c) => (
                <tr key={c.category} data-testid="category-row" data-category={c.category}>
                  <td>{c.label}</td>
                  <td>{formatCount(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>
    </div>
  )
}
