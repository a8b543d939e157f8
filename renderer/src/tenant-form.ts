import type { ChannelInput } from '../../preload/contract'
import type { CloudInfo, TenantView } from './atlas-client'
import { hasUnsafeText } from './format'

/**
 * The add/edit tenant form as data, and its per-field checks. They run in the page on blur and on save,
 * so bad input is explained next to its field and never reaches the engine; the engine validates again
 * (main/tenants/tenant-input.ts, main/auth/clouds.ts) and stays the authority.
 */
export type Cloud = TenantView['cloud']
export type CredentialKind = 'secret' | 'certificate'

export interface TenantForm {
  displayName: string
  azureTenantId: string
  clientId: string
  cloud: Cloud
  authorityHost: string
  graphEndpoint: string
  credentialKind: CredentialKind
  secret: string
  /** the certificate file the user picked, read in the page */
  certificate:
    { name: string; kind: 'pem'; text: string } | { name: string; kind: 'pfx'; base64: string } | null
  passphrase: string
  /** policy types this tenant never syncs (saved with setExcludedTypes, not with the tenant's fields) */
  excludedTypes: string[]
}

export type Field = keyof Omit<TenantForm, 'credentialKind'>
export type FieldErrors = Partial<Record<Field, string>>

export const CLOUD_LABELS: Record<Cloud, string> = {
  global: 'Global (commercial)',
  usgov: 'US Government (GCC High)',
  usgovdod: 'US Government (DoD)',
  china: 'China (21Vianet)',
  custom: 'Custom'
}

/**
 * A cloud's sign-in and Graph hosts as the engine serves them (`listClouds`, main/auth/clouds.ts, the one
 * table); a custom cloud's, or one the engine does not list, are typed in.
 */
export function cloudHosts(
  cloud: Cloud,
  clouds: readonly CloudInfo[]
): { authorityHost: string; graphEndpoint: string } {
  const known = clouds.find((c) => c.name === cloud)
  return known
    ? { authorityHost: known.authorityHost, graphEndpoint: known.graphEndpoint }
    : { authorityHost: '', graphEndpoint: '' }
}

export function emptyForm(clouds: readonly CloudInfo[]): TenantForm {
  return {
    displayName: '',
    azureTenantId: '',
    clientId: '',
    cloud: 'global',
    ...cloudHosts('global', clouds),
    credentialKind: 'secret',
    secret: '',
    certificate: null,
    passphrase: '',
    excludedTypes: []
  }
}

/** An existing tenant in the form; the credential is never sent back, so it starts empty ("keep"). */
export function formOf(t: TenantView, clouds: readonly CloudInfo[]): TenantForm {
  const known = t.cloud === 'custom' ? null : clouds.find((c) => c.name === t.cloud)
  return {
    ...emptyForm(clouds),
    displayName: t.displayName,
    azureTenantId: t.azureTenantId,
    clientId: t.clientId,
    cloud: t.cloud,
    authorityHost: known?.authorityHost ?? t.authorityHost ?? '',
    graphEndpoint: known?.graphEndpoint ?? t.graphEndpoint ?? '',
    credentialKind: t.authMethod === 'certificate' ? 'certificate' : 'secret',
    excludedTypes: [...t.excludedTypes]
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i
const ALIASES = new Set(['common', 'organizations', 'consumers'])
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000'

function checkName(v: string): string | undefined {
  const s = v.trim()
  if (!s) return 'Enter a display name, for example the client’s company name.'
  if (s.length > 120) return `Too long: ${s.length} characters, at most 120.`
  if (hasUnsafeText(s)) return 'The name contains control or text-direction characters.'
  return undefined
}

function checkTenantId(v: string): string | undefined {
  const s = v.trim().toLowerCase()
  if (!s) return 'Enter the tenant ID or domain.'
  if (s.length > 253) return `Too long: ${s.length} characters, at most 253.`
  if (ALIASES.has(s)) return `“${s}” is not a tenant: use the directory (tenant) ID or a verified domain.`
  if (s === EMPTY_GUID) return 'The empty GUID is not a tenant.'
  if (GUID.test(s) || DOMAIN.test(s)) return undefined
  return 'Not a GUID or a domain.'
}

function checkClientId(v: string): string | undefined {
  const s = v.trim()
  if (!s) return 'Enter the application (client) ID.'
  if (!GUID.test(s)) return 'The application (client) ID is a GUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.'
  return undefined
}

/** Tokens and secrets travel to these endpoints: https, a bare origin, no credentials in the URL. */
export function checkEndpoint(v: string, what: string): string | undefined {
  const s = v.trim()
  if (!s) return `Enter the ${what}.`
  if (s.length > 2048) return `Too long: ${s.length} characters, at most 2,048.`
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return `Not a valid URL. Enter the ${what} as https://host.`
  }
  if (url.protocol !== 'https:') return `The ${what} must use https://.`
  if (url.username || url.password) return `The ${what} must not contain a user name or password.`
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return 'Enter a bare origin: https:// and the host, with no path, query or fragment.'
  }
  return undefined
}

