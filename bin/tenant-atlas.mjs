#!/usr/bin/env node
// Launcher for the `tenant-atlas` CLI: the CLI is TypeScript run in place by tsx's ESM loader, so the repo
// and an installed package run the same source the tests run (no separate build step for the CLI).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../main/cli/index.ts')
await main(process.argv.slice(2))
