import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { META_CONTENT_SECURITY_POLICY } from '../../main/electron/security'
import { pageFor } from '../../main/web-host/server'
import { WEB_VAULT_WARNING } from '../../main/web-host/web-atlas'
import { launchChromium, startWebHost, type WebHostHandle } from '../e2e/support/web-host'
import { runtimeClosure } from '../security/import-graph'

/**
 * `npm run web`'s host end to end: the real engine behind the WebSocket, the bridge in Chromium, and the
 * gate that replaces Electron's sender check (token, Origin, Host). The page is a fixture (not the app's
 * renderer) so these tests prove the transport whatever state the screens are in.
 */

let fixtureDir: string
let host: WebHostHandle
let browser: Browser

const FIXTURE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta
      http-equiv="Content-Security-Policy"
      content="${META_CONTENT_SECURITY_POLICY}"
    />
    <title>fixture</title>
    <script type="module" src="./app.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`

beforeAll(async () => {
  fixtureDir = mkdtempSync(join(tmpdir(), 'atlas-web-fixture-'))
  writeFileSync(join(fixtureDir, 'index.html'), FIXTURE_HTML)
  // what the renderer does first: note whether window.atlas was there before the bundle ran
  writeFileSync(join(fixtureDir, 'app.js'), 'window.bridgeBeforeBundle = typeof window.atlas === "object"\n')
  host = await startWebHost({ rendererDir: fixtureDir })
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
  rmSync(fixtureDir, { recursive: true, force: true })
})

async function openPage(url = host.url): Promise<Page> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(url)
  return page
}

/** One WebSocket handshake with chosen headers: the HTTP status the host answered with (101 = open). */
function handshake(opts: { token?: string; origin?: string; host?: string; path?: string }): Promise<number> {
  const port = new URL(host.origin).port
  const path = opts.path ?? `/atlas?token=${encodeURIComponent(opts.token ?? host.token)}`
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
      headers: { host: opts.host ?? `127.0.0.1:${port}` },
      origin: opts.origin ?? host.origin
    })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', reject)
  })
}

