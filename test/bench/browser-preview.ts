/**
 * Goal: sorting, filtering and scrolling the inventory preview in the browser costs at most 2× as much on
 * 100k rows as on 1k rows. It needs an inventory table in renderer/ to drive (Chromium via playwright-core).
 * Until one exists the goal is reported as not measured, never as passed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { goal, type BenchSection } from './bench-types'

/** Markers of a virtualised inventory grid in the renderer sources. */
const TABLE_MARKERS = [/useVirtualizer\s*\(/, /data-testid=["']inventory-table["']/]

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(tsx?|jsx?)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
}

export function findInventoryTable(rendererDir: string): string | undefined {
  return sourceFiles(rendererDir).find((file) => {
    const text = readFileSync(file, 'utf8')
    return TABLE_MARKERS.some((m) => m.test(text))
  })
}

export async function benchBrowserPreview(opts: { rendererDir: string }): Promise<BenchSection> {
  const table = findInventoryTable(opts.rendererDir)
  const note = table
    ? `A table renderer appeared (${relative(process.cwd(), table)}) but this bench does not drive it yet: add the Chromium ` +
      'measurement (playwright-core, /usr/bin/chromium) to test/bench/browser-preview.ts.'
    : 'Not measured yet: no table renderer. renderer/src has no inventory table to sort, filter or scroll ' +
      '(the app only lists tenants and runs).'
  return {
    name: 'Browser preview (sort / filter / scroll)',
    goals: [
      goal({
        id: 'preview.100kVs1k',
        title: 'Preview sort / filter / scroll latency, 100k rows vs 1k rows',
        ratio: null,
        goal: '<= 2',
        definition:
          'median interaction latency on 100k rows / the same on 1k rows (Chromium, playwright-core)',
        context: {},
        note
      })
    ],
    findings: [note],
    setup: {
      rendererDir: relative(process.cwd(), opts.rendererDir) || '.',
      tableFound: table ? relative(process.cwd(), table) : 'none'
    }
  }
}
