import { useEffect, useRef, useState } from 'react'
import {
  Body1,
  Button,
  Caption1,
  DrawerBody,
  DrawerFooter,
  DrawerHeader,
  DrawerHeaderTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  OverlayDrawer,
  Radio,
  RadioGroup,
  Spinner,
  tokens
} from '@fluentui/react-components'
import { DismissRegular } from '@fluentui/react-icons'
import {
  toShownError,
  unwrap,
  type ConnectionReport,
  type ShownError,
  type TenantView
} from '../atlas-client'
import {
  cloudHosts,
  CLOUD_LABELS,
  emptyForm,
  excludedTypesChange,
  FIELD_PLACEHOLDERS,
  fieldHint,
  formOf,
  readCertificate,
  toAddInput,
  toUpdateInput,
  validateTenantForm,
  type Cloud,
  type Field as FormField,
  type FieldErrors,
  type TenantForm
} from '../tenant-form'
import type { Workspace } from '../state/use-workspace'
import { ConnectionResult } from './ConnectionResult'
import { ErrorBar } from './ErrorBar'
import { ExcludedTypesField } from './ExcludedTypesField'

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  footer: { display: 'flex', gap: tokens.spacingHorizontalS },
  hiddenFile: { display: 'none' }
})

/**
 * Add or edit a tenant (an OverlayDrawer from the right), then test its connection in the same drawer.
 * Each field is checked on blur and all of them on save; nothing invalid is sent to the engine.
 */
