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
                  <div key={p.policyType} className={styles.row} data-testid="probe" data-access={p.access}>
                    <span>{p.label}</span>
                    <StatusBadge
                      status={
                        p.access === 'readable' ||
                        p.access === 'missing_permission' ||
                        p.access === 'not_licensed'
                          ? p.access
                          : 'not_collected'
                      }
                      detail={p.access === 'error' || p.access === 'no_intune' ? p.code : undefined}
                    />
                    {p.access === 'missing_permission' ? (
                      <Caption1 className={styles.scopes}>
                        Grant one of:{' '}
                        {(p.missingScopes?.length ? p.missingScopes : p.requiredPermissions).join(', ')}
                      </Caption1>
                    ) : p.message && p.access !== 'readable' ? (
                      <Caption1 className={styles.scopes}>{p.message}</Caption1>
                    ) : null}
                  </div>
                ))}
              </AccordionPanel>
            </AccordionItem>
          )
        })}
      </Accordion>
    </div>
  )
}
