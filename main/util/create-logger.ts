import { closeSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import pino from 'pino'
import { redactDeep, redactText } from './redact'
import type { Logger } from './logger'
import { ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE } from './private-files'

/** Keys whose values never reach a log line, wherever they appear (pino path redaction). */
export const REDACTED_LOG_PATHS = [
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.authorization',
  '*.Authorization',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'clientAssertion',
  '*.clientAssertion',
  'client_assertion',
  '*.client_assertion',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'refreshToken',
  '*.refreshToken',
  'refresh_token',
  '*.refresh_token',
  'privateKey',
  '*.privateKey',
  'password',
  '*.password',
  'passphrase',
  '*.passphrase',
  'secret',
  '*.secret'
]

/** Logs name tenants and policies: owner-only folder and file, whatever the umask (private-files.ts). */
function privateLogFile(path: string): string {
  ensurePrivateDir(dirname(path))
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE))
  makePrivate(path)
  return path
}

/**
 * The app's logger: pino (JSON lines) with two layers of redaction — known secret-bearing keys are
 * censored by path, and every string (messages included) goes through redactText, which also removes
 * every secret the vault has handed out in this process.
 */
export function createLogger(opts: {
  level?: string
  /** a file path, or a stream (tests); default stderr */
  destination?: string | pino.DestinationStream
}): Logger & { flush(): void } {
  const destination =
    typeof opts.destination === 'string'
      ? pino.destination({ dest: privateLogFile(opts.destination), sync: true })
      : (opts.destination ?? pino.destination(2))
  const log = pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: REDACTED_LOG_PATHS, censor: '[REDACTED]' },
      formatters: { log: (obj) => redactDeep(obj) },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>
          )
        }
      }
    },
    destination
  )
  return {
    debug: (obj, msg) => log.debug(obj, msg),
    info: (obj, msg) => log.info(obj, msg),
    warn: (obj, msg) => log.warn(obj, msg),
    error: (obj, msg) => log.error(obj, msg),
    flush: () => log.flush()
  }
}
