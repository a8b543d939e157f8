import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGraphFake, type GraphFake } from '../../main/demo/simulator/graph-fake'
import { startIdentityFake, type RunningIdentityFake } from '../../main/demo/simulator/identity-fake'
import { generateTenant } from '../../main/demo/simulator/tenant-generator'

import { BIN, ROOT } from '../support/built-app'
import { HANG_GUARD_MS } from '../support/hang-guard'

interface Spawned {
  code: number
  stdout: string
  stderr: string
}

/**
 * The real launcher in a child process (async: the fakes it talks to live in this process's event loop). It
 * runs the CLI vitest's global setup built once (out/main/cli.js). The timeout only stops a hung child.
 */
function spawnCli(args: string[], env: Record<string, string> = {}, script = BIN): Promise<Spawned> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [script, ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        timeout: HANG_GUARD_MS
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        done({ code, stdout, stderr })
      }
    )
  })
}

const PKG_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version

let tmp: string

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'atlas-bin-'))
})
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
})

describe('bin/tenant-atlas.mjs', () => {
  it('runs the built CLI: help, version, JSON on an empty data dir, usage errors', async () => {
    const help = await spawnCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: tenant-atlas')
    const version = await spawnCli(['--version'])
    expect(version.stdout).toBe(`${PKG_VERSION}\n`)
    // a bare --version is answered before the parser loads (main/cli/start.ts); with another flag the
    // parser answers: both say the same
    expect((await spawnCli(['-V'])).stdout).toBe(`${PKG_VERSION}\n`)
    expect((await spawnCli(['--json', '--version'])).stdout).toBe(`${PKG_VERSION}\n`)

    const dataDir = join(tmp, 'empty')
    const list = await spawnCli(['tenants', 'list', '--json'], { TENANT_ATLAS_DATA_DIR: dataDir })
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual({ tenants: [] })

    const bad = await spawnCli(['--data-dir', dataDir, 'sync', '--tenant', 'Nobody'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(
      'tenant-atlas: error: No tenant named or with id "Nobody". [NOT_FOUND] (check the name with `tenant-atlas tenants list`)\n'
    )
  })

  it('`npm run cli` (tsx main/cli/source-entry.ts) runs the same CLI from source', async () => {
    const tsxCli = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
    const r = await spawnCli(
      ['main/cli/source-entry.ts', '--data-dir', join(tmp, 'npm'), 'tenants', 'list', '--json'],
      {},
      tsxCli
    )
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ tenants: [] })
  })

  it('runs the demo without a TTY: plain progress lines on stderr, the summary on stdout', async () => {
    const r = await spawnCli(['--data-dir', join(tmp, 'demo'), 'demo'])
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain('\r')
    expect(r.stderr).toMatch(/^Demo: run 1 started, \d+ policy types$/m)
    expect(r.stderr).toMatch(/^Demo: throttled by Graph \(HTTP 429\), waiting [\d.]+ s as asked$/m)
    expect(r.stdout).toMatch(/Demo tenant "Demo" created and synced: success/)
  })
})

describe('insight commands on the built CLI', () => {
  it('`changes --json` after a second demo sync, and `export --pack` re-read against its manifest', async () => {
    const dataDir = join(tmp, 'insight')
    expect((await spawnCli(['--data-dir', dataDir, 'demo'])).code).toBe(0)
    expect(
      (await spawnCli(['--data-dir', dataDir, 'changes', '--tenant', 'Demo', '--mark-visit', 'latest'])).code
    ).toBe(0)
    // the demo's second sync sees a changed tenant (objects deleted, one type refused)
    await spawnCli(['--data-dir', dataDir, 'demo'])
    const r = await spawnCli(['--data-dir', dataDir, 'changes', '--tenant', 'Demo', '--json'])
    expect(r.stderr).toBe('')
    const report = JSON.parse(r.stdout) as {
      tenant: { displayName: string }
      since: { runId: number }
      counts: { new: number; changed: number; gone: number }
      gone: Array<{ reason: string }>
    }
    expect(report.tenant.displayName).toBe('Demo')
    expect(report.since.runId).toBe(1)
    expect(report.counts.gone).toBeGreaterThan(0)
    expect(report.counts.gone).toBe(report.gone.length)
    const bySince = JSON.parse(
      (await spawnCli(['--data-dir', dataDir, 'changes', '--tenant', 'Demo', '--since', '1', '--json']))
        .stdout
    ) as { counts: unknown }
    expect(bySince.counts).toEqual(report.counts)

    const packDir = join(tmp, 'demo-pack')
    const pack = await spawnCli([
      '--data-dir',
      dataDir,
      'export',
      '--tenant',
      'Demo',
      '--pack',
      packDir,
      '--json'
    ])
    expect(pack.code).toBe(0)
    const { manifest } = JSON.parse(pack.stdout) as {
      manifest: { files: Array<{ name: string; rows: number; sha256: string }> }
    }
    const onDisk = JSON.parse(readFileSync(join(packDir, 'manifest.json'), 'utf8')) as typeof manifest
    expect(onDisk.files).toEqual(manifest.files)
    for (const f of manifest.files) {
      const text = readFileSync(join(packDir, f.name))
      expect(createHash('sha256').update(text).digest('hex')).toBe(f.sha256)
      // data rows: records after the header (no field of these exports spans lines in the demo data)
      const lines = text
        .toString('utf8')
        .split('\r\n')
        .filter((l) => l !== '')
      expect(lines.length - 1).toBe(f.rows)
    }
    const missing = manifest.files.find((f) => f.name === 'missing.csv')!
    expect(missing.rows).toBeGreaterThan(0)
    const again = await spawnCli(['--data-dir', dataDir, 'export', '--tenant', 'Demo', '--pack', packDir])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('[EXPORT_TARGET_NOT_EMPTY]')
  })
})

