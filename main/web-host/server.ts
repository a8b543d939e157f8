import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, resolve, sep } from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { EVENT_NAMES, type EventName } from '../../preload/contract'
import { META_CONTENT_SECURITY_POLICY } from '../electron/security'
import type { Dispatch } from '../ipc/dispatch'
import { failure } from '../ipc/dispatch'
import type { Logger } from '../util/logger'
import { silentLogger } from '../util/logger'
import { BRIDGE_PATH, MAX_FRAME_BYTES, SOCKET_PATH, type CallMessage, type HostMessage } from './protocol'

/**
 * The web host's HTTP + WebSocket edge: serves the built renderer and the bridge script on 127.0.0.1 only,
 * and carries `window.atlas` calls over one WebSocket into the same dispatch as Electron IPC.
 *
 * Who may talk to it, in place of Electron's sender check:
 * - Host must name this server (127.0.0.1 or localhost with our port): a DNS-rebound name resolving to
 *   127.0.0.1 is refused with 421 before anything is served;
 * - the socket's Origin must be this server's own origin: another site open in the same browser cannot
 *   connect (403), and `null` (file://, sandboxed frames) is never ours;
 * - the socket must present the per-start random token, which only the printed URL carries (401).
 * Refusals are logged without the URL (it carries the token); the page only sees a failed socket.
 */

export interface WebServerOptions {
  dispatch: Dispatch
  /** built renderer (out/renderer) */
  rendererDir: string
  /** the bridge script's source (out/web-host/web-bridge.js) */
  bridgeScript: string
  /** 0 (default): a free port */
  port?: number
  /** fixed token (tests of the refusals); default 32 random bytes per start */
  token?: string
  logger?: Logger
}

export interface WebServer {
  /** the page to open, token in the fragment */
  readonly url: string
  readonly origin: string
  readonly port: number
  readonly token: string
  /** pushes an event to every connected page */
  push(event: EventName, payload: unknown): void
  /** how many pages are connected (diagnostics, tests) */
  readonly connections: number
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store'
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const logger = opts.logger ?? silentLogger
  const token = opts.token ?? randomBytes(32).toString('base64url')
  const tokenBytes = Buffer.from(token)
  const root = resolve(opts.rendererDir)
  const indexFile = join(root, 'index.html')
  if (!existsSync(indexFile)) {
    throw new Error(`No built renderer at ${root}: run \`npm run build\` first (npm run web does).`)
  }
  let port = 0
  const hostsAllowed = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`])

  const server = createServer((req, res) => {
    const host = req.headers.host ?? ''
    if (!hostsAllowed().has(host)) {
      logger.warn({ host: host.slice(0, 100) }, 'web host: request for another host name refused')
      res.writeHead(421, COMMON_HEADERS).end('Misdirected request')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...COMMON_HEADERS, allow: 'GET, HEAD' }).end()
      return
    }
    serveFile(req, res, host)
  })

  const serveFile = (req: IncomingMessage, res: ServerResponse, host: string): void => {
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://host.invalid').pathname)
    } catch {
      res.writeHead(400, COMMON_HEADERS).end()
      return
    }
    if (pathname === BRIDGE_PATH) {
      res.writeHead(200, { ...COMMON_HEADERS, 'content-type': MIME['.js']! }).end(opts.bridgeScript)
      return
    }
    if (pathname === '/' || pathname === '/index.html') {
      const { html, csp } = pageFor(readFileSync(indexFile, 'utf8'), `ws://${host}`)
      res
        .writeHead(200, {
          ...COMMON_HEADERS,
          'content-type': MIME['.html']!,
          'content-security-policy': `${csp}; frame-ancestors 'none'`
        })
        .end(html)
      return
    }
    const file = resolve(root, `.${pathname}`)
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, COMMON_HEADERS).end()
      return
    }
    res
      .writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': MIME[extname(file)] ?? 'application/octet-stream'
      })
      .end(readFileSync(file))
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const sockets = new Set<WebSocket>()

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(req)
    if (refusal) {
      logger.warn({ status: refusal.status, why: refusal.why }, 'web host: socket refused')
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`
      )
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('error', (err) => logger.warn({ err: err.message }, 'web host: socket error'))
      ws.on('message', (data, isBinary) => void onMessage(ws, isBinary ? undefined : String(data)))
    })
  })

  const refuseUpgrade = (req: IncomingMessage): { status: number; text: string; why: string } | null => {
    const host = req.headers.host ?? ''
    if (!hostsAllowed().has(host)) return { status: 421, text: 'Misdirected Request', why: 'host' }
    const origin = req.headers.origin
    // a browser always sends Origin on a WebSocket; "null" is a file:// page or a sandboxed frame
    if (origin !== `http://${host}`) return { status: 403, text: 'Forbidden', why: 'origin' }
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://${host}`)
    } catch {
      return { status: 400, text: 'Bad Request', why: 'url' }
    }
    if (url.pathname !== SOCKET_PATH) return { status: 404, text: 'Not Found', why: 'path' }
    const offered = Buffer.from(url.searchParams.get('token') ?? '')
    if (offered.length !== tokenBytes.length || !timingSafeEqual(offered, tokenBytes)) {
      return { status: 401, text: 'Unauthorized', why: 'token' }
    }
    return null
  }

  const send = (ws: WebSocket, msg: HostMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg))
  }

  const onMessage = async (ws: WebSocket, text: string | undefined): Promise<void> => {
    const msg = parseCall(text)
    if (!msg) {
      // without an id there is nobody to answer: a page that sends garbage is not ours
      logger.warn({}, 'web host: malformed frame ignored')
      return
    }
    if ('error' in msg) {
      send(ws, { kind: 'result', id: msg.id, result: failure('INVALID_INPUT', msg.error) })
      return
    }
    const result = await opts.dispatch(msg.channel, 'input' in msg ? [msg.input] : [])
    send(ws, { kind: 'result', id: msg.id, result })
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail)
      ok()
    })
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    get connections() {
      return sockets.size
    },
    push(event, payload) {
      if (!(EVENT_NAMES as readonly string[]).includes(event)) return
      for (const ws of sockets) send(ws, { kind: 'event', event, payload })
    },
    async close() {
      for (const ws of sockets) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
    }
  }
}

