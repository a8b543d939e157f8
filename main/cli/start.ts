/**
 * What both CLI entries run (built-entry.ts, source-entry.ts): a bare `--version`, or the quick read path
 * when the command is a plain `runs` it can answer, and the full CLI otherwise. Only this module and the
 * quick path are loaded before that choice; the full CLI (argument parser, engine) is imported after it.
 */
import { appVersion } from './app-version'
import type { CliIo } from './context'
import { parseQuickRuns, runQuickRuns } from './quick-runs'

export async function start(argv: string[], edges: Pick<CliIo, 'syncWorkerEntry'> = {}): Promise<void> {
  // what installers and bug reports ask first; commander prints the same line for it
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${appVersion()}\n`)
    return
  }
  const quick = parseQuickRuns(argv)
  if (quick) {
    const code = await runQuickRuns(quick, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env
    })
    if (code !== undefined) {
      process.exitCode = code
      return
    }
  }
  const { main } = await import('./index')
  await main(argv, edges)
}
