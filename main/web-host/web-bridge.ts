import { BRIDGE_METHODS, CHANNEL_NAMES, EVENT_NAMES } from '../../preload/channel-names'
import type { AtlasBridge, IpcError, Result } from '../../preload/contract'
import { SOCKET_PATH, type CallMessage, type HostMessage } from './protocol'

/**
 * `window.atlas` for a page served by the web host (`npm run web`): the same surface the Electron preload
 * exposes, derived from the same channel table, but carried over one WebSocket to the host. Runs in the
 * browser before the renderer bundle (the host adds its <script> to index.html), so the renderer cannot
 * tell the two apart. Calls made before the socket opens are queued; a call that was in flight when the
 * socket closed resolves with an error (errors are data, as over IPC) and the next call reconnects.
 *
 * The token the host printed arrives in the URL fragment (`#token=…`, never sent to a server in a request
 * line); it is kept in sessionStorage so a reload of the tab still connects, and removed from the address
 * bar so it does not end up in screenshots or bookmarks.
 */

const TOKEN_KEY = 'tenant-atlas-web-token'

function takeToken(): string {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''))
  const fromHash = params.get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    params.delete('token')
    const rest = params.toString()
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`)
    return fromHash
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

function disconnected(message: string): Result<never> {
  const error: IpcError = { code: 'INTERNAL', message }
  return { ok: false, error }
}

function createWebBridge(): AtlasBridge {
  const token = takeToken()
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let queue: string[] = []
  let socket: WebSocket | undefined
  let nextId = 1

  const connect = (): WebSocket => {
    const ws = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SOCKET_PATH}?token=${encodeURIComponent(token)}`
    )
    ws.addEventListener('open', () => {
      for (const frame of queue) ws.send(frame)
      queue = []
    })
    ws.addEventListener('message', (e: MessageEvent) => {
      let msg: HostMessage
      try {
        msg = JSON.parse(String(e.data)) as HostMessage
      } catch {
        return
      }
      if (msg.kind === 'result') {
        pending.get(msg.id)?.(msg.result)
        pending.delete(msg.id)
      } else if (msg.kind === 'event') {
        for (const l of listeners.get(msg.event) ?? []) {
          try {
            l(msg.payload)
          } catch (err) {
            console.error('atlas event listener failed', err)
          }
        }
      }
    })
    ws.addEventListener('close', () => {
      if (socket === ws) socket = undefined
      const lost = [...pending.values()]
      pending.clear()
      queue = []
      for (const resolve of lost) {
        resolve(disconnected('The connection to the Tenant Atlas host was lost; reload the page.'))
      }
    })
    return ws
  }

  const call = (channel: string, input: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++
      const msg: CallMessage = input === undefined ? { id, channel } : { id, channel, input }
      const frame = JSON.stringify(msg)
      pending.set(id, resolve)
      socket ??= connect()
      if (socket.readyState === WebSocket.OPEN) socket.send(frame)
      else queue.push(frame)
    })

  const bridge: Record<string, unknown> = {}
  for (const channel of CHANNEL_NAMES) {
    bridge[BRIDGE_METHODS[channel]] = (input?: unknown) => call(channel, input)
  }
  bridge.on = (event: string, listener: (payload: unknown) => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event) || typeof listener !== 'function') {
      throw new TypeError(`Unknown event ${String(event).slice(0, 40)}`)
    }
    // events only flow on an open socket: subscribing opens it, as a first call would
    socket ??= connect()
    const set = listeners.get(event) ?? new Set()
    set.add(listener)
    listeners.set(event, set)
    return () => {
      set.delete(listener)
    }
  }
  return Object.freeze(bridge) as AtlasBridge
}

Object.defineProperty(window, 'atlas', { value: createWebBridge(), writable: false, configurable: false })
