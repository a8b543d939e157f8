import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'

export const ROOT = join(import.meta.dirname, '..', '..')
/** The built CLI the subprocess tests share (bin/tenant-atlas.mjs runs it) and its sync worker. */
export const BUILT_CLI = join(ROOT, 'out', 'main', 'cli.js')
export const BUILT_WORKER = join(ROOT, 'out', 'main', 'sync-worker.js')
export const BIN = join(ROOT, 'bin', 'tenant-atlas.mjs')
/**
 * The crash suite's child (test/crash/child.ts) bundled to JavaScript: it is spawned 28 times, and each
 * start through tsx compiled the whole engine again. Kept out of out/ so no package can pick it up.
 */
export const CRASH_CHILD = join(ROOT, 'node_modules', '.cache', 'tenant-atlas-tests', 'crash-child.mjs')

const SOURCES = ['main', 'db', 'preload', 'renderer', 'electron.vite.config.ts', 'package.json']
const CRASH_CHILD_SOURCES = ['main', 'db', 'test/crash', 'test/support', 'package.json']

function newestMtime(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), st.mtimeMs)
}

function staleAgainst(outputs: string[], sources: string[]): boolean {
  if (!outputs.every((o) => existsSync(o))) return true
  const built = Math.min(...outputs.map((o) => statSync(o).mtimeMs))
  return sources.some((s) => existsSync(join(ROOT, s)) && newestMtime(join(ROOT, s)) > built)
}

/** out/ is missing or older than a source file it is built from. */
export function buildIsStale(): boolean {
  return staleAgainst([BUILT_CLI, BUILT_WORKER], SOURCES)
}

/** Bundles the crash child (everything but the native better-sqlite3, which the child patches). */
async function buildCrashChild(): Promise<void> {
  if (!staleAgainst([CRASH_CHILD], CRASH_CHILD_SOURCES)) return
  await build({
    configFile: false,
    logLevel: 'warn',
    root: ROOT,
    ssr: { noExternal: true, external: ['better-sqlite3'] },
    build: {
      ssr: join(ROOT, 'test', 'crash', 'child.ts'),
      outDir: join(CRASH_CHILD, '..'),
      emptyOutDir: true,
      target: 'node22',
      rolldownOptions: { output: { format: 'esm', entryFileNames: 'crash-child.mjs' } }
    }
  })
}

/**
 * vitest globalSetup: builds once, before any suite starts, what is stale: out/ (the CLI and the sync worker
 * as shipped) and the crash child. Every subprocess test then runs built JavaScript (no TypeScript loader
 * per spawned process), and no suite builds on its own.
 */
export default async function setup(): Promise<void> {
  if (buildIsStale()) buildApp()
  await buildCrashChild()
}

export function buildApp(): void {
  const bin = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0)
    throw new Error(`electron-vite build failed before the tests:\n${r.stdout}\n${r.stderr}`)
}
