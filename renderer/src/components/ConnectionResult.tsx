import { useState } from 'react'
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Caption1,
  Input,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  tokens
} from '@fluentui/react-components'
import { CopyRegular } from '@fluentui/react-icons'
import type { ConnectionReport } from '../atlas-client'
import { plural } from '../format'
import { withNotLicensed } from '../tenant-form'
import type { Workspace } from '../state/use-workspace'
import { ErrorBar } from './ErrorBar'
import { StatusBadge } from './StatusBadge'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: {
    display: 'grid',
    gridTemplateColumns: '1fr auto',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`
  },
  scopes: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    gridColumn: '1 / span 2'
  },
  note: { gridColumn: '1 / span 2', display: 'flex', flexDirection: 'column' },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  hint: { color: tokens.colorNeutralForeground3 },
  consent: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end' },
  consentInput: { flex: 1 }
})

/** What a sync of this tenant could read, per type, and where an admin grants what is missing. */
export function ConnectionResult({
  ws,
  report,
  excluded,
  onExclude
}: {
  ws: Workspace
  report: ConnectionReport
  /** the tenant's excluded types, so the offer below names only what is new */
  excluded: string[]
  /** saves the given exclusions; absent while the drawer is busy */
  onExclude?: ((types: string[]) => void) | undefined
}) {
  const styles = useStyles()
  const [copied, setCopied] = useState(false)
  if (!report.auth.ok) {
    // the report carries code and message; the hint is the engine's for that code
    return (
      <ErrorBar
        error={{ code: report.auth.code, message: report.auth.message, hint: ws.codeHint(report.auth.code) }}
      />
    )
  }
  const suggestion = withNotLicensed(excluded, report.types)
  const total = report.types.length
  const readable = report.summary.readable
  const needPermission = report.summary.missing_permission
  const byCategory = new Map<string, ConnectionReport['types']>()
  for (const probe of report.types) {
    const cat = ws.types.get(probe.policyType)?.category ?? 'other'
    byCategory.set(cat, [...(byCategory.get(cat) ?? []), probe])
  }
  const catLabel = (key: string) => ws.categories.find((c) => c.key === key)?.label ?? key
  const copy = async () => {
    await navigator.clipboard.writeText(report.adminConsentUrl)
    setCopied(true)
  }
  return (
    <div className={styles.root} data-testid="connection-result">
      <MessageBar intent={readable === total ? 'success' : 'warning'}>
        <MessageBarBody>
          <MessageBarTitle>
            {readable} of {plural(total, 'type')} readable.
          </MessageBarTitle>
          {needPermission
            ? `${plural(needPermission, 'type')} ${needPermission === 1 ? 'needs' : 'need'} permissions. `
            : ''}
          {report.summary.not_licensed ? `${plural(report.summary.not_licensed, 'type')} not licensed. ` : ''}
          {report.summary.no_intune ? `${plural(report.summary.no_intune, 'type')} without Intune. ` : ''}
          {report.summary.error ? `${plural(report.summary.error, 'type')} could not be read. ` : ''}
        </MessageBarBody>
        {needPermission || suggestion ? (
          <MessageBarActions>
            {needPermission ? (
              <Button size="small" icon={<CopyRegular />} onClick={() => void copy()}>
                {copied ? 'Copied' : 'Copy admin-consent link'}
              </Button>
            ) : null}
            {suggestion ? (
              <Button size="small" disabled={!onExclude} onClick={() => onExclude?.(suggestion)}>
                Exclude these not-licensed types
              </Button>
            ) : null}
          </MessageBarActions>
        ) : null}
      </MessageBar>
      {needPermission ? (
        <div className={styles.consent}>
          <Input
            className={styles.consentInput}
            readOnly
            value={report.adminConsentUrl}
            aria-label="Admin-consent link: a Global Administrator of the client tenant opens it to grant the permissions"
          />
        </div>
      ) : null}
      <Accordion
        multiple
        collapsible
        defaultOpenItems={[...byCategory.keys()].filter((c) =>
          byCategory.get(c)!.some((p) => p.access !== 'readable')
        )}
      >
        {[...byCategory.entries()].map(([cat, probes]) => {
          const bad = probes.filter((p) => p.access !== 'readable').length
          return (
            <AccordionItem key={cat} value={cat}>
              <AccordionHeader size="small">
                {catLabel(cat)} ·{' '}
                {bad ? `${bad} of ${probes.length} not readable` : `${probes.length} readable`}
              </AccordionHeader>
              <AccordionPanel>
                {probes.map((p) => (
                  <ProbeRow key={p.policyType} ws={ws} probe={p} />
                ))}
              </AccordionPanel>
            </AccordionItem>
          )
        })}
      </Accordion>
    </div>
  )
}

/**
 * One type's answer. A type that could not be read for another reason than a permission shows the error
 * as the rest of the window does: the code's few words on the badge, then the message, the code and the
 * engine's hint (never the bare code alone).
 */
function ProbeRow({ ws, probe: p }: { ws: Workspace; probe: ConnectionReport['types'][number] }) {
  const styles = useStyles()
  const failed = p.access === 'error' || p.access === 'no_intune'
  const hint = p.access === 'readable' || p.access === 'missing_permission' ? undefined : ws.codeHint(p.code)
  return (
    <div className={styles.row} data-testid="probe" data-access={p.access} data-type={p.policyType}>
      <span>{p.label}</span>
      <StatusBadge
        status={p.access === 'error' || p.access === 'no_intune' ? 'not_collected' : p.access}
        detail={failed && p.code ? ws.codeLabel(p.code) : undefined}
      />
      {p.access === 'missing_permission' ? (
        <Caption1 className={styles.scopes}>
          Grant one of: {(p.missingScopes?.length ? p.missingScopes : p.requiredPermissions).join(', ')}
        </Caption1>
      ) : p.access !== 'readable' && (p.message || hint) ? (
        <div className={styles.note} data-testid="probe-error">
          {p.message ? (
            <Caption1>
              {p.message}
              {p.code ? (
                <>
                  {' '}
                  <code className={styles.code}>{p.code}</code>
                </>
              ) : null}
            </Caption1>
          ) : null}
          {hint ? <Caption1 className={styles.hint}>{hint}</Caption1> : null}
        </div>
      ) : null}
    </div>
  )
}
