import { defineConfig } from 'vitest/config'
import { HANG_GUARD_MS } from './test/support/hang-guard'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // one build of out/ (the CLI and the sync worker as shipped) before the suites, only when stale
    globalSetup: ['test/support/built-app.ts'],
    // The engine is I/O heavy (SQLite files, loopback HTTP); two cores here.
    pool: 'forks',
    // A guard against a hung test only, never a speed limit: every suite drives its work to an end (fakes,
    // injected clocks), so a busy machine makes it slower, not red. Speed is judged by `npm run bench`.
    testTimeout: HANG_GUARD_MS,
    hookTimeout: HANG_GUARD_MS
  }
})
