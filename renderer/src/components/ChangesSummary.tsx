import { Caption1, makeStyles, tokens } from '@fluentui/react-components'
import { HistoryRegular } from '@fluentui/react-icons'
import { changesLine, type LastVisitSummary } from '../insight/use-changes'

const useStyles = makeStyles({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground2
  }
})

/** What changed in a tenant since the run its user marked as their last visit; nothing without a mark. */
export function ChangesSummary({ summary }: { summary: LastVisitSummary | undefined }) {
  const styles = useStyles()
  const line = summary ? changesLine(summary) : null
  if (!line) return null
  return (
    <Caption1 className={styles.root} data-testid="changes-summary">
      <HistoryRegular aria-hidden />
      {line}
      {summary?.lowConfidence ? ' (gone: low confidence)' : ''}
    </Caption1>
  )
}
