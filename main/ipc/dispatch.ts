import { channels, CHANNEL_NAMES } from '../../preload/contract'
import type { ChannelHandlers, ChannelName, IpcError, Result } from '../../preload/contract'
import { AtlasError } from '../../domain/error-codes'
import { hintFor } from '../../domain/error-hints'
import type { Logger } from '../util/logger'
import { silentLogger } from '../util/logger'
import { redactText } from '../util/redact'

/**
 * The transport-agnostic half of a call from the page: which channel, what was sent (the contract's zod
 * schema), then the handler; whatever happens comes back as a Result. Both transports use it: Electron IPC
 * (register.ts, after its sender check) and the web host's WebSocket (main/web-host, after its token
 * check), so a channel behaves the same whichever way the page reaches it.
 *
 * Nothing is thrown across the boundary: Electron would forward only an Error's message, and a message can
 * carry a token. Unexpected errors are logged (scrubbed) and reach the page as INTERNAL.
 */
export type Dispatch = (channel: string, args: readonly unknown[]) => Promise<Result<unknown>>

/** Zod messages can echo keys or values the page sent; keep them short and scrubbed. */
const MAX_MESSAGE = 300

const KNOWN = new Set<string>(CHANNEL_NAMES)

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && KNOWN.has(value)
}

export function createDispatch(opts: { handlers: ChannelHandlers; logger?: Logger }): Dispatch {
  const logger = opts.logger ?? silentLogger
  return async (channel, args) => {
    if (!isChannelName(channel)) return failure('INVALID_INPUT', 'Invalid input: unknown channel.')
    // one argument per call by contract; extra positional args are a malformed call, not something to ignore
    if (args.length > 1) return failure('INVALID_INPUT', 'Invalid input: expected a single argument.')
    const parsed = channels[channel].input.safeParse(args[0])
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : ''
      return failure('INVALID_INPUT', `Invalid input: ${where}${issue?.message ?? 'malformed'}`)
    }
    try {
      // The cast joins the per-channel handler to its schema: both are looked up by the same key.
      const handler = opts.handlers[channel] as (input: unknown) => unknown
      return { ok: true, value: await handler(parsed.data) }
    } catch (err) {
      if (err instanceof AtlasError) return failure(err.code, err.message)
      const detail = err instanceof Error ? (err.stack ?? err.message) : String(err)
      logger.error({ channel, err: redactText(detail) }, 'IPC handler failed')
      return failure('INTERNAL', 'Unexpected error (see log)')
    }
  }
}

/**
 * An error as data: scrubbed of anything secret-shaped, cut to a length a banner can show, with the
 * code's hint so every screen can say what to do next.
 */
export function failure(code: IpcError['code'], message: string): Result<never> {
  const clean = redactText(message)
  const hint = hintFor(code)
  return {
    ok: false,
    error: {
      code,
      message: clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean,
      ...(hint ? { hint } : {})
    }
  }
}
