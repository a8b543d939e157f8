import { Option, type Command } from 'commander'
import type { AddTenantInput, CloudName, TenantView } from '../../app/atlas-api'
import { AtlasError } from '../../../domain/error-codes'
import type { Action, CliContext } from '../context'
import { EXIT } from '../exit-codes'
import { formatTable, formatTime, plural, safeText, writeJson } from '../output'
import { listFlag } from './common'

const CLOUDS: CloudName[] = ['global', 'usgov', 'usgovdod', 'china', 'custom']

interface AddFlags {
  tenant?: string
  /** the former spelling of --tenant, kept as an alias */
  name?: string
  tenantId: string
  clientId: string
  clientSecretEnv?: string
  certificate?: string
  certificatePassphraseEnv?: string
  cloud: CloudName
  authorityHost?: string
  graphEndpoint?: string
}

export function registerTenantsCommands(program: Command, action: Action): void {
  const tenants = program.command('tenants').description('add, list and remove client tenants')

  tenants
    .command('add')
    .description(
      'add a client tenant (app registration with a client secret in an env var, or a certificate)'
    )
    // --tenant names a tenant in every command; --name is the older spelling of the same flag
    .option('--tenant <name>', 'display name of the new tenant, e.g. the client')
    .addOption(new Option('--name <name>', 'alias of --tenant').hideHelp())
    .requiredOption('--tenant-id <id>', "the client's directory (tenant) id GUID or verified domain")
    .requiredOption('--client-id <guid>', 'application (client) id of the app registration')
    .option('--client-secret-env <VAR>', 'environment variable that holds the client secret at sync time')
    .option('--certificate <file>', 'PEM bundle (private key + certificate) or PFX/.p12 file')
    .option(
      '--certificate-passphrase-env <VAR>',
      'environment variable holding the PFX / key passphrase at sync time'
    )
    .addOption(new Option('--cloud <cloud>', 'national cloud').choices(CLOUDS).default('global'))
    .option('--authority-host <url>', 'custom cloud only: https origin of the sign-in authority')
    .option('--graph-endpoint <url>', 'custom cloud only: https origin of Microsoft Graph')
    .action(action((ctx, flags: AddFlags) => addTenant(ctx, flags)))

  tenants
    .command('list')
    .description('list tenants and their last sync')
    .action(action((ctx) => listTenants(ctx)))

  tenants
    .command('test')
    .description('test connection: get a token, then probe what a sync could read, type by type')
    .argument('[tenant]', 'name or id')
    .option('--tenant <name>', 'name or id')
    .option('--types <a,b>', 'only these policy types (default: all)', listFlag)
    .action(
      action((ctx, flags: { tenant?: string; types?: string[] }, tenant?: string) =>
        testTenant(ctx, tenant ?? flags.tenant, flags.types)
      )
    )

  tenants
    .command('set')
    .description('change a tenant: the policy types it never syncs (e.g. features it has no licence for)')
    .argument('[tenant]', 'name or id')
    .option('--tenant <name>', 'name or id')
    .option(
      '--exclude-types <a,b>',
      'these policy types are out of selection in every sync of the tenant ("" clears the list)',
      (value: string, previous: string[] | undefined) => listFlag(value, previous ?? [])
    )
    .action(
      action((ctx, flags: { tenant?: string; excludeTypes?: string[] }, tenant?: string) =>
        setTenant(ctx, tenant ?? flags.tenant, flags.excludeTypes)
      )
    )

  tenants
    .command('remove')
    .description('remove a tenant with its inventory and runs (its credential ref is forgotten)')
    .argument('[tenant]', 'name or id')
    .option('--tenant <name>', 'name or id')
    .action(
      action((ctx, flags: { tenant?: string }, tenant?: string) => removeTenant(ctx, tenant ?? flags.tenant))
    )
}

