import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The page runs sandboxed in Chromium: `process` and `Buffer` do not exist there. Lint allows them (the
 * base config declares Node globals for every file) and imports are checked elsewhere
 * (test/security/boundaries.test.ts), so this looks for the globals themselves in renderer sources.
 */
const ROOT = join(import.meta.dirname, '..', '..')
const RENDERER = join(ROOT, 'renderer', 'src')
const NODE_GLOBAL = /(?<![\w.$])(process|Buffer|__dirname|__filename|require)\s*[.([]/

export function nodeGlobalUses(file: string, text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.replace(/\/\/.*$/, ''), n: i + 1 }))
    .filter(({ line }) => NODE_GLOBAL.test(line))
    .map(({ n }) => `${file}:${n}`)
}

describe('renderer sources', () => {
  it('use no Node globals (process, Buffer, require, __dirname)', () => {
    const files = readdirSync(RENDERER, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name))
    expect(files.length).toBeGreaterThan(10)
    const uses = files.flatMap((f) => nodeGlobalUses(relative(ROOT, f), readFileSync(f, 'utf8')))
    expect(uses).toEqual([])
  })

  it('the check finds such a use', () => {
    expect(
      nodeGlobalUses('x.ts', "const a = process.env.X\nconst b = Buffer.from('a')\n// process.exit()")
    ).toEqual(['x.ts:1', 'x.ts:2'])
    expect(nodeGlobalUses('x.ts', 'const processed = item.process(1)')).toEqual([])
  })
})