function httpGet(
  path: string,
  hostHeader: string
): Promise<{ status: number; headers: Record<string, unknown> }> {
  const port = Number(new URL(host.origin).port)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: hostHeader } }, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, headers: res.headers })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('web host gate', () => {
  it('opens the socket with the token from the printed URL, same origin, own host', async () => {
    expect(await handshake({})).toBe(101)
  })

  it('refuses a wrong or missing token (401)', async () => {
    expect(await handshake({ token: `${host.token.slice(0, -1)}x` })).toBe(401)
    expect(await handshake({ path: '/atlas' })).toBe(401)
  })

  it('refuses another site and the "null" origin of file:// pages (403)', async () => {
    expect(await handshake({ origin: 'http://evil.test' })).toBe(403)
    expect(await handshake({ origin: 'null' })).toBe(403)
    // same host, other port: another local server's page is another origin
    expect(await handshake({ origin: 'http://127.0.0.1:1' })).toBe(403)
  })

  it('refuses a DNS-rebound host name, for the socket and for the page itself (421)', async () => {
    const port = new URL(host.origin).port
    expect(await handshake({ host: `rebind.test:${port}`, origin: `http://rebind.test:${port}` })).toBe(421)
    expect((await httpGet('/', `rebind.test:${port}`)).status).toBe(421)
    expect((await httpGet('/', `127.0.0.1:${port}`)).status).toBe(200)
  })

  it('refuses a rebound name in a real browser too', async () => {
    const rebound = await launchChromium(['--host-resolver-rules=MAP rebind.test 127.0.0.1'])
    try {
      const page = await rebound.newPage()
      const port = new URL(host.origin).port
      const res = await page.goto(`http://rebind.test:${port}/#token=${host.token}`)
      expect(res?.status()).toBe(421)
    } finally {
      await rebound.close()
    }
  })

  it('serves the page with its own CSP: the app policy plus this host socket, frame-ancestors in the header', async () => {
    const port = new URL(host.origin).port
    const res = await httpGet('/', `127.0.0.1:${port}`)
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`)
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-eval')
  })
})

describe('window.atlas over the socket', () => {
  it('is there before the bundle runs, with exactly the preload surface, and forgets the token in the address bar', async () => {
    const page = await openPage()
    await page.waitForFunction(() => 'bridgeBeforeBundle' in window)
    expect(
      await page.evaluate(() => (window as unknown as { bridgeBeforeBundle: boolean }).bridgeBeforeBundle)
    ).toBe(true)
    const methods = await page.evaluate(() => Object.keys(window.atlas ?? {}).sort())
    const { BRIDGE_METHODS } = await import('../../preload/channel-names')
    expect(methods).toEqual([...Object.values(BRIDGE_METHODS), 'on'].sort())
    expect(page.url()).not.toContain(host.token)
    // a reload of the tab still connects (the token is kept for the tab's session)
    await page.reload()
    const reloaded = await page.evaluate(() => window.atlas!.appStatus())
    expect(reloaded.ok).toBe(true)
    await page.context().close()
  })

  it('answers a real engine call, and reports the in-memory vault with its warning', async () => {
    const page = await openPage()
    const types = await page.evaluate(() => window.atlas!.listPolicyTypes())
    expect(types.ok && types.value.length).toBeGreaterThan(10)
    const status = await page.evaluate(() => window.atlas!.appStatus())
    expect(status.ok && status.value.credentialStorage).toEqual({
      kind: 'memory',
      persistent: false,
      warning: WEB_VAULT_WARNING
    })
    expect(status.ok && status.value.dataDir).toBe(host.dataDir)
    await page.context().close()
  })

  it('validates input with the contract: a bad payload is INVALID_INPUT, never reaches the engine', async () => {
    const page = await openPage()
    const bad = await page.evaluate(() =>
      (window.atlas!.getRun as (input: unknown) => Promise<unknown>)({ runId: -1 })
    )
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const extra = await page.evaluate(() =>
      (window.atlas!.getTenant as (input: unknown) => Promise<unknown>)({ idOrName: 'x', sneaky: true })
    )
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const missing = await page.evaluate(() => window.atlas!.getTenant({ idOrName: 'nobody' }))
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    await page.context().close()
  })

  it('answers a raw frame naming an unknown channel or carrying extra fields with INVALID_INPUT', async () => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/atlas?token=${host.token}`, {
      origin: host.origin
    })
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail))
    const replies: unknown[] = []
    const got = new Promise<void>((ok) =>
      ws.on('message', (d) => {
        replies.push(JSON.parse(String(d)))
        if (replies.length === 2) ok()
      })
    )
    ws.send(JSON.stringify({ id: 1, channel: 'ipc:everything' }))
    ws.send(JSON.stringify({ id: 2, channel: 'tenants:list', path: '/etc/passwd' }))
    await got
    ws.close()
    replies.sort((a, b) => (a as { id: number }).id - (b as { id: number }).id)
    expect(replies).toEqual([
      {
        kind: 'result',
        id: 1,
        result: { ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT' }) }
      },
      {
        kind: 'result',
        id: 2,
        result: { ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT' }) }
      }
    ])
  })

  it('explores the demo: the sync runs on the engine and its events reach the page until it finishes', async () => {
    const page = await openPage()
    await page.evaluate(() => {
      const w = window as unknown as { seen: Array<{ kind: string; requestId: string }> }
      w.seen = []
      window.atlas!.on('sync:progress', (e) => w.seen.push(e))
    })
    const demo = await page.evaluate(() => window.atlas!.exploreDemo())
    expect(demo.ok).toBe(true)
    const requestId = demo.ok ? demo.value.requestId : null
    await page.waitForFunction(
      (id) =>
        (window as unknown as { seen: Array<{ kind: string; requestId: string }> }).seen.some(
          (e) => e.kind === 'finished' && e.requestId === id
        ),
      requestId,
      { timeout: 60_000 }
    )
    const kinds = await page.evaluate(() =>
      (window as unknown as { seen: Array<{ kind: string }> }).seen.map((e) => e.kind)
    )
    expect(kinds).toContain('started')
    expect(kinds.indexOf('started')).toBeLessThan(kinds.indexOf('finished'))
    const tenants = await page.evaluate(() => window.atlas!.listTenants())
    expect(tenants.ok && tenants.value.map((t) => t.isDemo)).toEqual([true])
    await page.context().close()
  }, 90_000)

  it('exports into the export folder instead of a save dialog, never overwriting a file', async () => {
    const page = await openPage()
    const first = await page.evaluate(() => window.atlas!.exportCsv({ view: 'runs', tenant: { all: true } }))
    const second = await page.evaluate(() => window.atlas!.exportCsv({ view: 'runs', tenant: { all: true } }))
    expect(first).toMatchObject({ ok: true, value: { canceled: false } })
    const paths = [first, second].map((r) => (r.ok && !r.value.canceled ? r.value.path : ''))
    expect(paths[0]).toBe(join(host.exportDir, 'tenant-atlas-runs-all-tenants.csv'))
    expect(paths[1]).toBe(join(host.exportDir, 'tenant-atlas-runs-all-tenants (2).csv'))
    for (const p of paths) expect(existsSync(p)).toBe(true)
    expect(readFileSync(paths[0]!, 'utf8').split('\n')[0]).toContain('run_id')
    await page.context().close()
  })
})

describe('pageFor (index.html as the host serves it)', () => {
  it('puts the bridge before the first script and adds only the socket to connect-src', () => {
    const { html, csp } = pageFor(FIXTURE_HTML, 'ws://127.0.0.1:9')
    expect(html.indexOf('/web-bridge.js')).toBeGreaterThan(0)
    expect(html.indexOf('/web-bridge.js')).toBeLessThan(html.indexOf('./app.js'))
    expect(csp).toBe(
      META_CONTENT_SECURITY_POLICY.replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:9")
    )
    expect(html).toContain(`content="${csp}"`)
    expect(html.match(/Content-Security-Policy/g)).toHaveLength(1)
  })
})

describe('where the host lives', () => {
  const ROOT = join(import.meta.dirname, '..', '..')

  it('is never part of the Electron app: nothing main/index.ts loads reaches main/web-host', () => {
    const reached = [...runtimeClosure(ROOT, ['main/index.ts', 'preload/index.ts']).keys()]
    expect(reached).toContain('main/ipc/dispatch.ts')
    expect(reached.filter((f) => f.startsWith('main/web-host/'))).toEqual([])
  })

  it('gives the page a bridge that loads channel names only (no zod, no engine code)', () => {
    const reached = [...runtimeClosure(ROOT, ['main/web-host/web-bridge.ts']).keys()].sort()
    expect(reached).toEqual([
      'main/web-host/protocol.ts',
      'main/web-host/web-bridge.ts',
      'preload/channel-names.ts'
    ])
  })
})