const PEM_MAX = 200_000
const PFX_BASE64_MAX = 400_000

/**
 * The line under a field that says what to enter. Its error, when it has one, shows just above it and says
 * only what is wrong, so the two never say the same thing twice.
 */
export function fieldHint(field: Field, f: TenantForm, editing = false): string | undefined {
  switch (field) {
    case 'azureTenantId':
      return 'A GUID or a domain such as contoso.onmicrosoft.com.'
    case 'clientId':
      return 'The app registration in the client’s tenant that has read access to Intune.'
    case 'secret':
      return editing ? 'Leave empty to keep the stored secret.' : 'Never shown again once saved.'
    case 'certificate':
      return f.certificate
        ? `${f.certificate.name} (${f.certificate.kind.toUpperCase()})`
        : 'A .pem with certificate and private key, or a .pfx/.p12.'
    case 'passphrase':
      return 'Used once to open the file; not kept.'
    default:
      return undefined
  }
}

/** The example an empty field shows; like the hint, not repeated by the field's error. */
export const FIELD_PLACEHOLDERS: Partial<Record<Field, string>> = {
  authorityHost: 'https://login.example.com',
  graphEndpoint: 'https://graph.example.com'
}

/** All field errors of the form; `editing` leaves the credential optional (empty keeps the stored one). */
export function validateTenantForm(f: TenantForm, editing = false): FieldErrors {
  const errors: FieldErrors = {}
  const set = (field: Field, message: string | undefined) => {
    if (message) errors[field] = message
  }
  set('displayName', checkName(f.displayName))
  set('azureTenantId', checkTenantId(f.azureTenantId))
  set('clientId', checkClientId(f.clientId))
  if (f.cloud === 'custom') {
    set('authorityHost', checkEndpoint(f.authorityHost, 'authority host'))
    set('graphEndpoint', checkEndpoint(f.graphEndpoint, 'Graph endpoint'))
  }
  if (f.credentialKind === 'secret') {
    if (!f.secret && !editing) set('secret', 'Enter the client secret value (not its ID).')
    else if (f.secret.length > 4096) set('secret', 'Too long: a client secret has at most 4,096 characters.')
  } else if (!f.certificate) {
    if (!editing) set('certificate', 'Choose the certificate file.')
  } else if (f.certificate.kind === 'pem') {
    if (f.certificate.text.length > PEM_MAX) set('certificate', 'This file is too large for a certificate.')
    else if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(f.certificate.text)) {
      set('certificate', 'This PEM file has no private key: export the certificate with its key.')
    } else if (!/-----BEGIN CERTIFICATE-----/.test(f.certificate.text)) {
      set('certificate', 'This PEM file has no certificate: it must hold the certificate and its key.')
    }
  } else if (f.certificate.base64.length > PFX_BASE64_MAX) {
    set('certificate', 'This file is too large for a certificate.')
  }
  if (f.passphrase.length > 1024) set('passphrase', 'Too long: at most 1,024 characters.')
  return errors
}

