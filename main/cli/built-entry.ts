/**
 * Entry of the CLI built to JavaScript (out/main/cli.js, electron.vite.config.ts), which bin/tenant-atlas.mjs
 * runs: no TypeScript loader at run time. Its sync worker is the built one next to it; the source tree's
 * `npm run cli` (source-entry.ts through tsx) keeps the source worker.
 */
import { start } from './start'

await start(process.argv.slice(2), { syncWorkerEntry: new URL('./sync-worker.js', import.meta.url) })