/** A frame from the page: a call, an id with what was wrong with it, or nothing usable. */
function parseCall(text: string | undefined): CallMessage | { id: number; error: string } | null {
  if (text === undefined) return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { id, channel } = value as Record<string, unknown>
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return null
  if (typeof channel !== 'string') return { id, error: 'Invalid input: a call names its channel.' }
  const keys = Object.keys(value)
  if (keys.some((k) => k !== 'id' && k !== 'channel' && k !== 'input')) {
    return { id, error: 'Invalid input: unexpected field in the call.' }
  }
  return value as CallMessage
}

const META_CSP = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i

/**
 * index.html as the host serves it: the bridge script first (a classic script runs before the bundle's
 * deferred module), and the page's own CSP with one addition, the host's WebSocket in connect-src (a meta
 * policy and a header policy are both enforced, so the meta tag has to allow it too). Everything else in
 * the policy stays as the app ships it.
 */
export function pageFor(indexHtml: string, wsOrigin: string): { html: string; csp: string } {
  const found = META_CSP.exec(indexHtml)
  const csp = allowSocket(found?.[1] ?? META_CONTENT_SECURITY_POLICY, wsOrigin)
  const bridgeTag = `<script src="${BRIDGE_PATH}"></script>`
  const meta = `<meta http-equiv="Content-Security-Policy" content="${csp}" />`
  let html = found
    ? indexHtml.replace(META_CSP, () => meta)
    : indexHtml.replace(/<head>/i, (h) => `${h}${meta}`)
  const firstScript = html.search(/<script\b/i)
  html =
    firstScript >= 0
      ? `${html.slice(0, firstScript)}${bridgeTag}\n    ${html.slice(firstScript)}`
      : html.replace(/<\/head>/i, (h) => `${bridgeTag}${h}`)
  return { html, csp }
}

function allowSocket(policy: string, wsOrigin: string): string {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean)
  const i = directives.findIndex((d) => d.startsWith('connect-src '))
  if (i >= 0) directives[i] = `${directives[i]} ${wsOrigin}`
  else directives.push(`connect-src 'self' ${wsOrigin}`)
  return directives.join('; ')
}