/** The engine input of a valid form; null credential when editing without a new one. */
export function toAddInput(f: TenantForm): ChannelInput<'tenants:add'> {
  const credential: ChannelInput<'tenants:add'>['credential'] =
    f.credentialKind === 'secret' || !f.certificate
      ? { kind: 'secret', value: f.secret }
      : f.certificate.kind === 'pem'
        ? { kind: 'certificate_pem', pem: f.certificate.text }
        : {
            kind: 'certificate_pfx',
            pfxBase64: f.certificate.base64,
            ...(f.passphrase ? { passphrase: f.passphrase } : {})
          }
  return {
    displayName: f.displayName.trim(),
    azureTenantId: f.azureTenantId.trim(),
    clientId: f.clientId.trim(),
    cloud: f.cloud,
    ...(f.cloud === 'custom'
      ? { authorityHost: f.authorityHost.trim(), graphEndpoint: f.graphEndpoint.trim() }
      : {}),
    credential
  }
}

/**
 * An edit as the engine takes it (tenants:update): only the fields that changed, null to clear custom
 * endpoints when leaving the custom cloud, and a credential only when the user entered a new one.
 */
export function toUpdateInput(before: TenantView, f: TenantForm): ChannelInput<'tenants:update'> {
  const next = toAddInput(f)
  const out: ChannelInput<'tenants:update'> = { idOrName: before.id }
  if (next.displayName !== before.displayName) out.displayName = next.displayName
  if (next.azureTenantId.toLowerCase() !== before.azureTenantId.toLowerCase()) {
    out.azureTenantId = next.azureTenantId
  }
  if (next.clientId.toLowerCase() !== before.clientId.toLowerCase()) out.clientId = next.clientId
  if (next.cloud !== before.cloud) out.cloud = next.cloud
  if (next.cloud === 'custom') {
    if (next.authorityHost !== before.authorityHost) out.authorityHost = next.authorityHost ?? null
    if (next.graphEndpoint !== before.graphEndpoint) out.graphEndpoint = next.graphEndpoint ?? null
  } else if (before.cloud === 'custom') {
    out.authorityHost = null
    out.graphEndpoint = null
  }
  const newCredential = f.credentialKind === 'secret' ? f.secret !== '' : f.certificate !== null
  if (newCredential) out.credential = next.credential
  return out
}

/** Reads a picked certificate file in the page: PEM as text, PFX/P12 (binary) as base64. */
export async function readCertificate(file: File): Promise<NonNullable<TenantForm['certificate']>> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  const head = new TextDecoder().decode(bytes.subarray(0, 64))
  if (/\.pem$|\.crt$|\.key$/i.test(file.name) || head.includes('-----BEGIN')) {
    return { name: file.name, kind: 'pem', text: new TextDecoder().decode(bytes) }
  }
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return { name: file.name, kind: 'pfx', base64: btoa(binary) }
}

/** The excluded types to save (setExcludedTypes), or null when the form left them as they were. */
export function excludedTypesChange(before: readonly string[], after: readonly string[]): string[] | null {
  const next = [...new Set(after)].sort()
  const prev = [...new Set(before)].sort()
  return next.length === prev.length && next.every((t, i) => t === prev[i]) ? null : next
}

/**
 * What "Exclude these not-licensed types" saves after a connection test: the tenant's exclusions plus every
 * type the test found not licensed (the CLI's `tenants test` suggests the same list); null when each of
 * them is excluded already.
 */
export function withNotLicensed(
  excluded: readonly string[],
  probes: ReadonlyArray<{ policyType: string; access: string }>
): string[] | null {
  const notLicensed = probes.filter((p) => p.access === 'not_licensed').map((p) => p.policyType)
  if (notLicensed.every((t) => excluded.includes(t))) return null
  return [...new Set([...excluded, ...notLicensed])].sort()
}
