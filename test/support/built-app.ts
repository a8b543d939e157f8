import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '..', '..')
/** The built CLI the subprocess tests share (bin/tenant-atlas.mjs runs it) and its sync worker. */
export const BUILT_CLI = join(ROOT, 'out', 'main', 'cli.js')
export const BUILT_WORKER = join(ROOT, 'out', 'main', 'sync-worker.js')
export const BIN = join(ROOT, 'bin', 'tenant-atlas.mjs')

const SOURCES = ['main', 'db', 'preload', 'renderer', 'electron.vite.config.ts', 'package.json']

function newestMtime(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), st.mtimeMs)
}

/** out/ is missing or older than a source file it is built from. */
export function buildIsStale(): boolean {
  if (!existsSync(BUILT_CLI) || !existsSync(BUILT_WORKER)) return true
  const built = Math.min(statSync(BUILT_CLI).mtimeMs, statSync(BUILT_WORKER).mtimeMs)
  return SOURCES.some((s) => existsSync(join(ROOT, s)) && newestMtime(join(ROOT, s)) > built)
}

/**
 * vitest globalSetup: builds once, before any suite starts, when out/ is stale. Every subprocess test then
 * runs the same built JavaScript (no TypeScript loader per spawned process), and no suite builds on its own.
 */
export default function setup(): void {
  if (!buildIsStale()) return
  const bin = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0)
    throw new Error(`electron-vite build failed before the tests:\n${r.stdout}\n${r.stderr}`)
}
