import type { Session, WebContents } from 'electron'
import type { Logger } from '../util/logger'

/**
 * The window's security policy as pure decisions (unit-tested as tables) plus the small functions that
 * wire them into Electron. Nothing here imports electron at runtime: the caller hands in the objects, so
 * the same code is exercised by tests with fakes.
 */

/**
 * The hash of the empty string: Fluent's CSS-in-JS (Griffel) creates empty <style> elements and fills them
 * through insertRule, which CSP does not check, so this admits exactly those empty elements and no inline
 * style text (toolchain-notes, "CSP with Griffel"). React style props are set through the CSSOM, which
 * CSP does not check either.
 */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"

/**
 * No remote origin anywhere: the app talks to Graph from main, never from the page. No 'unsafe-inline'
 * for scripts or styles; scripts are 'self' with no eval.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${EMPTY_STYLE_HASH}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'"
].join('; ')

/**
 * The same policy for the page's <meta> tag. Browsers ignore `frame-ancestors` in a meta tag (and warn in
 * the console), so it is left out there; the response header (`withCsp`) carries it.
 */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors '))
  .join('; ')

function parse(url: string): URL | null {
  if (typeof url !== 'string' || url.length > 8192) return null
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * Is `url` the app's own page? Compared as parsed URLs, never as strings (`startsWith` is fooled by
 * `http://localhost:5173.evil.test` and by userinfo tricks). A file:// app is one document: only that exact
 * file, any query or hash. A dev server is one origin: any path on it (Vite serves modules and HMR there).
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const candidate = parse(url)
  const app = parse(appUrl)
  if (!candidate || !app) return false
  if (candidate.username || candidate.password) return false
  if (app.protocol === 'file:') {
    return (
      candidate.protocol === 'file:' && candidate.host === app.host && candidate.pathname === app.pathname
    )
  }
  if (app.protocol !== 'http:' && app.protocol !== 'https:') return false
  return candidate.origin === app.origin
}

/** The page may only ever (re)load itself; anything else would replace the app with foreign content. */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  return isAppUrl(url, appUrl)
}

/** Links handed to the OS browser: http(s) only, with a host, no credentials smuggled in the userinfo. */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = parse(url)
  if (!parsed) return false
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false
  if (parsed.username || parsed.password) return false
  return parsed.hostname.length > 0
}

export interface HardenOptions {
  appUrl: string
  /** shell.openExternal in the app; a spy in tests */
  openExternal: (url: string) => unknown
  logger: Logger
}

/**
 * Applies to every WebContents the app creates (main/index.ts calls it from 'web-contents-created'), so a
 * window added later cannot forget it.
 */
export function hardenWebContents(contents: WebContents, opts: HardenOptions): void {
  const openIfSafe = (url: string): void => {
    if (isSafeExternalUrl(url)) void Promise.resolve(opts.openExternal(url)).catch(() => undefined)
    else opts.logger.warn({ scheme: parse(url)?.protocol ?? 'unparseable' }, 'refused to open a link')
  }

  contents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation(url, opts.appUrl)) return
    event.preventDefault()
    // a plain link click: the user meant to follow it, so give it to the browser (if it is http(s))
    openIfSafe(url)
  })
  contents.on('will-redirect', (event, url) => {
    // a redirect is not a user's choice: refuse it and open nothing
    if (!isAllowedNavigation(url, opts.appUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openIfSafe(url)
    return { action: 'deny' }
  })
}

/** Deny-all permissions and the CSP header for whatever the session serves over http (the dev server). */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) })
  })
}

/** Replaces any CSP the server sent (header names are case-insensitive) with ours. */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
  return out
}
