import { useState } from 'react'
import {
  Body1,
  Button,
  Caption1,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  makeStyles,
  OverlayDrawer,
  Subtitle2,
  tokens
} from '@fluentui/react-components'
import { CheckmarkRegular, CopyRegular, DismissRegular } from '@fluentui/react-icons'
import type { InventoryItemView } from '../atlas-client'
import { formatDateTime, visibleText } from '../format'
import { platformLabel } from './columns'

const useStyles = makeStyles({
  // names and ids from a tenant may be one long word: wrap anywhere rather than widen the drawer
  title: { overflowWrap: 'anywhere', minWidth: 0 },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    alignItems: 'center',
    margin: 0
  },
  term: { color: tokens.colorNeutralForeground3 },
  detail: {
    margin: 0,
    overflowWrap: 'anywhere',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS
  },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  meta: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    margin: 0,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium
  }
})

/** Copies a value to the clipboard and says so on the button for a moment. */
function CopyButton({ value, what }: { value: string; what: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <Button
      size="small"
      appearance="subtle"
      icon={copied ? <CheckmarkRegular /> : <CopyRegular />}
      // the name starts with the visible word, as assistive tech users say what they see
      aria-label={`${copied ? 'Copied' : 'Copy'} ${what}`}
      onClick={() => {
        void navigator.clipboard.writeText(value).then(
          () => setCopied(true),
          () => setCopied(false)
        )
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </Button>
  )
}

/**
 * One object's details: identity, when it was first and last seen and by which run, and the properties
 * the engine keeps for it (a whitelist) pretty-printed. Everything is rendered as text: names and
 * properties come from client tenants and may hold markup.
 */
export function ItemDrawer({
  item,
  typeLabel,
  categoryLabel,
  onClose
}: {
  item: InventoryItemView
  typeLabel: (key: string) => string
  categoryLabel: (key: string) => string
  onClose: () => void
}) {
  const styles = useStyles()
  const seen = (at: string, runId: number | null) =>
    runId === null ? `${formatDateTime(at)} (run deleted)` : `${formatDateTime(at)} · run #${runId}`
  return (
    <OverlayDrawer open position="end" size="medium" onOpenChange={(_, d) => !d.open && onClose()}>
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={onClose} />
          }
        >
          <span className={styles.title} data-testid="item-drawer-title">
            {visibleText(item.displayName) || '(no name)'}
          </span>
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        <div className={styles.body} data-testid="item-drawer">
          <dl className={styles.facts}>
            <dt className={styles.term}>Type</dt>
            <dd className={styles.detail}>{typeLabel(item.policyType)}</dd>
            <dt className={styles.term}>Category</dt>
            <dd className={styles.detail}>{categoryLabel(item.category)}</dd>
            <dt className={styles.term}>Platform</dt>
            <dd className={styles.detail}>{platformLabel(item.platform)}</dd>
            <dt className={styles.term}>Object id</dt>
            <dd className={styles.detail}>
              <span className={styles.mono} data-testid="item-external-id">
                {item.externalId}
              </span>
              <CopyButton value={item.externalId} what="object id" />
            </dd>
            <dt className={styles.term}>Type key</dt>
            <dd className={styles.detail}>
              <span className={styles.mono}>{item.policyType}</span>
              <CopyButton value={item.policyType} what="type key" />
            </dd>
            <dt className={styles.term}>First seen</dt>
            <dd className={styles.detail} data-testid="item-first-seen">
              {seen(item.firstSeenAt, item.firstSeenRunId)}
            </dd>
            <dt className={styles.term}>Last seen</dt>
            <dd className={styles.detail} data-testid="item-last-seen">
              {seen(item.lastSeenAt, item.lastSeenRunId)}
            </dd>
            {item.builtIn ? (
              <>
                <dt className={styles.term}>Built-in</dt>
                <dd className={styles.detail}>Microsoft built-in object</dd>
              </>
            ) : null}
          </dl>
          <Subtitle2 as="h3">Stored properties</Subtitle2>
          <Caption1>The properties Tenant Atlas keeps for this type, as last observed.</Caption1>
          {Object.keys(item.meta).length === 0 ? (
            <Body1>None kept for this type.</Body1>
          ) : (
            <pre className={styles.meta} data-testid="item-meta" tabIndex={0} aria-label="Stored properties">
              {JSON.stringify(item.meta, null, 2)}
            </pre>
          )}
        </div>
      </DrawerBody>
    </OverlayDrawer>
  )
}
