import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // one build of out/ (the CLI and the sync worker as shipped) before the suites, only when stale
    globalSetup: ['test/support/built-app.ts'],
    // The engine is I/O heavy (SQLite files, loopback HTTP); two cores here.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