async function addTenant(ctx: CliContext, flags: AddFlags): Promise<number> {
  if (flags.tenant !== undefined && flags.name !== undefined && flags.tenant !== flags.name) {
    throw new AtlasError('INVALID_INPUT', '--name is an alias of --tenant: give one of them.')
  }
  const displayName = flags.tenant ?? flags.name
  if (displayName === undefined) {
    throw new AtlasError('INVALID_INPUT', 'Name the new tenant: --tenant <display name>.')
  }
  if (Boolean(flags.clientSecretEnv) === Boolean(flags.certificate)) {
    throw new AtlasError(
      'INVALID_INPUT',
      'Give exactly one credential: --client-secret-env VAR or --certificate FILE.'
    )
  }
  const credential: AddTenantInput['credential'] = flags.clientSecretEnv
    ? { kind: 'secret_env', variable: flags.clientSecretEnv }
    : {
        kind: 'certificate_file',
        path: flags.certificate ?? '',
        ...(flags.certificatePassphraseEnv ? { passphraseEnv: flags.certificatePassphraseEnv } : {})
      }
  const tenant = await ctx.atlas().addTenant({
    displayName,
    azureTenantId: flags.tenantId,
    clientId: flags.clientId,
    cloud: flags.cloud,
    ...(flags.authorityHost ? { authorityHost: flags.authorityHost } : {}),
    ...(flags.graphEndpoint ? { graphEndpoint: flags.graphEndpoint } : {}),
    credential
  })
  if (ctx.json) {
    writeJson(ctx.io.stdout, { tenant })
    return EXIT.OK
  }
  const out = ctx.io.stdout
  out.write(`Added tenant "${safeText(tenant.displayName)}" (id ${tenant.id}).\n`)
  out.write(describeTenant(tenant))
  if (flags.clientSecretEnv && !ctx.io.env[flags.clientSecretEnv]) {
    ctx.io.stderr.write(`note: ${flags.clientSecretEnv} is not set in this shell; set it before syncing.\n`)
  }
  out.write(`\nNext: tenant-atlas sync --tenant ${shellQuote(tenant.displayName)}\n`)
  return EXIT.OK
}

function describeTenant(t: TenantView): string {
  const rows: Array<[string, string]> = [
    [
      'cloud',
      t.cloud + (t.cloud === 'custom' ? ` (${t.authorityHost ?? ''}, ${t.graphEndpoint ?? ''})` : '')
    ],
    ['Azure tenant', t.azureTenantId],
    ['client id', t.clientId],
    [
      'credential',
      `${t.authMethod === 'certificate' ? 'certificate' : 'client secret'} from ${t.credentialSource}`
    ]
  ]
  if (t.certificateThumbprint) rows.push(['thumbprint (SHA-256)', t.certificateThumbprint])
  if (t.excludedTypes.length > 0) rows.push(['excluded types', t.excludedTypes.join(', ')])
  return rows.map(([k, v]) => `  ${k.padEnd(21)}${safeText(v)}\n`).join('')
}

function listTenants(ctx: CliContext): number {
  const api = ctx.atlas()
  const tenants = api.listTenants().map((t) => {
    const last = api.listRuns({ tenantId: t.id, limit: 1 })[0]
    return {
      ...t,
      lastRun: last
        ? { id: last.id, status: last.status, startedAt: last.startedAt, finishedAt: last.finishedAt }
        : null
    }
  })
  if (ctx.json) {
    writeJson(ctx.io.stdout, { tenants })
    return EXIT.OK
  }
  if (tenants.length === 0) {
    ctx.io.stdout.write(
      'No tenants yet. Add one with `tenant-atlas tenants add`, or try `tenant-atlas demo`.\n'
    )
    return EXIT.OK
  }
  ctx.io.stdout.write(
    formatTable(
      [
        { header: 'Name', max: 40 },
        { header: 'Cloud' },
        { header: 'Azure tenant', max: 40 },
        { header: 'Credential' },
        { header: 'Last sync' },
        { header: 'Excluded', align: 'right' },
        { header: 'Id' }
      ],
      tenants.map((t) => [
        t.displayName + (t.isDemo ? ' (demo)' : ''),
        t.cloud,
        t.azureTenantId,
        `${t.authMethod === 'certificate' ? 'certificate' : 'secret'} · ${t.credentialSource}`,
        t.lastRun
          ? `${t.lastRun.status} ${formatTime(t.lastRun.finishedAt ?? t.lastRun.startedAt)}`
          : 'never',
        t.excludedTypes.length || '',
        t.id
      ])
    )
  )
  return EXIT.OK
}

/**
 * Exit 0 when every probed type is readable, 3 when no token could be had, 4 when some types cannot be
 * read (missing permission, not licensed, no Intune): the same codes a sync of that tenant would end with.
 */
