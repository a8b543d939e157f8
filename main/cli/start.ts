/**
 * What both CLI entries run (built-entry.ts, source-entry.ts): the quick read path when the command is a
 * plain `runs` it can answer, the full CLI otherwise. Only this module and the quick path are loaded
 * before that choice; the full CLI (argument parser, engine) is imported after it.
 */
import type { CliIo } from './context'
import { parseQuickRuns, runQuickRuns } from './quick-runs'

export async function start(argv: string[], edges: Pick<CliIo, 'syncWorkerEntry'> = {}): Promise<void> {
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
