#!/usr/bin/env node
// Launcher for the `tenant-atlas` CLI. It checks the Node version before anything else is loaded (an old
// Node would crash in the native SQLite module without a word), then runs the CLI built to JavaScript by
// `npm run build` (out/main/cli.js, which starts its sync worker from out/main/sync-worker.js).
import { existsSync } from 'node:fs'
import module from 'node:module'
import { ensureNode } from './node-guard.mjs'

await ensureNode({ script: process.argv[1], args: process.argv.slice(2) })
// V8's compiled code for the bundle is cached on disk (os.tmpdir()/node-compile-cache; NODE_COMPILE_CACHE
// moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off): every start after the first skips most compiling.
module.enableCompileCache?.()
const cli = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(cli)) {
  process.stderr.write('tenant-atlas: the CLI is not built yet: run `npm run build` in the repository.\n')
  process.exit(1)
}
await import(cli.href)