async function testTenant(
  ctx: CliContext,
  ref: string | undefined,
  types: string[] | undefined
): Promise<number> {
  if (!ref) throw new AtlasError('INVALID_INPUT', 'Say which tenant to test: tenants test <name or id>.')
  const api = ctx.atlas()
  const tenant = api.getTenant(ref)
  const report = await api.testConnection({
    tenantId: tenant.id,
    ...(types?.length ? { policyTypes: types } : {})
  })
  const unreadable = report.types.filter((t) => t.access !== 'readable')
  const code = !report.auth.ok ? EXIT.AUTH : unreadable.length > 0 ? EXIT.PARTIAL : EXIT.OK
  if (ctx.json) {
    writeJson(ctx.io.stdout, { tenant: { id: tenant.id, displayName: tenant.displayName }, report })
    return code
  }
  const out = ctx.io.stdout
  out.write(
    `Tenant "${safeText(tenant.displayName)}" (${safeText(tenant.azureTenantId)}, cloud ${tenant.cloud})\n`
  )
  if (!report.auth.ok) {
    out.write(`  Sign-in failed [${report.auth.code}]: ${safeText(report.auth.message)}\n`)
    out.write(`  Admin consent for the app in this tenant: ${safeText(report.adminConsentUrl)}\n`)
    return code
  }
  const roles = report.auth.grantedRoles
  out.write(
    `  Sign-in ok. Application permissions in the token: ${roles === null ? '(not readable)' : roles.length > 0 ? roles.map((r) => safeText(r)).join(', ') : 'none: admin consent is missing'}\n\n`
  )
  out.write(
    formatTable(
      [{ header: 'Type', max: 44 }, { header: 'Access' }, { header: 'What to do', max: 90 }],
      report.types.map((t) => [t.label, t.access, adviceFor(t)])
    )
  )
  const s = report.summary
  out.write(
    `\n  ${s.readable} readable, ${s.missing_permission} missing permission, ${s.not_licensed} not licensed, ${s.no_intune} no Intune, ${s.error} other errors.\n`
  )
  if (s.missing_permission > 0)
    out.write(`  Grant the permissions, then admin-consent: ${safeText(report.adminConsentUrl)}\n`)
  const exclude = suggestedExclusions(tenant, report.types)
  if (exclude.length > 0) {
    out.write(
      `  Not licensed types stay "not collected" in every sync and keep its missing list low-confidence.\n` +
        `  To leave them out of this tenant's syncs: tenant-atlas tenants set --tenant ${shellQuote(tenant.displayName)} --exclude-types ${exclude.join(',')}\n`
    )
  }
  return code
}

/** The tenant's exclusions plus every type the probe found not licensed (already excluded ones kept). */
function suggestedExclusions(
  tenant: TenantView,
  types: ReadonlyArray<{ policyType: string; access: string }>
): string[] {
  const notLicensed = types.filter((t) => t.access === 'not_licensed').map((t) => t.policyType)
  if (notLicensed.every((t) => tenant.excludedTypes.includes(t))) return []
  return [...new Set([...tenant.excludedTypes, ...notLicensed])].sort()
}

async function setTenant(
  ctx: CliContext,
  ref: string | undefined,
  excludeTypes: string[] | undefined
): Promise<number> {
  if (!ref) throw new AtlasError('INVALID_INPUT', 'Say which tenant to change: tenants set <name or id>.')
  if (excludeTypes === undefined) {
    throw new AtlasError('INVALID_INPUT', 'Nothing to change: give --exclude-types a,b ("" clears the list).')
  }
  const api = ctx.atlas()
  const tenant = api.getTenant(ref)
  const updated = api.setExcludedTypes({ tenantId: tenant.id, policyTypes: excludeTypes })
  if (ctx.json) {
    writeJson(ctx.io.stdout, { tenant: updated })
    return EXIT.OK
  }
  ctx.io.stdout.write(
    updated.excludedTypes.length > 0
      ? `"${safeText(updated.displayName)}" now leaves out ${plural(updated.excludedTypes.length, 'policy type')}: ${updated.excludedTypes.join(', ')}.\n` +
          'They are out of selection in its runs and missing lists, not failures.\n'
      : `"${safeText(updated.displayName)}" syncs every selected policy type again.\n`
  )
  return EXIT.OK
}

function adviceFor(t: {
  access: string
  missingScopes?: string[]
  requiredPermissions: string[]
  code?: string
}): string {
  switch (t.access) {
    case 'readable':
      return ''
    case 'missing_permission':
      return `grant ${(t.missingScopes?.length ? t.missingScopes : t.requiredPermissions).join(' or ')}`
    case 'not_licensed':
      return 'the tenant has no licence for this feature: a sync records it as not collected'
    case 'no_intune':
      return 'the tenant has no Intune licence or MDM authority'
    default:
      return `Graph error ${t.code ?? ''}`.trim()
  }
}

async function removeTenant(ctx: CliContext, ref: string | undefined): Promise<number> {
  if (!ref) throw new AtlasError('INVALID_INPUT', 'Say which tenant to remove: tenants remove <name or id>.')
  const api = ctx.atlas()
  const tenant = api.getTenant(ref)
  await api.removeTenant(tenant.id)
  if (ctx.json) writeJson(ctx.io.stdout, { removed: { id: tenant.id, displayName: tenant.displayName } })
  else ctx.io.stdout.write(`Removed tenant "${safeText(tenant.displayName)}" with its inventory and runs.\n`)
  return EXIT.OK
}

/** For the "Next:" hint: a name with spaces or quotes must survive copy-paste into a shell. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9._@%+=:,/-]+$/.test(s) ? s : `'${safeText(s).replace(/'/g, `'\\''`)}'`
}
