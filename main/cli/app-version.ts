import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The package's version. The nearest package.json above this module is the package's own: from source
 * (main/cli) and from the bundle, wherever the bundler puts this module (out/main or out/main/chunks).
 */
export function appVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }
      return pkg.version ?? '0.0.0'
    } catch {
      dir = dirname(dir)
    }
  }
  return '0.0.0'
}
