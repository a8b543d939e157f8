import type { ReactNode } from 'react'
import { Caption1, makeStyles, Title3, tokens, Toolbar } from '@fluentui/react-components'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  toolbar: { paddingLeft: 0, flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  caption: { color: tokens.colorNeutralForeground3 }
})

/** Title3, the freshness line ("Observed 2 hours ago · run #44"), and the page's commands. */
export function PageHeader({
  title,
  caption,
  children
}: {
  title: string
  caption?: ReactNode
  children?: ReactNode
}) {
  const styles = useStyles()
  return (
    <div className={styles.root}>
      <Title3 as="h2">{title}</Title3>
      {caption ? <Caption1 className={styles.caption}>{caption}</Caption1> : null}
      {children ? (
        <Toolbar aria-label={`${title} commands`} className={styles.toolbar}>
          {children}
        </Toolbar>
      ) : null}
    </div>
  )
}
