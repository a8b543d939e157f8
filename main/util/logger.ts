/**
 * The logging seam: pino-compatible method shapes, so the app passes a pino logger (with redaction, see
 * main/util/create-logger.ts) and tests pass a recording one. Never log secrets: callers log codes, ids and
 * redacted messages only.
 */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void
  info(obj: Record<string, unknown>, msg?: string): void
  warn(obj: Record<string, unknown>, msg?: string): void
  error(obj: Record<string, unknown>, msg?: string): void
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined
}