describe('custom cloud over https on loopback (real TLS, real MSAL network path)', () => {
  let graph: GraphFake
  let identity: RunningIdentityFake
  let caFile: string

  beforeAll(async () => {
    // A throwaway CA and a server certificate for 127.0.0.1, made fresh for this run and never committed.
    const dir = join(tmp, 'pki')
    execFileSync('mkdir', ['-p', dir])
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Tenant Atlas test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign'
    )
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1'
    )
    writeFileSync(
      join(dir, 'ext.cnf'),
      'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n'
    )
    ssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf'
    )
    const tls = {
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
      cert: readFileSync(join(dir, 'server.pem'), 'utf8')
    }
    caFile = join(dir, 'ca.pem')
    graph = await startGraphFake({ data: generateTenant({ seed: 5, size: 150 }), tls, budget: false })
    identity = await startIdentityFake({ tls })
    identity.fake.registerApp({
      tenant: 'fabrikam.onmicrosoft.com',
      clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      secret: 'https-secret'
    })
  })
  afterAll(async () => {
    await graph?.close()
    await identity?.close()
  })

  it('adds a custom-cloud tenant, syncs it over https, and exits 3 with a wrong secret', async () => {
    const dataDir = join(tmp, 'https')
    const env = { NODE_EXTRA_CA_CERTS: caFile, FABRIKAM_SECRET: 'https-secret' }
    const add = await spawnCli(
      [
        '--data-dir',
        dataDir,
        'tenants',
        'add',
        '--name',
        'Fabrikam',
        '--tenant-id',
        'fabrikam.onmicrosoft.com',
        '--client-id',
        'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        '--client-secret-env',
        'FABRIKAM_SECRET',
        '--cloud',
        'custom',
        '--authority-host',
        identity.origin,
        '--graph-endpoint',
        graph.baseUrl
      ],
      env
    )
    expect(add.stderr).toBe('')
    expect(add.code).toBe(0)

    const sync = await spawnCli(['--data-dir', dataDir, 'sync', '--tenant', 'Fabrikam', '--json'], env)
    expect(sync.stderr).toBe('')
    expect(sync.code).toBe(0)
    const out = JSON.parse(sync.stdout) as {
      results: Array<{ run: { status: string; itemsObservedCount: number } }>
    }
    expect(out.results[0]!.run).toMatchObject({ status: 'success' })
    expect(out.results[0]!.run.itemsObservedCount).toBeGreaterThan(100)
    // MSAL really talked to the https authority, and Graph got its token
    expect(identity.fake.tokenEndpointsCalled()).toContain(
      `${identity.origin}/fabrikam.onmicrosoft.com/oauth2/v2.0/token`
    )
    expect(graph.requests.every((r) => r.hasAuth)).toBe(true)

    const wrong = await spawnCli(['--data-dir', dataDir, 'sync', '--tenant', 'Fabrikam'], {
      ...env,
      FABRIKAM_SECRET: 'nope'
    })
    expect(wrong.code).toBe(3)
    expect(wrong.stdout).toContain('AUTH_INVALID_SECRET')

    // without the CA the TLS handshake fails: a network problem on sign-in, still an auth failure (3)
    const untrusted = await spawnCli(['--data-dir', dataDir, 'sync', '--tenant', 'Fabrikam', '--json'], {
      FABRIKAM_SECRET: 'https-secret'
    })
    expect(untrusted.code).toBe(3)
    expect(JSON.parse(untrusted.stdout).results[0].run.errorCodes).toContain('AUTH_NETWORK')
  })
})
