import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The renderer's source files (what a build of out/renderer depends on). */
export function rendererSourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(tsx?|jsx?|css|html)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
}

/**
 * Builds the app (electron-vite) when out/renderer is missing or older than the renderer's sources; shared
 * by the benches and the Chromium suites. Returns an error message, or null when the build is current.
 */
export function ensureRendererBuilt(rootDir: string, rendererDir: string, outDir: string): string | null {
  const index = join(outDir, 'index.html')
  const newest = Math.max(...rendererSourceFiles(rendererDir).map((f) => statSync(f).mtimeMs))
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return null
  const bin = join(rootDir, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const res = spawnSync(process.execPath, [bin, 'build'], { cwd: rootDir, encoding: 'utf8' })
  return res.status === 0 ? null : `electron-vite build failed: ${(res.stderr || res.stdout).slice(-500)}`
}
