import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { dataDirFor, preloadPathFor, rendererLocation } from '../../main/electron/paths'
import {
  CONTENT_SECURITY_POLICY,
  EMPTY_STYLE_HASH,
  META_CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWebContents,
  isAllowedNavigation,
  isSafeExternalUrl,
  withCsp
} from '../../main/electron/security'
import { silentLogger } from '../../main/util/logger'

const windows = vi.hoisted(() => [] as Array<{ options: Record<string, unknown>; loaded: string[] }>)
vi.mock('electron', () => ({
  BrowserWindow: class {
    readonly loaded: string[] = []
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this)
    }
    once() {}
    show() {}
    loadURL(url: string) {
      this.loaded.push(`url:${url}`)
      return Promise.resolve()
    }
    loadFile(path: string) {
      this.loaded.push(`file:${path}`)
      return Promise.resolve()
    }
  }
}))

const { createMainWindow, secureWebPreferences } = await import('../../main/window')

const FILE_APP = 'file:///opt/tenant-atlas/out/renderer/index.html'
const DEV_APP = 'http://localhost:5173/'

describe('window preferences', () => {
  it('turns every isolation switch on and everything risky off', () => {
    expect(secureWebPreferences('/app/out/preload/index.cjs')).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: '/app/out/preload/index.cjs'
    })
  })

  it('creates the main window with those preferences and loads the app page', () => {
    windows.length = 0
    createMainWindow({
      preloadPath: '/p.cjs',
      location: { kind: 'file', path: '/app/index.html', url: FILE_APP }
    })
    createMainWindow({ preloadPath: '/p.cjs', location: { kind: 'url', url: DEV_APP } })
    expect(windows.map((w) => w.options.webPreferences)).toEqual([
      secureWebPreferences('/p.cjs'),
      secureWebPreferences('/p.cjs')
    ])
    expect(windows.map((w) => w.loaded)).toEqual([['file:/app/index.html'], [`url:${DEV_APP}`]])
  })
})

describe('navigation', () => {
  const cases: Array<[string, string, boolean]> = [
    [FILE_APP, FILE_APP, true],
    [`${FILE_APP}#/tenants`, FILE_APP, true],
    [`${FILE_APP}?tenant=1`, FILE_APP, true],
    ['file:///opt/tenant-atlas/out/renderer/other.html', FILE_APP, false],
    ['file:///etc/passwd', FILE_APP, false],
    ['file://evil-host/opt/tenant-atlas/out/renderer/index.html', FILE_APP, false],
    ['https://evil.test/', FILE_APP, false],
    ['javascript:alert(1)', FILE_APP, false],
    ['data:text/html,<script>alert(1)</script>', FILE_APP, false],
    ['about:blank', FILE_APP, false],
    ['not a url', FILE_APP, false],
    // dev server: one origin, any path (Vite serves modules from it)
    ['http://localhost:5173/', DEV_APP, true],
    ['http://localhost:5173/src/main.tsx', DEV_APP, true],
    ['http://localhost:5174/', DEV_APP, false],
    ['https://localhost:5173/', DEV_APP, false],
    ['http://localhost:5173.evil.test/', DEV_APP, false],
    ['http://user:pass@localhost:5173/', DEV_APP, false],
    ['http://evil.test/?http://localhost:5173/', DEV_APP, false],
    // an app URL that is not a page origin allows nothing
    ['javascript:alert(1)', 'javascript:alert(1)', false]
  ]
  it.each(cases)('%s from %s → %s', (url, appUrl, allowed) => {
    expect(isAllowedNavigation(url, appUrl)).toBe(allowed)
  })
})

