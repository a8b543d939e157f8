import { Command, CommanderError } from 'commander'
import { AtlasError } from '../../domain/error-codes'
import { appVersion } from './app-version'
import { registerChangesCommand } from './commands/changes'
import { registerDemoCommand } from './commands/demo'
import { registerExportCommand } from './commands/export'
import { registerReadCommands } from './commands/read'
import { registerSyncCommand } from './commands/sync'
import { registerTenantsCommands } from './commands/tenants'
import { registerTypesCommand } from './commands/types'
import { CliContext, type Action, type CliIo } from './context'
import { DATA_DIR_ENV, defaultDataDir, resolveDataDir } from './data-dir'
import { hintFor } from './error-hints'
import { EXIT, exitCodeForError } from './exit-codes'
import { safeText, writeJson } from './output'

export type { CliIo } from './context'

/**
 * Runs one `tenant-atlas` command and resolves with its exit code; never calls process.exit, so tests run
 * commands in-process against temp data dirs. Every command talks to the engine only through AtlasApi.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.OK
  const wantsJson = argv.includes('--json')

  const fail = (code: number, errorCode: string, message: string): number => {
    const hint = hintFor(errorCode)
    io.stderr.write(`tenant-atlas: error: ${safeText(message)} [${errorCode}]${hint ? ` (${hint})` : ''}\n`)
    if (wantsJson) writeJson(io.stdout, { error: { code: errorCode, message, exitCode: code } })
    return code
  }

  const action: Action =
    (body) =>
    async (...args: unknown[]) => {
      // commander calls actions with (...positionals, options, command)
      const command = args[args.length - 1] as Command
      const flags = command.optsWithGlobals() as { dataDir?: string; json?: boolean }
      // the engine loads only now: --help, --version and usage errors never pay for it
      const engine = await import('./engine')
      const ctx = new CliContext(
        io,
        { dataDir: resolveDataDir(flags.dataDir, io.env), json: flags.json === true },
        engine
      )
      try {
        exitCode = await body(ctx, flags, ...args.slice(0, -2))
      } catch (err) {
        exitCode = reportError(err)
      } finally {
        await ctx.close().catch((err: unknown) => {
          io.stderr.write(`tenant-atlas: warning: closing the database failed: ${safeText(String(err))}\n`)
        })
      }
    }

  const reportError = (err: unknown): number => {
    if (err instanceof AtlasError) return fail(exitCodeForError(err), err.code, err.message)
    if (io.env.TENANT_ATLAS_DEBUG && err instanceof Error) io.stderr.write(`${err.stack ?? ''}\n`)
    return fail(
      EXIT.INTERNAL,
      'INTERNAL',
      `unexpected failure: ${err instanceof Error ? err.message : String(err)}`
    )
  }

  const program = buildProgram(action)
  program.exitOverride()
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    // one line, prefixed like every other error of the tool
    outputError: (s, write) => write(`tenant-atlas: ${s.trim()} (see --help)\n`)
  })
  for (const sub of allCommands(program)) {
    sub.exitOverride()
    sub.configureOutput(program.configureOutput())
  }

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.help' ||
        err.code === 'commander.version'
      ) {
        return EXIT.OK
      }
      if (wantsJson)
        writeJson(io.stdout, { error: { code: 'INVALID_INPUT', message: err.message, exitCode: EXIT.USAGE } })
      return EXIT.USAGE
    }
    return reportError(err)
  }
  return exitCode
}

function buildProgram(action: Action): Command {
  const program = new Command('tenant-atlas')
    .description(
      'Offline, last-observed Intune inventory for MSP consultants (same engine as the desktop app)'
    )
    .version(appVersion(), '-V, --version')
    .option(
      '--data-dir <dir>',
      `data folder shared with the desktop app (env ${DATA_DIR_ENV}; default ${defaultDataDir()})`
    )
    .option('--json', 'print one JSON document on stdout (shapes: docs/cli.md)')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 2 bad usage or input, 3 authentication failed, 4 sync partial, 5 sync failed or skipped, 130 interrupted.\nDocs: docs/cli.md'
    )
  registerTenantsCommands(program, action)
  registerSyncCommand(program, action)
  registerReadCommands(program, action)
  registerExportCommand(program, action)
  registerChangesCommand(program, action)
  registerTypesCommand(program, action)
  registerDemoCommand(program, action)
  return program
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)])
}

/** The process entry: real streams, real env, SIGINT; the exit code is set, not forced, so output flushes. */
export async function main(
  argv: string[] = process.argv.slice(2),
  edges: Pick<CliIo, 'syncWorkerEntry'> = {}
): Promise<void> {
  process.exitCode = await runCli(argv, {
    ...edges,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns
  })
}
