import { AtlasError, type ErrorCode } from '../../domain/error-codes'
import type { RunSummary } from '../../domain/run'

/**
 * Exit codes of `tenant-atlas`: a public contract (docs/cli.md). Schedulers and scripts branch on them,
 * so a value never changes meaning; new situations get new numbers.
 */
export const EXIT = {
  OK: 0,
  /** a bug or an unexpected condition (INTERNAL): not the operator's fault */
  INTERNAL: 1,
  USAGE: 2,
  AUTH: 3,
  PARTIAL: 4,
  FAILED: 5,
  /** 128 + SIGINT, like every shell tool: the runs were cancelled and recorded */
  INTERRUPTED: 130
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/**
 * Order for "the worst code wins" when several tenants sync in one command. A usage or internal error
 * outranks an auth failure (nothing ran at all), which outranks a failed run (a credential to fix is the
 * most actionable news), which outranks a partial one. An interruption outranks everything: the operator
 * asked to stop, and a script must not mistake that for a finished batch.
 */
const SEVERITY: readonly number[] = [
  EXIT.OK,
  EXIT.PARTIAL,
  EXIT.FAILED,
  EXIT.AUTH,
  EXIT.USAGE,
  EXIT.INTERNAL,
  EXIT.INTERRUPTED
]

export function worstExitCode(codes: Iterable<number>): number {
  let worst: number = EXIT.OK
  for (const code of codes) {
    if (SEVERITY.indexOf(code) > SEVERITY.indexOf(worst)) worst = code
  }
  return worst
}

export function isAuthCode(code: string): boolean {
  return code.startsWith('AUTH_')
}

export function exitCodeForErrorCode(code: ErrorCode): number {
  if (code === 'INVALID_INPUT' || code === 'NOT_FOUND' || code === 'EXPORT_TARGET_NOT_EMPTY')
    return EXIT.USAGE
  if (isAuthCode(code)) return EXIT.AUTH
  if (code === 'CANCELLED') return EXIT.INTERRUPTED
  if (code === 'INTERNAL') return EXIT.INTERNAL
  // lock held, concurrency limits, Graph errors that escaped a run: the work did not happen
  return EXIT.FAILED
}

export function exitCodeForError(err: unknown): number {
  return err instanceof AtlasError ? exitCodeForErrorCode(err.code) : EXIT.INTERNAL
}

/**
 * A finished run → exit code. A run that failed because sign-in failed is reported as an auth failure (3):
 * the operator fixes a credential, not Graph permissions. `success` with item-level warnings is still 0.
 */
export function exitCodeForRun(run: Pick<RunSummary, 'status' | 'errorCodes'>): number {
  switch (run.status) {
    case 'success':
      return EXIT.OK
    case 'partial':
      return EXIT.PARTIAL
    case 'failed':
    case 'skipped':
      if (run.errorCodes.some(isAuthCode)) return EXIT.AUTH
      if (run.errorCodes.includes('CANCELLED')) return EXIT.INTERRUPTED
      return EXIT.FAILED
    case 'running':
      // waitForSync only resolves with terminal runs; treat the impossible as a bug
      return EXIT.INTERNAL
  }
}
