import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { extractFile, listPackage } from '@electron/asar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncWorkerPathFor } from '../../main/electron/paths'
import { createHarness, syncAndWait, type Harness } from '../support/harness'
import { ROOT } from '../support/built-app'

/** What the unpacked Linux app may weigh at most (app.asar + app.asar.unpacked), Electron itself excluded. */
const SIZE_BUDGET_BYTES = 12 * 1024 * 1024

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

let tmp: string
let resources: string
let inAsar: string[]

function sizeOf(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.size
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0)
}

/** Every file below dir, as '/relative/path' like the asar listing. */
function filesBelow(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesBelow(join(dir, e.name), `${prefix}/${e.name}`) : [`${prefix}/${e.name}`]
  )
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'atlas-package-'))
  // A stand-in Electron distribution: electron-builder only copies it (no download). No default_app.asar:
  // its presence breaks the asar integrity step.
  const electronDist = join(tmp, 'electron-dist')
  mkdirSync(join(electronDist, 'resources'), { recursive: true })
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n')
  chmodSync(join(electronDist, 'electron'), 0o755)
  writeFileSync(join(electronDist, 'version'), pkg.devDependencies.electron!)
  const builder = join(ROOT, 'node_modules', 'electron-builder', 'cli.js')
  const r = spawnSync(
    process.execPath,
    [
      builder,
      '--dir',
      '--linux',
      '--x64',
      '--config',
      'build/electron-builder.yml',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${join(tmp, 'dist')}`
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } }
  )
  if (r.status !== 0) throw new Error(`electron-builder failed:\n${r.stdout}\n${r.stderr}`)
  resources = join(tmp, 'dist', 'linux-unpacked', 'resources')
  inAsar = listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.replaceAll('\\', '/'))
})

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('the desktop package (electron-builder --dir, build/electron-builder.yml)', () => {
  it('holds the built app and a package.json without devDependencies', () => {
    for (const file of [
      '/out/main/index.js',
      '/out/main/sync-worker.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/package.json'
    ]) {
      expect(inAsar).toContain(file)
    }
    expect(inAsar.some((p) => p.startsWith('/out/renderer/assets/') && p.endsWith('.js'))).toBe(true)
    const packaged = JSON.parse(
      extractFile(join(resources, 'app.asar'), 'package.json').toString()
    ) as Record<string, unknown>
    expect(packaged.main).toBe('./out/main/index.js')
    expect(packaged.version).toBe(pkg.version)
    expect(packaged.devDependencies).toBeUndefined()
  })

  it('unpacks the native module, the sync worker, the chunks it imports and the migrations', () => {
    const unpacked = join(resources, 'app.asar.unpacked')
    expect(existsSync(join(unpacked, 'node_modules/better-sqlite3/prebuilds/linux-x64.node'))).toBe(true)
    // the other operating systems' prebuilt binaries stay out of a Linux package
    const prebuilds = readdirSync(join(unpacked, 'node_modules/better-sqlite3/prebuilds'))
    expect(prebuilds.sort()).toEqual(['linux-arm64.node', 'linux-x64.node'])
    expect(existsSync(join(unpacked, 'node_modules/better-sqlite3/lib/index.js'))).toBe(true)
    expect(existsSync(join(unpacked, 'db/migrations/meta/_journal.json'))).toBe(true)
    const worker = readFileSync(join(unpacked, 'out/main/sync-worker.js'), 'utf8')
    const relative = [...worker.matchAll(/from\s+["'](\.[^"']+)["']/g)].map((m) => m[1]!)
    expect(relative.length).toBeGreaterThan(0)
    for (const spec of relative) expect(existsSync(join(unpacked, 'out/main', spec))).toBe(true)
  })

  it('ships nothing from test/, no TypeScript source, no dev tool and no devDependency', () => {
    const everything = [...inAsar, ...filesBelow(join(resources, 'app.asar.unpacked'))]
    expect(everything.filter((p) => p.startsWith('/test/') || p.startsWith('/main/'))).toEqual([])
    expect(everything.filter((p) => /\.tsx?$/.test(p))).toEqual([])
    expect(everything.filter((p) => p.includes('web-host'))).toEqual([])
    const modules = new Set(
      everything
        .map((p) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1])
        .filter((m): m is string => m !== undefined)
    )
    expect([...modules].filter((m) => m in pkg.devDependencies)).toEqual([])
    expect(modules.has('tsx')).toBe(false)
    expect([...modules].sort()).toEqual(Object.keys(pkg.dependencies).sort())
  })

  it('carries the licence of every library bundled into the main process and the window', () => {
    const notices = (bundle: string) =>
      extractFile(join(resources, 'app.asar'), `out/${bundle}/THIRD_PARTY_NOTICES.txt`).toString()
    const named = (text: string) => new Set([...text.matchAll(/^Name: (\S+)$/gm)].map((m) => m[1]!))
    // the main bundles are not minified: rolldown marks each library's code with its node_modules path
    const mainOut = join(ROOT, 'out', 'main')
    const bundled = new Set<string>()
    for (const file of filesBelow(mainOut).filter((p) => p.endsWith('.js'))) {
      for (const m of readFileSync(join(mainOut, file), 'utf8').matchAll(
        /^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm
      )) {
        bundled.add(m[1]!)
      }
    }
    const mainNotices = named(notices('main'))
    expect(bundled.size).toBeGreaterThan(10)
    expect([...bundled].filter((name) => !mainNotices.has(name))).toEqual([])
    const windowNotices = named(notices('renderer'))
    for (const name of ['react', 'react-dom', '@tanstack/react-table', '@fluentui/react-button']) {
      expect(windowNotices.has(name), name).toBe(true)
    }
  })

  it(`stays within its size budget (${SIZE_BUDGET_BYTES / 1024 / 1024} MB without Electron)`, () => {
    const size = sizeOf(join(resources, 'app.asar')) + sizeOf(join(resources, 'app.asar.unpacked'))
    expect(size).toBeLessThan(SIZE_BUDGET_BYTES)
  })
})

describe('the unpacked sync worker runs on plain Node, with no asar support at all', () => {
  let h: Harness | undefined
  afterAll(async () => {
    await h?.close()
  })

  it('the app points its worker at the unpacked copy; unpackaged, at the file next to main', () => {
    expect(syncWorkerPathFor(join(resources, 'app.asar', 'out', 'main'))).toBe(
      join(resources, 'app.asar.unpacked', 'out', 'main', 'sync-worker.js')
    )
    expect(syncWorkerPathFor('C:\\Apps\\Tenant Atlas\\resources\\app.asar\\out\\main')).toMatch(
      /^C:\\Apps\\Tenant Atlas\\resources\\app\.asar\.unpacked\\out\\main[\\/]sync-worker\.js$/
    )
    expect(syncWorkerPathFor('/home/dev/app.asar-notes/out/main')).toBe(
      '/home/dev/app.asar-notes/out/main/sync-worker.js'
    )
  })

  it('syncs a tenant from the worker the packaged app starts (app.asar.unpacked)', async () => {
    const entry = syncWorkerPathFor(join(resources, 'app.asar', 'out', 'main'))
    h = await createHarness({ size: 120, worker: true, atlas: { syncThread: { kind: 'worker', entry } } })
    const run = await syncAndWait(h, { policy_types: ['mobileApp', 'compliancePolicy'] })
    expect(run.status).toBe('success')
    expect(run.itemsObservedCount).toBeGreaterThan(0)
    expect(h.atlas.listInventory({ tenantId: h.tenant.id, limit: 1 }).total).toBe(run.itemsObservedCount)
  })
})
