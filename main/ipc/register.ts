import { channels, CHANNEL_NAMES } from '../../preload/contract'
import type { ChannelHandlers, ChannelName, IpcError, Result } from '../../preload/contract'
import { AtlasError } from '../../domain/error-codes'
import { isAppUrl } from '../electron/security'
import type { Logger } from '../util/logger'
import { silentLogger } from '../util/logger'
import { redactText } from '../util/redact'

/**
 * The only caller of ipcMain.handle (lint keeps it so). Every channel goes through the same gate, in this
 * order: who is calling (our own top-level frame), what was sent (the contract's zod schema), then the
 * handler; whatever happens comes back as a Result. Nothing is thrown across IPC: Electron would forward
 * only the error's message, and a message can carry a token.
 */

/** The parts of Electron's IpcMainInvokeEvent the gate reads (the real event satisfies it). */
export interface InvokeEventLike {
  readonly sender: unknown
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface RegisterIpcOptions {
  ipcMain: IpcMainLike
  isTrustedSender: (event: InvokeEventLike) => boolean
  handlers: ChannelHandlers
  logger?: Logger
}

/** Zod messages can echo keys or values the page sent; keep them short and scrubbed. */
const MAX_MESSAGE = 300

export function registerIpc(opts: RegisterIpcOptions): () => void {
  const logger = opts.logger ?? silentLogger
  for (const channel of CHANNEL_NAMES) {
    opts.ipcMain.handle(channel, (event: InvokeEventLike, ...args: unknown[]) =>
      dispatch(channel, event, args, opts, logger)
    )
  }
  return () => {
    for (const channel of CHANNEL_NAMES) opts.ipcMain.removeHandler(channel)
  }
}

async function dispatch(
  channel: ChannelName,
  event: InvokeEventLike,
  args: unknown[],
  opts: RegisterIpcOptions,
  logger: Logger
): Promise<Result<unknown>> {
  if (!senderIsTrusted(event, opts.isTrustedSender)) {
    logger.warn({ channel }, 'IPC call from an untrusted sender rejected')
    return failure('IPC_SENDER_REJECTED', 'Rejected: the caller is not a window of this app.')
  }
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

function senderIsTrusted(event: InvokeEventLike, check: RegisterIpcOptions['isTrustedSender']): boolean {
  try {
    return check(event) === true
  } catch {
    // reading a destroyed frame throws in Electron: a sender we cannot inspect is not trusted
    return false
  }
}

function failure(code: IpcError['code'], message: string): Result<never> {
  const clean = redactText(message)
  return {
    ok: false,
    error: { code, message: clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean }
  }
}

/**
 * The sender rule (VS Code's validatedIpcMain): the call comes from the top-level frame of one of our
 * windows, and that frame shows our page. A sub-frame, a window we did not create or a page that
 * navigated elsewhere gets nothing.
 */
export function createSenderCheck(opts: {
  appUrl: string
  isOurWebContents: (sender: unknown) => boolean
}): (event: InvokeEventLike) => boolean {
  return (event) => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null) return false
    if (!opts.isOurWebContents(event.sender)) return false
    return isAppUrl(frame.url, opts.appUrl)
  }
}
