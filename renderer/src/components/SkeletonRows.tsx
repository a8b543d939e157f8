import { makeStyles, Skeleton, SkeletonItem, tokens } from '@fluentui/react-components'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1
  },
  row: { display: 'grid', gridTemplateColumns: '1fr 2fr 1fr 1fr', gap: tokens.spacingHorizontalL }
})

/**
 * Placeholder rows while a table loads (ui-design.md: Skeleton rows, not a spinner), so the page keeps its
 * shape. `label` is what a screen reader hears instead of the shimmer.
 */
export function SkeletonRows({ label, rows = 5 }: { label: string; rows?: number }) {
  const styles = useStyles()
  return (
    <Skeleton className={styles.root} aria-label={label} data-testid="skeleton">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={styles.row}>
          <SkeletonItem size={16} />
          <SkeletonItem size={16} />
          <SkeletonItem size={16} />
          <SkeletonItem size={16} />
        </div>
      ))}
    </Skeleton>
  )
}
