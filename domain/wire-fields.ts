import { z } from 'zod'
import { ERROR_CODES } from './error-codes'

/**
 * Field shapes shared by the schemas of data that crosses a thread (run summary, sync event, connection
 * report, worker messages). Bounded, so a malformed message fails as a clear error naming its field.
 */
export const Id = z.string().min(1).max(200)
export const RunId = z.int().positive()
export const Count = z.int().nonnegative()
/** a timestamp as the engine writes it (new Date().toISOString()) */
export const Iso = z.string().min(1).max(64)
export const AnyErrorCode = z.enum(ERROR_CODES)