export function TenantDrawer({
  ws,
  tenant,
  testAfterOpen,
  onClose
}: {
  ws: Workspace
  tenant: TenantView | null
  testAfterOpen?: boolean | undefined
  onClose: () => void
}) {
  const styles = useStyles()
  const [form, setForm] = useState<TenantForm>(() =>
    tenant ? formOf(tenant, ws.clouds) : emptyForm(ws.clouds)
  )
  const [touched, setTouched] = useState<Partial<Record<FormField, boolean>>>({})
  const [errors, setErrors] = useState<FieldErrors>({})
  const [saved, setSaved] = useState<TenantView | null>(tenant)
  // 'form' to add or edit, 'test' for the saved tenant's details and connection test
  const [mode, setMode] = useState<'form' | 'test'>(tenant && testAfterOpen ? 'test' : 'form')
  const [busy, setBusy] = useState<'save' | 'test' | null>(null)
  const [error, setError] = useState<ShownError | null>(null)
  const [report, setReport] = useState<ConnectionReport | null>(null)
  const fileRef = useRef<HTMLInputElement>(null)
  // the form unmounts once saved: focus moves into the drawer body, so Esc and Tab keep working there
  const bodyRef = useRef<HTMLDivElement>(null)
  // once saved, the form edits: an empty credential keeps the stored one
  const editing = saved !== null

  const update = <K extends keyof TenantForm>(key: K, value: TenantForm[K]) => {
    setForm((f) => {
      const next = { ...f, [key]: value }
      // re-check a field already shown as wrong as the user fixes it, not before they leave it
      setErrors(pick(validateTenantForm(next, editing), touched))
      return next
    })
  }
  const blur = (field: FormField) => {
    const nextTouched = { ...touched, [field]: true }
    setTouched(nextTouched)
    setErrors(pick(validateTenantForm(form, editing), nextTouched))
  }
  const setCloud = (cloud: Cloud) => {
    setForm((f) => ({
      ...f,
      cloud,
      ...cloudHosts(cloud, ws.clouds)
    }))
  }

  const test = async (t: TenantView) => {
    setBusy('test')
    setError(null)
    setReport(null)
    try {
      setReport(await unwrap(ws.atlas.testConnection({ tenantId: t.id })))
    } catch (err) {
      setError(toShownError(err))
    } finally {
      setBusy(null)
    }
  }

  // "Test connection" from the list opens the drawer and tests once, when it opens
  const testedOnOpen = useRef(false)
  useEffect(() => {
    if (testedOnOpen.current || !testAfterOpen || !tenant) return
    testedOnOpen.current = true
    void test(tenant)
  })

  const save = async (andTest: boolean) => {
    const all = validateTenantForm(form, editing)
    setErrors(all)
    setTouched(Object.fromEntries(Object.keys(form).map((k) => [k, true])))
    if (Object.keys(all).length > 0) return
    setBusy('save')
    setError(null)
    try {
      let added = saved
        ? await unwrap(ws.atlas.updateTenant(toUpdateInput(saved, form)))
        : await unwrap(ws.atlas.addTenant(toAddInput(form)))
      const excluded = excludedTypesChange(added.excludedTypes, form.excludedTypes)
      if (excluded) {
        added = await unwrap(ws.atlas.setExcludedTypes({ tenantId: added.id, policyTypes: excluded }))
      }
      setSaved(added)
      setMode('test')
      setForm((f) => ({ ...f, secret: '', passphrase: '' }))
      bodyRef.current?.focus()
      await ws.refreshTenants()
      if (andTest) await test(added)
      else onClose()
    } catch (err) {
      setError(toShownError(err))
    } finally {
      setBusy((b) => (b === 'save' ? null : b))
    }
  }

  // the connection test's offer: leave the types the tenant has no licence for out of its syncs
  const exclude = async (t: TenantView, types: string[]) => {
    setBusy('save')
    setError(null)
    try {
      const updated = await unwrap(ws.atlas.setExcludedTypes({ tenantId: t.id, policyTypes: types }))
      setSaved(updated)
      setForm((f) => ({ ...f, excludedTypes: [...updated.excludedTypes] }))
      await ws.refreshTenants()
    } catch (err) {
      setError(toShownError(err))
    } finally {
      setBusy(null)
    }
  }

  const pickFile = async (file: File | undefined) => {
    if (!file) return
    try {
      update('certificate', await readCertificate(file))
      setTouched((t) => ({ ...t, certificate: true }))
    } catch (err) {
      setError(toShownError(err))
    }
  }

  const fieldProps = (field: FormField) => ({
    validationState: errors[field] ? ('error' as const) : ('none' as const),
    validationMessage: errors[field]
  })
  const customCloud = form.cloud === 'custom'

  return (
    <OverlayDrawer open position="end" size="medium" onOpenChange={(_, d) => !d.open && onClose()}>
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={onClose} />
          }
        >
          {mode === 'test' && saved
            ? `Test ${saved.displayName}`
            : saved
              ? `Edit ${saved.displayName}`
              : 'Add tenant'}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        <div className={styles.form} ref={bodyRef} tabIndex={-1} aria-label="Tenant details">
          {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
          {ws.vaultWarning && !saved ? (
            <MessageBar intent="warning">
              <MessageBarBody>
                No secure credential vault on this computer: the secret or certificate stays in memory for
                this session only and must be entered again after a restart.
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {mode === 'test' && saved ? (
            <TenantSummary tenant={saved} typeLabel={ws.typeLabel} />
          ) : (
            <form
              className={styles.form}
              aria-label="Tenant"
              noValidate
              onSubmit={(e) => {
                e.preventDefault()
                void save(true)
              }}
            >
              <Field label="Display name" required {...fieldProps('displayName')}>
                <Input
                  value={form.displayName}
                  onChange={(_, d) => update('displayName', d.value)}
                  onBlur={() => blur('displayName')}
                />
              </Field>
              <Field
                label="Tenant ID or domain"
                required
                hint={fieldHint('azureTenantId', form, editing)}
                {...fieldProps('azureTenantId')}
              >
                <Input
                  value={form.azureTenantId}
                  onChange={(_, d) => update('azureTenantId', d.value)}
                  onBlur={() => blur('azureTenantId')}
                />
              </Field>
              <Field
                label="Application (client) ID"
                required
                hint={fieldHint('clientId', form, editing)}
                {...fieldProps('clientId')}
              >
                <Input
                  value={form.clientId}
                  onChange={(_, d) => update('clientId', d.value)}
                  onBlur={() => blur('clientId')}
                />
              </Field>
              <Field label="Cloud">
                <RadioGroup value={form.cloud} onChange={(_, d) => setCloud(d.value as Cloud)}>
                  {(Object.keys(CLOUD_LABELS) as Cloud[]).map((c) => (
                    <Radio key={c} value={c} label={CLOUD_LABELS[c]} />
                  ))}
                </RadioGroup>
              </Field>
              <Field label="Authority host" required={customCloud} {...fieldProps('authorityHost')}>
                <Input
                  value={form.authorityHost}
                  readOnly={!customCloud}
                  placeholder={FIELD_PLACEHOLDERS.authorityHost}
                  onChange={(_, d) => update('authorityHost', d.value)}
                  onBlur={() => blur('authorityHost')}
                />
              </Field>
              <Field label="Graph endpoint" required={customCloud} {...fieldProps('graphEndpoint')}>
                <Input
                  value={form.graphEndpoint}
                  readOnly={!customCloud}
                  placeholder={FIELD_PLACEHOLDERS.graphEndpoint}
                  onChange={(_, d) => update('graphEndpoint', d.value)}
                  onBlur={() => blur('graphEndpoint')}
                />
              </Field>
              <ExcludedTypesField
                ws={ws}
                value={form.excludedTypes}
                onChange={(types) => update('excludedTypes', types)}
              />
              <Field label="Credential">
                <RadioGroup
                  layout="horizontal"
                  value={form.credentialKind}
                  onChange={(_, d) => update('credentialKind', d.value as TenantForm['credentialKind'])}
                >
                  <Radio value="secret" label="Client secret" />
                  <Radio value="certificate" label="Certificate (PEM or PFX)" />
                </RadioGroup>
              </Field>
              {form.credentialKind === 'secret' ? (
                <Field
                  label="Client secret"
                  required={!saved}
                  hint={fieldHint('secret', form, editing)}
                  {...fieldProps('secret')}
                >
                  <Input
                    type="password"
                    autoComplete="off"
                    value={form.secret}
                    onChange={(_, d) => update('secret', d.value)}
                    onBlur={() => blur('secret')}
                  />
                </Field>
              ) : (
                <>
                  <Field
                    label="Certificate file"
                    required
                    hint={fieldHint('certificate', form, editing)}
                    {...fieldProps('certificate')}
                  >
                    <Button onClick={() => fileRef.current?.click()}>
                      {form.certificate ? 'Choose another file…' : 'Choose file…'}
                    </Button>
                  </Field>
                  <input
                    ref={fileRef}
                    className={styles.hiddenFile}
                    type="file"
                    accept=".pem,.pfx,.p12,.crt,.key"
                    aria-label="Certificate file"
                    data-testid="certificate-file"
                    onChange={(e) => void pickFile(e.target.files?.[0])}
                  />
                  {form.certificate?.kind === 'pfx' ? (
                    <Field
                      label="Passphrase"
                      hint={fieldHint('passphrase', form, editing)}
                      {...fieldProps('passphrase')}
                    >
                      <Input
                        type="password"
                        autoComplete="off"
                        value={form.passphrase}
                        onChange={(_, d) => update('passphrase', d.value)}
                      />
                    </Field>
                  ) : null}
                </>
              )}
              {/* Enter in a field submits: "Save and test" */}
              <button type="submit" hidden />
            </form>
          )}
          {busy === 'test' ? (
            <Spinner size="small" label="Testing the connection: sign-in and one read per type…" />
          ) : null}
          {report && saved ? (
            <ConnectionResult
              ws={ws}
              report={report}
              excluded={saved.excludedTypes}
              onExclude={busy === null ? (types) => void exclude(saved, types) : undefined}
            />
          ) : null}
        </div>
      </DrawerBody>
      <DrawerFooter className={styles.footer}>
        {mode === 'test' && saved ? (
          <>
            <Button appearance="primary" onClick={() => void test(saved)} disabled={busy !== null}>
              {report ? 'Test again' : 'Test connection'}
            </Button>
            {saved.isDemo ? null : (
              <Button
                onClick={() => {
                  setForm(formOf(saved, ws.clouds))
                  setReport(null)
                  setMode('form')
                }}
                disabled={busy !== null}
              >
                Edit
              </Button>
            )}
            <Button onClick={onClose}>Close</Button>
          </>
        ) : (
          <>
            <Button appearance="primary" onClick={() => void save(true)} disabled={busy !== null}>
              Save and test
            </Button>
            <Button onClick={() => void save(false)} disabled={busy !== null}>
              Save
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </>
        )}
      </DrawerFooter>
    </OverlayDrawer>
  )
}

function pick(errors: FieldErrors, touched: Partial<Record<FormField, boolean>>): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => touched[k as FormField])) as FieldErrors
}

