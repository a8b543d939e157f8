import type { ErrorCode } from '../../domain/error-codes'
import { hintFor as hintForSurface } from '../../domain/error-hints'

/** The CLI's wording of the one hint table (domain/error-hints.ts). */
export function hintFor(code: ErrorCode | string | undefined): string | undefined {
  return hintForSurface(code, 'cli')
}
