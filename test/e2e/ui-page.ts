import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Browser, Page } from 'playwright-core'
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
  opts: { scheme?: Scheme; clock?: boolean } = {}
): Promise<AppPage> {
  // axe needs a page from an explicit context (browser.newPage() makes analyze() throw)
  const context = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    colorScheme: opts.scheme ?? 'light',
    locale: 'en-US',
    timezoneId: 'UTC'
  })
  const page = await context.newPage()
  if (opts.clock) await page.clock.install()
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(String(e)))
  await page.goto(host.url)
  await page.getByRole('banner').getByText('Tenant Atlas').waitFor()
  return { page, consoleErrors, close: () => context.close() }
}

export async function shot(page: Page, name: string, scheme: Scheme): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
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
