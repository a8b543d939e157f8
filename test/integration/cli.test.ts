import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TenantView } from '../../main/app/atlas-api'
import type { RunSummary } from '../../domain/run'
import {
  CLIENT_ID,
  createCliWorld,
  GRAPH_ORIGIN,
  LOGIN_ORIGIN,
  runInProcess,
  type CliWorld
} from './cli-support'

let world: CliWorld

beforeEach(async () => {
  world = await createCliWorld()
})
afterEach(async () => {
  await world.close()
})

interface SyncJson {
  exitCode: number
  interrupted: boolean
  results: Array<{
    tenant: { id: string; displayName: string }
    exitCode: number
    run: RunSummary | null
    error: { code: string } | null
  }>
}

describe('tenants', () => {
  it('adds, lists (JSON without secrets) and removes a custom-cloud tenant', async () => {
    const added = await world.addTenant('Contoso')
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('Added tenant "Contoso"')

    const list = await world.run(['tenants', 'list', '--json'])
    expect(list.code).toBe(0)
    const { tenants } = list.json<{ tenants: Array<TenantView & { lastRun: unknown }> }>()
    expect(tenants).toHaveLength(1)
    expect(tenants[0]).toMatchObject({
      displayName: 'Contoso',
      cloud: 'custom',
      graphEndpoint: GRAPH_ORIGIN,
      credentialSource: 'env',
      authMethod: 'client_secret',
      isDemo: false,
      lastRun: null
    })
    expect(list.stdout).not.toContain('cli-test-secret-value')

    const removed = await world.run(['tenants', 'remove', 'Contoso', '--json'])
    expect(removed.code).toBe(0)
    expect(removed.json()).toEqual({ removed: { id: tenants[0]!.id, displayName: 'Contoso' } })
    expect((await world.run(['tenants', 'list', '--json'])).json()).toEqual({ tenants: [] })
  })

  it('a PFX certificate file with its passphrase in an env var: added, synced, passphrase stored nowhere', async () => {
    const fixtures = join(import.meta.dirname, '..', 'fixtures', 'auth')
    const pem = readFileSync(join(fixtures, 'app-cert-a.pem'), 'utf8')
    world.identity.registerApp({ tenant: 'pfxco.onmicrosoft.com', clientId: CLIENT_ID, certificatePem: pem })
    world.env.SECRET_PFX_PASS = 'fixture-pass'
    const base = [
      'tenants',
      'add',
      '--name',
      'PfxCo',
      '--tenant-id',
      'pfxco.onmicrosoft.com',
      '--client-id',
      CLIENT_ID
    ]
    const cloud = ['--cloud', 'custom', '--authority-host', LOGIN_ORIGIN, '--graph-endpoint', GRAPH_ORIGIN]
    const cert = ['--certificate', join(fixtures, 'app-cert-a.pfx')]
    // without the passphrase the file cannot be opened: refused at add time, exit 3 (certificate problem)
    const refused = await world.run([...base, ...cert, ...cloud])
    expect(refused.code).toBe(3)
    expect(refused.stderr).toMatch(/passphrase is wrong/)
    const added = await world.run([
      ...base,
      ...cert,
      '--certificate-passphrase-env',
      'SECRET_PFX_PASS',
      ...cloud,
      '--json'
    ])
    expect(added.code).toBe(0)
    expect(added.json<{ tenant: TenantView }>().tenant).toMatchObject({
      authMethod: 'certificate',
      credentialSource: 'file'
    })
    expect((await world.run(['sync', '--tenant', 'PfxCo', '--categories', 'apps'])).code).toBe(0)
    for (const f of readdirSync(world.dir)) {
      expect(readFileSync(join(world.dir, f)).toString('latin1'), f).not.toContain('fixture-pass')
    }
  })

  it('refuses bad tenant input with exit 2 and one line on stderr', async () => {
    const cases: string[][] = [
      // both credentials
      ['--client-secret-env', 'X', '--certificate', '/nope.pem'],
      // neither
      [],
      // custom cloud without endpoints
      ['--client-secret-env', 'X', '--cloud', 'custom'],
      // endpoints over http
      [
        '--client-secret-env',
        'X',
        '--cloud',
        'custom',
        '--authority-host',
        'http://login.x.test',
        '--graph-endpoint',
        'https://g.x.test'
      ],
      // not a cloud
      ['--client-secret-env', 'X', '--cloud', 'mars']
    ]
    for (const extra of cases) {
      const r = await world.run([
        'tenants',
        'add',
        '--name',
        'Bad',
        '--tenant-id',
        'bad.onmicrosoft.com',
        '--client-id',
        '11111111-2222-3333-4444-555555555555',
        ...extra
      ])
      expect(r.code, extra.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n'), extra.join(' ')).toHaveLength(1)
      expect(r.stderr).toMatch(/^tenant-atlas: /)
    }
    // the new tenant's name: --tenant as in every command, --name kept as its alias, never two names
    const ids = ['--tenant-id', 'bad.onmicrosoft.com', '--client-id', '11111111-2222-3333-4444-555555555555']
    const unnamed = await world.run(['tenants', 'add', ...ids, '--client-secret-env', 'X'])
    expect(unnamed.code).toBe(2)
    expect(unnamed.stderr).toContain('--tenant <display name>')
    const twoNames = await world.run([
      'tenants',
      'add',
      '--tenant',
      'A',
      '--name',
      'B',
      ...ids,
      '--client-secret-env',
      'X'
    ])
    expect(twoNames.code).toBe(2)
    expect(twoNames.stderr).toContain('alias')
    expect((await world.run(['tenants', 'list', '--json'])).json()).toEqual({ tenants: [] })
  })

  it('refuses a duplicate name and an unknown tenant with exit 2', async () => {
    await world.addTenant('Contoso')
    expect((await world.addTenant('Contoso')).code).toBe(2)
    const missing = await world.run(['runs', '--tenant', 'Fabrikam'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('NOT_FOUND')
  })
})

describe('sync and the read commands', () => {
  it('syncs a tenant end to end, then runs / inventory / missing read it back', async () => {
    await world.addTenant('Contoso')
    const sync = await world.run(['sync', '--tenant', 'Contoso', '--json'])
    expect(sync.stderr).toBe('')
    expect(sync.code).toBe(0)
    const result = sync.json<SyncJson>()
    expect(result.exitCode).toBe(0)
    const run = result.results[0]!.run!
    expect(run.status).toBe('success')
    expect(run.trigger).toBe('cli')
    const served = Object.values(world.data).reduce((n, items) => n + items.length, 0)
    expect(run.itemsObservedCount).toBeGreaterThan(served / 2)

    const runs = await world.run(['runs', '--tenant', 'Contoso', '--json'])
    expect(runs.json<{ runs: RunSummary[] }>().runs.map((r) => r.id)).toEqual([run.id])

    const inv = await world.run(['inventory', '--tenant', 'Contoso', '--json', '--limit', '1000'])
    const page = inv.json<{ total: number; items: Array<{ policyType: string; displayName: string }> }>()
    expect(page.total).toBe(run.itemsObservedCount)
    expect(page.items).toHaveLength(page.total)

    const oneType = page.items[0]!.policyType
    const filtered = (
      await world.run(['inventory', '--tenant', 'Contoso', '--type', oneType, '--json'])
    ).json<typeof page>()
    expect(filtered.total).toBe(page.items.filter((i) => i.policyType === oneType).length)
    const needle = page.items[0]!.displayName
    const searched = (
      await world.run(['inventory', '--tenant', 'Contoso', '--search', needle, '--json'])
    ).json<typeof page>()
    expect(searched.items.map((i) => i.displayName)).toContain(needle)

    const missing = await world.run(['missing', '--tenant', 'Contoso', '--json'])
    expect(missing.code).toBe(0)
    expect(missing.json()).toMatchObject({
      lowConfidence: false,
      items: [],
      notCollected: [],
      judgedBy: { runId: run.id }
    })

    const human = await world.run(['runs', '--tenant', 'Contoso'])
    expect(human.stdout).toMatch(new RegExp(`^\\s*${run.id}\\s+success\\s+cli`, 'm'))
  })

  it('never truncates a list silently: stderr says so, --all lifts the limit, JSON has the total', async () => {
    await world.addTenant('Contoso')
    for (let i = 0; i < 3; i++) {
      expect((await world.run(['sync', '--tenant', 'Contoso', '--types', 'compliancePolicy'])).code).toBe(0)
    }
    const two = await world.run(['runs', '--tenant', 'Contoso', '--limit', '2', '--json'])
    expect(two.json<{ total: number; runs: RunSummary[] }>()).toMatchObject({ total: 3 })
    expect(two.json<{ runs: RunSummary[] }>().runs).toHaveLength(2)
    expect(two.stderr).toContain('Showing 2 of 3 runs; add --all')
    const all = await world.run(['runs', '--tenant', 'Contoso', '--limit', '2', '--all', '--json'])
    expect(all.json<{ runs: RunSummary[] }>().runs).toHaveLength(3)
    expect(all.stderr).not.toContain('Showing')

    const total = (await world.run(['inventory', '--tenant', 'Contoso', '--json', '--limit', '1'])).json<{
      total: number
    }>().total
    expect(total).toBeGreaterThan(5)
    const page = await world.run(['inventory', '--tenant', 'Contoso', '--limit', '5'])
    expect(page.stderr).toContain(`Showing 5 of ${total.toLocaleString('en-US')} objects; add --all`)
    expect(page.stdout).not.toContain('Showing')
    const every = await world.run(['inventory', '--tenant', 'Contoso', '--all', '--json'])
    expect(every.json<{ total: number; items: unknown[] }>().items).toHaveLength(total)
    expect(every.stderr).toBe('')
  })

  it('prints plain progress lines on stderr when not a TTY and keeps stdout for the summary', async () => {
    await world.addTenant('Contoso')
    const sync = await world.run(['sync', '--tenant', 'Contoso'])
    expect(sync.code).toBe(0)
    expect(sync.stderr).not.toContain('\r')
    expect(sync.stderr).toMatch(/^Contoso: run \d+ started, \d+ policy types$/m)
    expect(sync.stderr).toMatch(/^Contoso: success, [\d,]+ objects observed$/m)
    expect(sync.stdout).toMatch(/Contoso\s+\d+\s+success/)
  })

  it('draws a \\r progress bar on a TTY and clears it before the summary', async () => {
    await world.addTenant('Contoso')
    const sync = await world.run(['sync', '--tenant', 'Contoso'], { isTTY: true, columns: 100 })
    expect(sync.code).toBe(0)
    const frames = sync.stderr.split('\r\x1b[2K').filter((f) => f.length > 0)
    expect(frames.some((f) => /^Contoso \[[█░]{24}\] \d+\/\d+ types/.test(f))).toBe(true)
    expect(frames.every((f) => !f.slice(0, -1).includes('\n'))).toBe(true)
  })

  it('exits 4 on a partial run, and missing explains low confidence with the error code', async () => {
    await world.addTenant('Contoso')
    expect((await world.run(['sync', '--tenant', 'Contoso'])).code).toBe(0)
    world.graph.script({
      path: '/deviceManagement/deviceManagementScripts',
      times: Infinity,
      fault: { kind: 'forbidden', scopes: ['DeviceManagementConfiguration.Read.All'] }
    })
    const sync = await world.run(['sync', '--tenant', 'Contoso'])
    expect(sync.code).toBe(4)
    expect(sync.stdout).toContain('deviceManagementScript: failed [GRAPH_FORBIDDEN]')

    const missing = await world.run(['missing', '--tenant', 'Contoso', '--json'])
    const judged = missing.json<{
      lowConfidence: boolean
      items: Array<{ reason: string; policyType: string }>
      notCollected: Array<{ policyType: string; errorCode: string }>
    }>()
    expect(judged.lowConfidence).toBe(true)
    expect(judged.notCollected).toEqual([
      expect.objectContaining({ policyType: 'deviceManagementScript', errorCode: 'GRAPH_FORBIDDEN' })
    ])
    const scripts = world.data['/deviceManagement/deviceManagementScripts']!.length
    expect(judged.items.filter((i) => i.reason === 'not_collected')).toHaveLength(scripts)

    const human = await world.run(['missing', '--tenant', 'Contoso'])
    expect(human.stdout).toContain('LOW CONFIDENCE: the run was partial')
    expect(human.stdout).toContain('deviceManagementScript: failed [GRAPH_FORBIDDEN]')
  })

  it('tenants test probes every type and exits 4 when some cannot be read, naming the permission', async () => {
    await world.addTenant('Contoso')
    expect((await world.run(['tenants', 'test', 'Contoso'])).code).toBe(0)
    world.graph.script({
      path: '/deviceManagement/deviceManagementScripts',
      times: Infinity,
      fault: { kind: 'forbidden', scopes: ['DeviceManagementScripts.Read.All'] }
    })
    const human = await world.run(['tenants', 'test', '--tenant', 'Contoso'])
    expect(human.code).toBe(4)
    expect(human.stdout).toMatch(
      /PowerShell script \(Windows\)\s+missing_permission\s+grant DeviceManagementScripts\.Read\.All/
    )
    expect(human.stdout).toContain('adminconsent?client_id=')
    const json = await world.run([
      'tenants',
      'test',
      'Contoso',
      '--types',
      'deviceManagementScript,mobileApp',
      '--json'
    ])
    expect(json.code).toBe(4)
    const report = json.json<{
      report: { auth: { ok: boolean }; types: Array<{ policyType: string; access: string }> }
    }>().report
    expect(report.auth.ok).toBe(true)
    expect(report.types.map((t) => [t.policyType, t.access])).toEqual([
      ['deviceManagementScript', 'missing_permission'],
      ['mobileApp', 'readable']
    ])
    // three CLI runs, each starting the sync worker: the connection test is the engine's (issue 11)
  }, 90_000)

  it('judges the selection given to missing, the same flags as sync', async () => {
    await world.addTenant('Contoso')
    expect((await world.run(['sync', '--tenant', 'Contoso', '--types', 'mobileApp'])).code).toBe(0)
    const ofTypes = (
      await world.run(['missing', '--tenant', 'Contoso', '--types', 'mobileApp', '--json'])
    ).json<{
      judgedBy: unknown
      typeCoverage: Record<string, string>
    }>()
    expect(ofTypes.typeCoverage).toEqual({ mobileApp: 'complete' })
    // the all-categories selection never finished a run: nothing can be judged
    const ofAll = await world.run(['missing', '--tenant', 'Contoso'])
    expect(ofAll.stdout).toContain('No finished sync of this selection')
    expect((await world.run(['sync', '--tenant', 'Contoso', '--types', 'noSuchType'])).code).toBe(2)
    expect((await world.run(['sync', '--tenant', 'Contoso', '--categories', 'nope'])).code).toBe(2)
  })

  it("inventory's table shows the tenant's own roles and scope tags; built-in ones on request", async () => {
    await world.addTenant('Contoso')
    expect((await world.run(['sync', '--tenant', 'Contoso', '--categories', 'tenant_admin'])).code).toBe(0)
    type Page = { total: number; items: Array<{ policyType: string; builtIn: boolean; displayName: string }> }
    const args = ['inventory', '--tenant', 'Contoso', '--type', 'roleDefinition,roleScopeTag', '--all']
    // JSON (for programs) lists everything, each item marked
    const all = (await world.run([...args, '--json'])).json<Page>()
    const builtIns = all.items.filter((i) => i.builtIn)
    // the simulator has Microsoft's built-in roles and the Default scope tag
    expect(builtIns.some((i) => i.policyType === 'roleDefinition')).toBe(true)
    expect(builtIns.some((i) => i.policyType === 'roleScopeTag' && i.displayName === 'Default')).toBe(true)
    const served = [
      ...(world.data['/deviceManagement/roleDefinitions'] ?? []),
      ...(world.data['/deviceManagement/roleScopeTags'] ?? [])
    ]
    expect(all.total).toBe(served.length)
    expect(builtIns).toHaveLength(served.filter((i) => i.isBuiltIn === true).length)

    // the table leaves them out and says so; --built-in lists them
    const builtInRole = builtIns.find((i) => i.policyType === 'roleDefinition')!.displayName
    const table = await world.run(args)
    expect(table.stdout).not.toContain(builtInRole)
    expect(table.stderr).toContain(`${builtIns.length} built-in object`)
    const everything = await world.run([...args, '--built-in'])
    expect(everything.stdout).toContain(builtInRole)
    expect(everything.stderr).toBe('')
  })

  it('tenants set --exclude-types: suggested by tenants test, then out of selection in syncs', async () => {
    await world.addTenant('Contoso')
    const drivers = '/deviceManagement/windowsDriverUpdateProfiles'
    // a licence-gated type answers 403 (no scopes named): this tenant has no licence for it, ever
    world.graph.script({ path: drivers, times: Infinity, fault: { kind: 'forbidden' } })
    const test = await world.run([
      'tenants',
      'test',
      '--tenant',
      'Contoso',
      '--types',
      'compliancePolicy,windowsDriverUpdateProfile'
    ])
    expect(test.stdout).toContain(
      'tenant-atlas tenants set --tenant Contoso --exclude-types windowsDriverUpdateProfile'
    )
    const partial = await world.run([
      'sync',
      '--tenant',
      'Contoso',
      '--types',
      'compliancePolicy,windowsDriverUpdateProfile'
    ])
    expect(partial.code).not.toBe(0)

    const set = await world.run([
      'tenants',
      'set',
      '--tenant',
      'Contoso',
      '--exclude-types',
      'windowsDriverUpdateProfile',
      '--json'
    ])
    expect(set.code).toBe(0)
    expect(set.json<{ tenant: { excludedTypes: string[] } }>().tenant.excludedTypes).toEqual([
      'windowsDriverUpdateProfile'
    ])
    const list = (await world.run(['tenants', 'list', '--json'])).json<{
      tenants: Array<{ excludedTypes: string[] }>
    }>()
    expect(list.tenants[0]!.excludedTypes).toEqual(['windowsDriverUpdateProfile'])
    // the same sync is now complete: the excluded type is out of selection, not a failure
    const clean = await world.run([
      'sync',
      '--tenant',
      'Contoso',
      '--types',
      'compliancePolicy,windowsDriverUpdateProfile',
      '--json'
    ])
    expect(clean.code).toBe(0)
    expect(Object.keys(clean.json<SyncJson>().results[0]!.run!.typeOutcomes)).toEqual(['compliancePolicy'])
    // and the suggestion is not repeated once followed
    const again = await world.run([
      'tenants',
      'test',
      '--tenant',
      'Contoso',
      '--types',
      'compliancePolicy,windowsDriverUpdateProfile'
    ])
    expect(again.stdout).not.toContain('--exclude-types')

    expect((await world.run(['tenants', 'set', '--tenant', 'Contoso'])).code).toBe(2)
    expect((await world.run(['tenants', 'set', '--tenant', 'Contoso', '--exclude-types', 'nope'])).code).toBe(
      2
    )
    const cleared = await world.run([
      'tenants',
      'set',
      '--tenant',
      'Contoso',
      '--exclude-types',
      '',
      '--json'
    ])
    expect(cleared.json<{ tenant: { excludedTypes: string[] } }>().tenant.excludedTypes).toEqual([])
  })

  it('exits 3 when sign-in fails (secret variable unset, wrong secret)', async () => {
    await world.addTenant('Contoso')
    delete world.env.SECRET_CONTOSO
    const unset = await world.run(['sync', '--tenant', 'Contoso', '--json'])
    expect(unset.code).toBe(3)
    expect(unset.json<SyncJson>().results[0]!.run!.errorCodes).toContain('AUTH_NO_CREDENTIAL')

    world.env.SECRET_CONTOSO = 'wrong-secret'
    const wrong = await world.run(['sync', '--tenant', 'Contoso'])
    expect(wrong.code).toBe(3)
    expect(wrong.stdout).toContain('AUTH_INVALID_SECRET')
    expect(wrong.stdout + wrong.stderr).not.toContain('wrong-secret')
    // a scheduled job that drops stdout still reads the reason and the fix, on one line of stderr
    const reason = wrong.stderr.split('\n').find((l) => l.startsWith('Contoso: sync failed: '))
    expect(reason).toMatch(/^Contoso: sync failed: AUTH_INVALID_SECRET: .+ → .*secret VALUE/)
    // …also in JSON mode, where stdout is the document
    expect(unset.stderr).toMatch(/^Contoso: sync failed: AUTH_NO_CREDENTIAL: .+ → /m)
  })

  it('exits 5 when the run fails', async () => {
    await world.addTenant('Contoso')
    world.graph.script({ path: /.*/, times: Infinity, fault: { kind: 'unauthorized' } })
    const sync = await world.run(['sync', '--tenant', 'Contoso', '--json'])
    const run = sync.json<SyncJson>().results[0]!.run!
    expect(run.status).toBe('failed')
    expect(sync.code).toBe(5)
  })

  it('sync --all exits with the worst code of its tenants', async () => {
    await world.addTenant('Contoso')
    await world.addTenant('Fabrikam')
    delete world.env.SECRET_FABRIKAM
    world.graph.script({
      path: '/deviceAppManagement/mobileApps',
      times: Infinity,
      fault: { kind: 'forbidden', scopes: ['DeviceManagementApps.Read.All'] }
    })
    const sync = await world.run(['sync', '--all', '--json'])
    // one stderr line per tenant that did not fully succeed, none for the others
    const reasons = sync.stderr
      .split('\n')
      .filter((l) => / sync (failed|partial|not started|skipped)/.test(l))
    expect(reasons).toEqual([
      expect.stringMatching(
        /^Contoso: sync partial \(1 policy type not collected\): GRAPH_FORBIDDEN: .+ → grant/
      ),
      expect.stringMatching(/^Fabrikam: sync failed: AUTH_NO_CREDENTIAL: /)
    ])
    const out = sync.json<SyncJson>()
    const byName = Object.fromEntries(out.results.map((r) => [r.tenant.displayName, r.exitCode]))
    expect(byName).toEqual({ Contoso: 4, Fabrikam: 3 })
    expect(sync.code).toBe(3)
    expect(out.exitCode).toBe(3)
  })

  it('Ctrl-C cancels the running sync, waits until it is recorded, and exits 130', async () => {
    await world.addTenant('Contoso')
    let interrupt: (() => void) | undefined
    let requests = 0
    // the operator presses Ctrl-C while the third Graph request is in flight
    const stop = world.graph.onRequest(() => {
      if (++requests === 3) interrupt?.()
    })
    const sync = await world.run(['sync', '--tenant', 'Contoso', '--json'], {
      onInterrupt: (handler) => {
        interrupt = handler
        return () => (interrupt = undefined)
      }
    })
    stop()
    expect(sync.code).toBe(130)
    const out = sync.json<SyncJson>()
    expect(out.interrupted).toBe(true)
    const runs = (await world.run(['runs', '--tenant', 'Contoso', '--json'])).json<{ runs: RunSummary[] }>()
      .runs
    expect(runs).toHaveLength(1)
    expect(runs[0]!.status).not.toBe('running')
    expect(runs[0]!.finishedAt).not.toBeNull()
    expect(runs[0]!.errorCodes).toContain('CANCELLED')
  })
})

describe('usage', () => {
  it('exits 2 with one stderr line on unknown commands and missing options', async () => {
    for (const argv of [
      ['frobnicate'],
      ['runs'],
      ['export', '--tenant', 'x', '--view', 'nope', '--out', 'a.csv'],
      ['inventory', '--tenant', 'x', '--limit', '0']
    ]) {
      const r = await world.run(argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1)
    }
  })

  it('with --json, errors are also one JSON document on stdout', async () => {
    const r = await world.run(['runs', '--tenant', 'nobody', '--json'])
    expect(r.code).toBe(2)
    expect(r.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String), exitCode: 2 } })
    const usage = await world.run(['sync', '--json', '--bogus'])
    expect(usage.code).toBe(2)
    expect(usage.json()).toMatchObject({ error: { code: 'INVALID_INPUT', exitCode: 2 } })
  })

  it('prints help and the version with exit 0', async () => {
    const help = await runInProcess(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: tenant-atlas')
    for (const cmd of ['tenants', 'sync', 'runs', 'missing', 'inventory', 'export', 'demo'])
      expect(help.stdout).toContain(cmd)
    const version = await runInProcess(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('uses TENANT_ATLAS_DATA_DIR when --data-dir is absent', async () => {
    await world.addTenant('Contoso')
    const r = await runInProcess(['tenants', 'list', '--json'], { env: { TENANT_ATLAS_DATA_DIR: world.dir } })
    expect(r.json<{ tenants: TenantView[] }>().tenants.map((t) => t.displayName)).toEqual(['Contoso'])
  })
})