/** A saved tenant at a glance, above its connection test. */
function TenantSummary({ tenant, typeLabel }: { tenant: TenantView; typeLabel: (key: string) => string }) {
  const rows: Array<[string, string]> = [
    ['Tenant ID or domain', tenant.azureTenantId],
    ['Application (client) ID', tenant.clientId],
    ['Cloud', CLOUD_LABELS[tenant.cloud]],
    ...(tenant.cloud === 'custom'
      ? ([
          ['Authority host', tenant.authorityHost ?? ''],
          ['Graph endpoint', tenant.graphEndpoint ?? '']
        ] as Array<[string, string]>)
      : []),
    [
      'Credential',
      tenant.authMethod === 'certificate'
        ? `Certificate${tenant.certificateThumbprint ? ` (thumbprint ${tenant.certificateThumbprint})` : ''}`
        : 'Client secret'
    ],
    [
      'Excluded policy types',
      tenant.excludedTypes.length ? tenant.excludedTypes.map(typeLabel).join(', ') : 'None'
    ]
  ]
  return (
    <dl data-testid="tenant-summary">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>
            <Caption1>{k}</Caption1>
          </dt>
          <dd style={{ margin: 0 }}>
            <Body1>{v}</Body1>
          </dd>
        </div>
      ))}
    </dl>
  )
}
