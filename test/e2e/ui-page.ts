import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Browser, Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import type { WebHostHandle } from './support/web-host'

/**
 * What every screen test does with a page: open the app on the web host in a theme, save screenshots
 * (test-results/ui, git-ignored, for people to look at), and run axe. Console errors are collected so
 * a test can assert the page raised none (a CSP violation shows up there).
 */
export type Scheme = 'light' | 'dark'

export const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'ui')

export interface AppPage {
  page: Page
  consoleErrors: string[]
  close(): Promise<void>
}

export async function openApp(
  browser: Browser,
  host: WebHostHandle,
  opts: { scheme?: Scheme; clock?: boolean; beforeGoto?: (page: Page) => Promise<void> } = {}
): Promise<AppPage> {
  // axe needs a page from an explicit context (browser.newPage() makes analyze() throw)
  const context = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    colorScheme: opts.scheme ?? 'light',
    locale: 'en-US',
    timezoneId: 'UTC'
  })
  const page = await context.newPage()
  await page.addInitScript({ content: RECORD_ANNOUNCEMENTS })
  if (opts.clock) await page.clock.install()
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(String(e)))
  await opts.beforeGoto?.(page)
  await page.goto(host.url)
  await page.getByRole('banner').getByText('Tenant Atlas').waitFor()
  return { page, consoleErrors, close: () => context.close() }
}

/**
 * Records what the page announces to screen readers, whichever way Fluent's announcer uses: the newer
 * document.ariaNotify, or text written into an aria-live element.
 */
const RECORD_ANNOUNCEMENTS = `(() => {
  const seen = (window.__announced = [])
  const notify = Document.prototype.ariaNotify
  if (notify) {
    Document.prototype.ariaNotify = function (message, ...rest) {
      seen.push(String(message))
      return notify.call(this, message, ...rest)
    }
  }
  new MutationObserver((records) => {
    for (const r of records) {
      const live = (r.target.nodeType === 1 ? r.target : r.target.parentElement)?.closest?.('[aria-live]')
      const text = live?.textContent?.trim()
      if (text) seen.push(text)
    }
  }).observe(document, { subtree: true, childList: true, characterData: true })
})()`

/** Everything the page announced so far, joined. */
export async function announced(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __announced: string[] }).__announced.join(' | '))
}

export async function shot(page: Page, name: string, scheme: Scheme): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  // drawers slide in: take the picture once nothing is moving (spinners turn forever: not waited for)
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)
  )
  await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) })
}

/** No serious or critical axe violation; Tabster's focus-trap dummies are Fluent's, not ours. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze()
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  expect(bad).toEqual([])
}

/** Goes to a screen through the workload nav. */
export async function goTo(page: Page, view: 'Tenants' | 'Runs' | 'Missing' | 'Inventory'): Promise<void> {
  await page.getByRole('navigation').getByText(view, { exact: true }).click()
  await page.getByRole('heading', { level: 2, name: new RegExp(`^${view}`) }).waitFor()
}

/** Presses Tab until the focused element's accessible name matches; fails if 80 presses do not get there. */
export async function tabTo(page: Page, name: string | RegExp, role?: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el || el === document.body) return { label: '', textbox: false }
      const own = el.getAttribute('aria-label')
      const byFor = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null
      const label = (own ?? byFor ?? el.textContent ?? '').trim()
      const textbox = el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'radio'
      return { label, textbox }
    })
    const label = focused.label
    const matches = typeof name === 'string' ? label.replace(/\s*\*$/, '') === name : name.test(label)
    const roleOk = role !== 'textbox' || focused.textbox
    if (matches && roleOk) return
  }
  throw new Error(`Tab never reached ${String(name)}`)
}

/**
 * Holds the host's answers to one channel's calls until `release()`: a screen's loading state can then be
 * looked at without a sleep. Call from openApp's `beforeGoto`. `hold()` holds the answers again from
 * then on; `held()` says how many answers wait.
 */
export async function holdReplies(
  page: Page,
  channel: string
): Promise<{ release: () => void; hold: () => void; held: () => number }> {
  const held: Array<() => void> = []
  let released = false
  const ids = new Set<number>()
  await page.routeWebSocket(/\/atlas/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((m) => {
      const call = JSON.parse(String(m)) as { id: number; channel: string }
      if (call.channel === channel) ids.add(call.id)
      server.send(m)
    })
    server.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { kind: string; id?: number }
      if (!released && msg.kind === 'result' && msg.id !== undefined && ids.has(msg.id)) {
        held.push(() => ws.send(m))
      } else ws.send(m)
    })
  })
  return {
    release: () => {
      released = true
      for (const send of held.splice(0)) send()
    },
    hold: () => {
      released = false
    },
    held: () => held.length
  }
}

/** How many lines of text each matched element renders on (1: its text did not wrap). */
export async function renderedLines(cells: Locator): Promise<number[]> {
  return cells.evaluateAll((els) =>
    els.map((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size
    })
  )
}

/** Where each matched element's text starts, in page pixels (to check a column's text lines up). */
export async function textLefts(cells: Locator): Promise<number[]> {
  return cells.evaluateAll((els) =>
    els.map((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      return Math.round(range.getBoundingClientRect().left)
    })
  )
}

/**
 * Whether a click at the element's centre would land on it as the page is now, without scrolling: false
 * when it sits outside the viewport, is clipped by a scrolling ancestor, or something is drawn over it.
 */
export async function inView(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    const r = el.getBoundingClientRect()
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
    return hit !== null && el.contains(hit)
  })
}
