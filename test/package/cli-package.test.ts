import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../support/built-app'

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
/** The machine's own Node when it is older than the project needs (Node 20 here), else undefined. */
const OLD_NODE = ((): string | undefined => {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const r = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' })
    const [major = 0, minor = 0] = (r.stdout ?? '').trim().split('.').map(Number)
    if (r.status === 0 && (major < 22 || (major === 22 && minor < 12))) return candidate
  }
  return undefined
})()

let tmp: string
let prefix: string
/** PATH with this (new enough) Node first, as after `bash scripts/setup.sh` */
let pathWithNode: string

function run(file: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(file, args, {
    encoding: 'utf8',
    cwd: tmp,
    // the user's environment (npm's registry, proxy and CA settings), with this Node first on PATH
    env: { ...process.env, PATH: pathWithNode, ...env }
  })
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'atlas-pack-'))
  prefix = join(tmp, 'prefix')
  mkdirSync(prefix)
  pathWithNode = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' })
  ) as Array<{ filename: string; files: Array<{ path: string }> }>
  const tarball = join(tmp, packed[0]!.filename)
  // -g with a prefix: installed as a user installs a tool, from the tarball alone (better-sqlite3 comes from
  // the registry, or npm's cache when it has it)
  const install = run('npm', [
    'install',
    '-g',
    '--prefix',
    prefix,
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    tarball
  ])
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.stdout}\n${install.stderr}`)
})

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('the CLI as an npm package (npm pack, installed into an empty prefix)', () => {
  it('holds the built CLI and no source, tests or TypeScript loader', () => {
    const installed = join(prefix, 'lib', 'node_modules', 'tenant-atlas')
    const files = execFileSync(
      'find',
      ['.', '-path', './node_modules', '-prune', '-o', '-type', 'f', '-print'],
      {
        cwd: installed,
        encoding: 'utf8'
      }
    )
      .split('\n')
      .filter(Boolean)
    expect(files).toContain('./out/main/cli.js')
    expect(files).toContain('./out/main/sync-worker.js')
    expect(files).toContain('./db/migrations/meta/_journal.json')
    expect(
      files.filter((f) => /\.tsx?$/.test(f) || f.startsWith('./test/') || f.startsWith('./main/'))
    ).toEqual([])
    const modules = execFileSync('ls', [join(installed, 'node_modules')], { encoding: 'utf8' }).split('\n')
    expect(modules).not.toContain('tsx')
    expect(modules).toContain('better-sqlite3')
  })

  it('`tenant-atlas --version` and `tenant-atlas demo` work from the installed bin', () => {
    const bin = join(prefix, 'bin', 'tenant-atlas')
    const version = run(bin, ['--version'])
    expect(version.stderr).toBe('')
    expect(version.stdout).toBe(`${VERSION}\n`)

    const dataDir = join(tmp, 'data')
    const demo = run(bin, ['--data-dir', dataDir, 'demo'])
    expect(demo.status).toBe(0)
    expect(demo.stdout).toMatch(/Demo tenant "Demo" created and synced: success/)
    // the sync ran on the installed package's own worker: its runs are in the data dir
    const runs = run(bin, ['--data-dir', dataDir, 'runs', '--tenant', 'Demo', '--json'])
    expect(runs.status).toBe(0)
    expect((JSON.parse(runs.stdout) as { runs: Array<{ status: string }> }).runs[0]!.status).toBe('success')
  })

  it.runIf(OLD_NODE)(
    'on an old Node it stops with one line naming the Node it needs and how to get it',
    () => {
      const script = join(prefix, 'lib', 'node_modules', 'tenant-atlas', 'bin', 'tenant-atlas.mjs')
      const r = run(OLD_NODE!, [script, '--version'], {
        PATH: `${dirname(OLD_NODE!)}${delimiter}/usr/bin:/bin`
      })
      expect(r.status).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(
        /^tenant-atlas: needs Node >= 22\.12, but this is Node \d+\.[\d.]+ \(.+\): install Node 22 /
      )
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
  )
})
