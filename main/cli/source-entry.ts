/**
 * Entry of `npm run cli` / `npm run demo` in the repository: the CLI from source through tsx, with the source
 * tree's sync worker (main/sync-worker/dev-entry.mjs), so a change shows without a build. The installed
 * `tenant-atlas` runs the built one (built-entry.ts).
 */
import { start } from './start'

await start(process.argv.slice(2))
