import { defineConfig } from 'vitest/config'

/**
 * Vitest for mutation testing (`npm run mutate`): only the suites that exercise the mutated core modules.
 * Without this list Stryker would also run the crash and soak suites for every mutant (minutes each).
 * `include` is set whole, not merged with vitest.config.ts (mergeConfig would concatenate the arrays).
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/selection.test.ts',
      'test/unit/excluded-types.test.ts',
      'test/unit/normalize-item.test.ts',
      'test/unit/retry-policy.test.ts',
      'test/unit/classify-error.test.ts',
      'test/unit/csv-writer.test.ts',
      'test/unit/redact.test.ts',
      'test/unit/limiter.test.ts',
      'test/unit/missing-service.test.ts',
      'test/unit/run-verdict.test.ts',
      'test/unit/page-processor.test.ts',
      'test/unit/collection-scheduler.test.ts',
      'test/unit/run-lease.test.ts',
      'test/unit/throttle-store.test.ts',
      'test/unit/pacer.test.ts',
      'test/unit/relayed-tokens.test.ts',
      'test/unit/thread-calls.test.ts',
      'test/unit/thread-page-writer.test.ts'
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