describe('external links', () => {
  const cases: Array<[string, boolean]> = [
    ['https://learn.microsoft.com/graph/throttling', true],
    ['http://example.com/', true],
    ['HTTPS://EXAMPLE.COM/', true],
    ['https://user:pass@example.com/', false],
    ['https://user@example.com/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['data:text/html,hi', false],
    ['mailto:a@example.com', false],
    ['ms-settings:privacy', false],
    ['smb://server/share', false],
    ['//example.com/', false],
    ['', false],
    [`https://example.com/${'a'.repeat(9000)}`, false]
  ]
  it.each(cases)('%s → %s', (url, safe) => {
    expect(isSafeExternalUrl(url)).toBe(safe)
  })
})

describe('content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/)
      return [name ?? '', sources]
    })
  )

  it('allows no remote origin and no eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    for (const [name, sources] of directives) {
      for (const source of sources) {
        // only keywords ('self', 'none'), the empty-style hash and data: for images, never a host, a
        // scheme-wide source or 'unsafe-inline'
        const allowed =
          /^'(self|none)'$/.test(source) ||
          (name === 'style-src' && source === EMPTY_STYLE_HASH) ||
          (name === 'img-src' && source === 'data:')
        expect(allowed, `${name} ${source}`).toBe(true)
      }
    }
  })

  it('locks down scripts, objects, base, framing and forms', () => {
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('style-src')).toEqual(["'self'", EMPTY_STYLE_HASH])
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline')
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'none'"])
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    expect(directives.get('form-action')).toEqual(["'none'"])
  })

  it('is the same policy as the meta tag of the page, less frame-ancestors (ignored in a meta tag)', () => {
    const html = readFileSync(join(import.meta.dirname, '../../renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY)
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors')
    expect(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`.split('; ').sort()).toEqual(
      CONTENT_SECURITY_POLICY.split('; ').sort()
    )
  })

  it('replaces a CSP header from the server, whatever its case', () => {
    const headers = withCsp({ 'content-security-policy': ['default-src *'], 'X-Other': ['1'] })
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })
})

/** Enough of a WebContents to drive the handlers hardenWebContents installs. */
function fakeContents() {
  const emitter = new EventEmitter()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = {
    on: (name: string, fn: (...args: unknown[]) => void) => emitter.on(name, fn),
    setWindowOpenHandler: (fn: typeof openHandler) => {
      openHandler = fn
    }
  }
  const fire = (name: string, url?: string) => {
    const event = { preventDefault: vi.fn(), url }
    emitter.emit(name, event, url)
    return event.preventDefault
  }
  return { contents, fire, open: (url: string) => openHandler?.({ url }) }
}

describe('hardenWebContents', () => {
  function setup() {
    const fake = fakeContents()
    const openExternal = vi.fn()
    hardenWebContents(fake.contents as never, { appUrl: FILE_APP, openExternal, logger: silentLogger })
    return { ...fake, openExternal }
  }

  it('keeps the page in place and hands http(s) link clicks to the OS browser', () => {
    const { fire, openExternal } = setup()
    expect(fire('will-navigate', 'https://learn.microsoft.com/')).toHaveBeenCalled()
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://learn.microsoft.com/')
    expect(fire('will-navigate', 'file:///etc/passwd')).toHaveBeenCalled()
    expect(fire('will-navigate', 'javascript:alert(1)')).toHaveBeenCalled()
    expect(openExternal).toHaveBeenCalledOnce()
    expect(fire('will-navigate', `${FILE_APP}#/runs`)).not.toHaveBeenCalled()
  })

  it('refuses redirects away from the app without opening them', () => {
    const { fire, openExternal } = setup()
    expect(fire('will-redirect', 'https://evil.test/')).toHaveBeenCalled()
    expect(openExternal).not.toHaveBeenCalled()
  })

  it('denies every new window, opening only safe links externally', () => {
    const { open, openExternal } = setup()
    expect(open('https://example.com/')).toEqual({ action: 'deny' })
    expect(open(FILE_APP)).toEqual({ action: 'deny' })
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' })
    expect(open('https://user:pw@example.com/')).toEqual({ action: 'deny' })
    expect(openExternal.mock.calls).toEqual([['https://example.com/']])
  })

  it('never attaches a webview', () => {
    const { fire } = setup()
    expect(fire('will-attach-webview')).toHaveBeenCalled()
  })
})

describe('hardenSession', () => {
  it('denies permission requests and checks, and sets the CSP header', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined
    let check: ((...args: unknown[]) => boolean) | undefined
    let headers:
      ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined
    const session = {
      setPermissionRequestHandler: (fn: typeof request) => (request = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn),
      webRequest: { onHeadersReceived: (fn: typeof headers) => (headers = fn) }
    }
    hardenSession(session as never)
    for (const permission of ['notifications', 'media', 'geolocation', 'openExternal', 'clipboard-read']) {
      const cb = vi.fn()
      request?.({}, permission, cb)
      expect(cb).toHaveBeenCalledExactlyOnceWith(false)
      expect(check?.({}, permission, 'file://', {})).toBe(false)
    }
    const cb = vi.fn()
    headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, cb)
    expect(cb).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
})

describe('paths', () => {
  it('loads the built page unless an unpackaged app is given a loopback dev server', () => {
    const mainDir = '/opt/tenant-atlas/out/main'
    const built = rendererLocation({ mainDir, isPackaged: false, env: {} })
    expect(built).toEqual({ kind: 'file', path: '/opt/tenant-atlas/out/renderer/index.html', url: FILE_APP })
    expect(rendererLocation({ mainDir, isPackaged: false, env: { ELECTRON_RENDERER_URL: DEV_APP } })).toEqual(
      {
        kind: 'url',
        url: DEV_APP
      }
    )
    expect(rendererLocation({ mainDir, isPackaged: true, env: { ELECTRON_RENDERER_URL: DEV_APP } })).toEqual(
      built
    )
    expect(
      rendererLocation({ mainDir, isPackaged: false, env: { ELECTRON_RENDERER_URL: 'https://evil.test/' } })
    ).toEqual(built)
    expect(preloadPathFor(mainDir)).toBe('/opt/tenant-atlas/out/preload/index.cjs')
  })

  it('lets only unpackaged runs move the data dir', () => {
    const env = { TENANT_ATLAS_USER_DATA: '/tmp/e2e-1' }
    expect(dataDirFor({ userData: '/home/u/.config/Tenant Atlas', isPackaged: false, env })).toBe(
      '/tmp/e2e-1'
    )
    expect(dataDirFor({ userData: '/home/u/.config/Tenant Atlas', isPackaged: true, env })).toBe(
      '/home/u/.config/Tenant Atlas'
    )
  })
})
