import { Option, type Command } from 'commander'
import type { AddTenantInput, CloudName, TenantView } from '../../app/atlas-api'
import { AtlasError } from '../../domain/error-codes'
import type { Action, CliContext } from '../context'
import { EXIT } from '../exit-codes'
import { formatTable, formatTime, safeText, writeJson } from '../output'

const CLOUDS: CloudName[] = ['global', 'usgov', 'usgovdod', 'china', 'custom']

interface AddFlags {
  name: string
  tenantId: string
  clientId: string
  clientSecretEnv?: string
  certificate?: string
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
    .requiredOption('--name <name>', 'display name, e.g. the client')
    .requiredOption('--tenant-id <id>', "the client's directory (tenant) id GUID or verified domain")
    .requiredOption('--client-id <guid>', 'application (client) id of the app registration')
    .option('--client-secret-env <VAR>', 'environment variable that holds the client secret at sync time')
    .option('--certificate <file>', 'PEM file with the private key and certificate')
    .addOption(new Option('--cloud <cloud>', 'national cloud').choices(CLOUDS).default('global'))
    .option('--authority-host <url>', 'custom cloud only: https origin of the sign-in authority')
    .option('--graph-endpoint <url>', 'custom cloud only: https origin of Microsoft Graph')
    .action(action((ctx, flags: AddFlags) => addTenant(ctx, flags)))

  tenants
    .command('list')
    .description('list tenants and their last sync')
    .action(action((ctx) => listTenants(ctx)))

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
  if (Boolean(flags.clientSecretEnv) === Boolean(flags.certificate)) {
    throw new AtlasError(
      'INVALID_INPUT',
      'Give exactly one credential: --client-secret-env VAR or --certificate FILE.'
    )
  }
  const credential: AddTenantInput['credential'] = flags.clientSecretEnv
    ? { kind: 'secret_env', variable: flags.clientSecretEnv }
    : { kind: 'certificate_file', path: flags.certificate ?? '' }
  const tenant = await ctx.atlas().addTenant({
    displayName: flags.name,
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
        t.id
      ])
    )
  )
  return EXIT.OK
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
