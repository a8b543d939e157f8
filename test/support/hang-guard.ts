/**
 * How long a test, hook or spawned child may run before it counts as hung (vitest.config.ts and the
 * subprocess tests). It is not a speed limit: a test whose limit depends on how loaded the machine is
 * would flake on a busy 2-core CI runner, so limits sit far above any honest run.
 */
export const HANG_GUARD_MS = 600_000
