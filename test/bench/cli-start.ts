/**
 * Goal (issue 12): the installed CLI starts within 2× of a bare `node -e 0` on the same machine, for
 * `tenant-atlas --version` and for a real read (`runs --tenant Demo --json` on a data dir the demo filled).
 * Each sample is a fresh process (a cold start). The commands are measured round-robin, so a load change
 * on the machine hits every command alike. Node's compile cache (turned on by the bin) is filled by the
 * warm-up as by a user's first run; the same starts without it are reported for context.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { BIN, ROOT, buildApp, buildIsStale } from '../support/built-app'
import { goal, type BenchSection } from './bench-types'
import { median, round } from './measure'

interface Command {
  id: string
  args: string[]
  env?: Record<string, string>
}

function startMs(cmd: Command): number {
  const started = performance.now()
  const r = spawnSync(process.execPath, cmd.args, {
    cwd: ROOT,
    env: { ...process.env, ...cmd.env },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  const ms = performance.now() - started
  if (r.status !== 0) throw new Error(`${cmd.id} exited ${r.status}: ${String(r.stderr)}`)
  return ms
}

const FLOOR = fileURLToPath(new URL('./cli-floor.mjs', import.meta.url))

export async function benchCliStart(opts: { runs: number; warmup: number }): Promise<BenchSection> {
  const rebuilt = buildIsStale()
  if (rebuilt) buildApp()
  const dataDir = mkdtempSync(join(tmpdir(), 'atlas-bench-cli-'))
  const cacheDir = mkdtempSync(join(tmpdir(), 'atlas-bench-ncc-'))
  try {
    const demo = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, 'demo'], { cwd: ROOT })
    if (demo.status !== 0) throw new Error(`tenant-atlas demo failed: ${String(demo.stderr)}`)
    const cached = { NODE_COMPILE_CACHE: cacheDir }
    const uncached = { NODE_DISABLE_COMPILE_CACHE: '1' }
    const runsArgs = [BIN, '--data-dir', dataDir, 'runs', '--tenant', 'Demo', '--json']
    const commands: Command[] = [
      { id: 'node', args: ['-e', '0'] },
      { id: 'version', args: [BIN, '--version'], env: cached },
      { id: 'runs', args: runsArgs, env: cached },
      { id: 'versionNoCache', args: [BIN, '--version'], env: uncached },
      { id: 'runsNoCache', args: runsArgs, env: uncached },
      { id: 'floor', args: [FLOOR, dataDir, 'Demo'], env: cached },
      {
        id: 'tsxSource',
        args: [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main/cli/source-entry.ts', '--version']
      }
    ]
    const samples = new Map<string, number[]>(commands.map((c) => [c.id, []]))
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      for (const c of commands) {
        const ms = startMs(c)
        if (i >= opts.warmup) samples.get(c.id)!.push(ms)
      }
    }
    const med = (id: string) => median(samples.get(id)!)
    const node = med('node')
    const context = (id: string) => ({ [`${id}Ms`]: round(med(id), 1), nodeMs: round(node, 1) })
    return {
      name: 'CLI cold start',
      goals: [
        goal({
          id: 'cli.start.version',
          title: '`tenant-atlas --version` cold start vs `node -e 0`',
          ratio: med('version') / node,
          goal: '<= 2',
          definition: 'median wall time of a fresh `node bin/tenant-atlas.mjs --version` / of `node -e 0`',
          context: context('version')
        }),
        goal({
          id: 'cli.start.runs',
          title: '`tenant-atlas runs --tenant Demo --json` cold start vs `node -e 0`',
          ratio: med('runs') / node,
          goal: '<= 2',
          definition:
            'median wall time of a fresh `runs --tenant Demo --json` (demo data dir) / of `node -e 0`',
          context: context('runs')
        }),
        goal({
          id: 'cli.start.version.noCache',
          title: 'Context: `--version` without the compile cache vs `node -e 0`',
          ratio: med('versionNoCache') / node,
          goal: 'info',
          definition: 'as above with NODE_DISABLE_COMPILE_CACHE=1 (a first run)',
          context: context('versionNoCache')
        }),
        goal({
          id: 'cli.start.runs.noCache',
          title: 'Context: `runs --json` without the compile cache vs `node -e 0`',
          ratio: med('runsNoCache') / node,
          goal: 'info',
          definition: 'as above with NODE_DISABLE_COMPILE_CACHE=1 (a first run)',
          context: context('runsNoCache')
        }),
        goal({
          id: 'cli.start.floor',
          title: 'Context: a hand-written better-sqlite3 reader printing the same runs vs `node -e 0`',
          ratio: med('floor') / node,
          goal: 'info',
          definition:
            'median wall time of test/bench/cli-floor.mjs (native module, one query, JSON out) / of `node -e 0`',
          context: context('floor')
        }),
        goal({
          id: 'cli.start.tsxSource',
          title: 'Context: the CLI from source through tsx (`npm run cli -- --version`) vs `node -e 0`',
          ratio: med('tsxSource') / node,
          goal: 'info',
          definition: 'median wall time of `tsx main/cli/source-entry.ts --version` / of `node -e 0`',
          context: context('tsxSource')
        })
      ],
      setup: { runs: opts.runs, warmup: opts.warmup, rebuiltBeforeMeasuring: rebuilt, order: 'round-robin' },
      findings: []
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(cacheDir, { recursive: true, force: true })
  }
}
