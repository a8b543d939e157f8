/**
 * The layer rules of .dependency-cruiser.mjs: each one fails on a violation planted in a fixture tree (a
 * temporary directory shaped like the repo), the allowed neighbours of each violation pass, and the real
 * tree passes. The same config drives `npm run lint:layers`.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { cruise, type IConfiguration, type IViolation } from 'dependency-cruiser'
import { ESLint } from 'eslint'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const FOLDERS = ['main', 'db', 'domain', 'preload', 'renderer', 'test', 'bin']

async function violations(baseDir: string, folders: string[]): Promise<IViolation[]> {
  const config = (await import(pathToFileURL(join(ROOT, '.dependency-cruiser.mjs')).href)) as {
    default: IConfiguration
  }
  const { options = {}, ...ruleSet } = config.default
  const { enhancedResolveOptions, tsConfig: _tsConfig, ...cruiseOptions } = options
  const result = await cruise(
    folders,
    { ...cruiseOptions, baseDir, validate: true, ruleSet: ruleSet as never },
    // the fixture's node_modules is a link to the repo's: keep its path as the repo would see it
    { ...enhancedResolveOptions, symlinks: false } as never
  )
  if (typeof result.output === 'string') throw new Error('expected a cruise result object')
  return result.output.summary.violations
}

const byRule = (found: IViolation[]): string[] =>
  found.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort()

describe('layer rules (dependency-cruiser)', () => {
  let fixture = ''
  const plant = (files: Record<string, string>): void => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fixture, path)), { recursive: true })
      writeFileSync(join(fixture, path), text)
    }
  }

  beforeAll(() => {
    fixture = mkdtempSync(join(tmpdir(), 'atlas-layers-'))
    // packages resolve as in the repo (electron, better-sqlite3)
    symlinkSync(join(ROOT, 'node_modules'), join(fixture, 'node_modules'), 'dir')
    plant({
      // allowed neighbours: the renderer's own files and the contract, the edge importing electron,
      // db reading the domain, main reading db and domain, tests reading product code
      'renderer/src/ok.ts': `import type { Bridge } from '../../preload/contract'\nimport { x } from './local'\nexport const y = x`,
      'renderer/src/local.ts': `export const x = 1`,
      'preload/contract.ts': `export interface Bridge { a: number }`,
      'main/ipc/register.ts': `import { ipcMain } from 'electron'\nexport const r = ipcMain`,
      'db/runs.ts': `import type { Run } from '../domain/run'\nexport const runs: Run[] = []`,
      'domain/run.ts': `export interface Run { id: string }`,
      'main/app/uses-db.ts': `import { runs } from '../../db/runs'\nexport const n = runs.length`,
      'bin/cli.mjs': `import '../main/app/uses-db'`,
      'test/unit/a.test.ts': `import { n } from '../../main/app/uses-db'\nexport const t = n`,
      // one planted violation per rule
      'renderer/src/reaches-main.ts': `import type { Thing } from '../../main/inventory/thing'\nexport type T = Thing`,
      'main/inventory/thing.ts': `export interface Thing { a: number }`,
      'renderer/src/uses-node.ts': `import { readFileSync } from 'node:fs'\nexport const f = readFileSync`,
      'renderer/src/uses-sqlite.ts': `import Database from 'better-sqlite3'\nexport const d = Database`,
      'main/inventory/uses-electron.ts': `import { app } from 'electron'\nexport const a = app`,
      'db/reaches-main.ts': `import type { Thing } from '../main/inventory/thing'\nexport type T = Thing`,
      'domain/reaches-main.ts': `import { now } from '../main/util/clock'\nexport const r = now`,
      'main/util/clock.ts': `export const now = () => 0`,
      'main/demo/uses-test.ts': `import { t } from '../../test/unit/a.test'\nexport const u = t`,
      'main/graph/client.ts': `import { read } from '../net/read'\nexport type Fetch = () => void\nexport const c = read`,
      'main/net/read.ts': `import type { Fetch } from '../graph/client'\nexport const read = (f: Fetch) => f`,
      // main/app is exempt only from its cycle with preload/: a cycle with inventory/ is still caught
      'main/app/wiring.ts': `import { run } from '../inventory/run'\nexport const w = run`,
      'main/inventory/run.ts': `import type { Conn } from '../app/conn'\nexport const run = (c: Conn) => c`,
      'main/app/conn.ts': `export interface Conn { a: number }`
    })
  })
  afterAll(() => rmSync(fixture, { recursive: true, force: true }))

  it('catches each planted violation, type-only imports included, and nothing else', async () => {
    const found = byRule(await violations(fixture, FOLDERS))
    expect(found).toEqual(
      [
        'core-no-electron: main/inventory/uses-electron.ts -> node_modules/electron/index.js',
        'db-not-main: db/reaches-main.ts -> main/inventory/thing.ts',
        'domain-is-a-leaf: domain/reaches-main.ts -> main/util/clock.ts',
        'product-not-test: main/demo/uses-test.ts -> test/unit/a.test.ts',
        'renderer-no-node: renderer/src/uses-node.ts -> fs',
        'renderer-no-node-packages: renderer/src/uses-sqlite.ts -> node_modules/better-sqlite3/lib/index.js',
        'renderer-only-contract: renderer/src/reaches-main.ts -> main/inventory/thing.ts',
        ...found.filter((f) => f.startsWith('no-folder-cycles'))
      ].sort()
    )
    const cycles = found.filter((f) => f.startsWith('no-folder-cycles'))
    expect(cycles.length).toBeGreaterThan(0)
    expect(cycles.map((c) => c.replace(/^no-folder-cycles: /, ''))).toEqual(
      expect.arrayContaining([
        'main/graph -> main/net',
        'main/net -> main/graph',
        'main/inventory -> main/app'
      ])
    )
  })

  it('passes the real tree', async () => {
    expect(byRule(await violations(ROOT, FOLDERS))).toEqual([])
  })
})

describe('renderer globals (eslint)', () => {
  it('refuses Node globals in renderer code and allows them in main/', async () => {
    const eslint = new ESLint({ cwd: ROOT })
    const code = `export const leak = [process.env.HOME, Buffer.from('x'), typeof window]\n`
    const [page] = await eslint.lintText(code, { filePath: join(ROOT, 'renderer/src/planted.ts') })
    expect(page!.messages.map((m) => `${m.ruleId}: ${m.message}`)).toEqual([
      "no-restricted-globals: Unexpected use of 'process'. The renderer runs in a sandboxed page: no Node globals.",
      "no-restricted-globals: Unexpected use of 'Buffer'. The renderer runs in a sandboxed page: no Node globals."
    ])
    const [engine] = await eslint.lintText(code, { filePath: join(ROOT, 'main/util/planted.ts') })
    expect(engine!.messages.filter((m) => m.ruleId === 'no-restricted-globals')).toEqual([])
  })
})
