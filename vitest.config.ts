import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // The engine is I/O heavy (SQLite files, loopback HTTP); two cores here.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
