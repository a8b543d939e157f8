// Sync worker entry in the source tree (CLI, tests, bench): the worker is TypeScript, run in place by
// tsx's loader like the CLI itself (bin/tenant-atlas.mjs). The desktop build uses out/main/sync-worker.js.
import { register } from 'tsx/esm/api'

register()
await import('./worker-main.ts')
