/**
 * The process boundaries of architecture.md, checked on the source tree (the lint rule says the same; this
 * test also follows imports, so a renderer file cannot reach main/ through a helper in between):
 * - only the Electron edge imports 'electron';
 * - nothing the renderer runs loads main/**, db/**, Node built-ins or Node-only packages.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importsOf, isElectron, isNodeBuiltin, runtimeClosure, sourceFiles } from './import-graph'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const PRODUCT_FOLDERS = ['main', 'db', 'preload', 'renderer']
/** architecture.md "Electron stays at the edge" (same list as eslint.config.js) */
const ELECTRON_EDGE = [
  /^main\/index\.ts$/,
  /^main\/window\.ts$/,
  /^main\/ipc\//,
  /^main\/electron\//,
  /^preload\/index\.ts$/
]
/** packages that only work in the main process: loading one in the page would need Node */
const NODE_ONLY_PACKAGES = ['better-sqlite3', 'drizzle-orm', '@azure/msal-node', 'pino', 'commander']

const read = (repoPath: string): string => readFileSync(join(ROOT, repoPath), 'utf8')

function electronOutsideEdge(files: string[], text: (f: string) => string): string[] {
  return files.flatMap((file) =>
    ELECTRON_EDGE.some((re) => re.test(file))
      ? []
      : importsOf(file, text(file))
          .filter((ref) => isElectron(ref.specifier))
          .map((ref) => `${file}:${ref.line} imports ${ref.specifier}`)
  )
}

function rendererReach(entries: string[], text: (f: string) => string): string[] {
  const problems: string[] = []
  for (const [file, via] of runtimeClosure(ROOT, entries, text)) {
    if (/^(main|db)\//.test(file)) problems.push(`${file} runs in the page (imported at ${via})`)
    if (!/\.[cm]?[jt]sx?$/.test(file)) continue
    for (const ref of importsOf(file, text(file))) {
      const where = `${file}:${ref.line}`
      if (isElectron(ref.specifier)) problems.push(`${where} imports ${ref.specifier}`)
      if (ref.typeOnly) continue
      if (isNodeBuiltin(ref.specifier)) problems.push(`${where} loads Node built-in ${ref.specifier}`)
      const pkg = ref.specifier.startsWith('@')
        ? ref.specifier.split('/').slice(0, 2).join('/')
        : ref.specifier.split('/')[0]!
      if (NODE_ONLY_PACKAGES.includes(pkg)) problems.push(`${where} loads Node-only package ${pkg}`)
    }
  }
  return problems
}

describe('import boundaries of the product source', () => {
  const files = sourceFiles(ROOT, PRODUCT_FOLDERS)

  it('scans a real tree (the edge files exist and do import electron)', () => {
    expect(files.length).toBeGreaterThan(40)
    for (const edge of ['main/index.ts', 'preload/index.ts']) {
      expect(files).toContain(edge)
      expect(
        importsOf(edge, read(edge)).some((r) => isElectron(r.specifier)),
        edge
      ).toBe(true)
    }
  })

  it("imports 'electron' only at the Electron edge", () => {
    expect(electronOutsideEdge(files, read)).toEqual([])
  })

  it('lets nothing the renderer runs load main/, db/, Node built-ins, Node-only packages or electron', () => {
    const renderer = files.filter((f) => f.startsWith('renderer/'))
    expect(renderer.length).toBeGreaterThan(0)
    expect(rendererReach(renderer, read)).toEqual([])
  })
})

describe('the boundary checks catch what they claim to (synthetic sources)', () => {
  const fakeTree: Record<string, string> = {
    'main/app/sneaky.ts': `import { app } from 'electron'\nexport const x = 1`,
    'db/lazy.ts': `export async function f() {\n  return import('electron/main')\n}`,
    'main/cjs.cts': `const { ipcMain } = require('electron')`,
    'main/ipc/fine.ts': `import { ipcMain } from 'electron'`,
    'main/types-only.ts': `import type { BrowserWindow } from 'electron'`,
    'renderer/src/a.tsx': [
      `import type { RunSummary } from '../../domain/run.ts'`,
      `import { helper } from './helper.ts'`,
      `import type { Stats } from 'node:fs'`
    ].join('\n'),
    'renderer/src/helper.ts': [
      `import { type AtlasApi } from '../../preload/bridge-types.ts'`,
      `export { readFile } from 'fs/promises'`,
      `export const helper = 1`
    ].join('\n'),
    'preload/bridge-types.ts': `import { openDatabase } from '../db/client.ts'\nimport Database from 'better-sqlite3'`,
    'db/client.ts': `export const openDatabase = 1`
  }
  const text = (f: string): string => fakeTree[f] ?? ''

  it('finds electron value, dynamic, require and type imports outside the edge, and allows the edge', () => {
    expect(electronOutsideEdge(Object.keys(fakeTree), text)).toEqual([
      'main/app/sneaky.ts:1 imports electron',
      'db/lazy.ts:2 imports electron/main',
      'main/cjs.cts:1 imports electron',
      'main/types-only.ts:1 imports electron'
    ])
  })

  it('follows the renderer through helpers; `import { type X }` still loads the module, `import type` does not', () => {
    expect(rendererReach(['renderer/src/a.tsx'], text)).toEqual([
      'renderer/src/helper.ts:2 loads Node built-in fs/promises',
      'preload/bridge-types.ts:2 loads Node-only package better-sqlite3',
      'db/client.ts runs in the page (imported at preload/bridge-types.ts:1)'
    ])
  })
})
