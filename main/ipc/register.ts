import { CHANNEL_NAMES } from '../../preload/contract'
import type { ChannelHandlers } from '../../preload/contract'
import { isAppUrl } from '../electron/security'
import type { Logger } from '../util/logger'
import { silentLogger } from '../util/logger'
import { createDispatch, failure } from './dispatch'

/**
 * The only caller of ipcMain.handle (lint keeps it so). Every channel goes through the same gate, in this
 * order: who is calling (our own top-level frame), then dispatch.ts (the contract's zod schema, the
 * handler, the Result) which the web host's WebSocket shares.
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

export function registerIpc(opts: RegisterIpcOptions): () => void {
  const logger = opts.logger ?? silentLogger
  const dispatch = createDispatch({ handlers: opts.handlers, logger })
  for (const channel of CHANNEL_NAMES) {
    opts.ipcMain.handle(channel, async (event: InvokeEventLike, ...args: unknown[]) => {
      if (!senderIsTrusted(event, opts.isTrustedSender)) {
        logger.warn({ channel }, 'IPC call from an untrusted sender rejected')
        return failure('IPC_SENDER_REJECTED', 'Rejected: the caller is not a window of this app.')
      }
      return dispatch(channel, args)
    })
  }
  return () => {
    for (const channel of CHANNEL_NAMES) opts.ipcMain.removeHandler(channel)
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
