import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureRendererBuilt, openInventory, serveStatic } from '../bench/browser-preview'

/**
 * The built renderer in Debian's Chromium, with window.atlas stubbed to serve 20k generated items
 * (the browser-side half of the app; its data comes from the engine tested elsewhere).
 */
const ROOT = join(import.meta.dirname, '..', '..')
const RENDERER = join(ROOT, 'out', 'renderer')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ROWS = 20_000

let browser: Browser
let server: Awaited<ReturnType<typeof serveStatic>>

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs it (apt)`)
  ensureRendererBuilt(ROOT, RENDERER, join(ROOT, 'out'))
  server = await serveStatic(RENDERER)
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  server?.server.close()
})

describe('inventory table in Chromium', () => {
  it('loads every item, renders only the visible rows, sorts, filters and scrolls', async () => {
    const { page } = await openInventory(browser, server.url, ROWS)
    try {
      const rows = page.getByTestId('inventory-row')
      expect(await rows.count()).toBeGreaterThan(5)
      expect(await rows.count()).toBeLessThan(200) // virtualised: not 20k nodes

      // sort by name: the visible rows come in ascending order
      await page.getByRole('button', { name: /^Name/ }).click()
      const names = await rows.evaluateAll((els) => els.map((e) => e.children[1]?.textContent ?? ''))
      expect(names.length).toBeGreaterThan(5)
      expect([...names].sort()).toEqual(names)
      // a second click: descending, and the header says so to assistive tech
      await page.getByRole('button', { name: /^Name/ }).click()
      const header = page.getByRole('columnheader', { name: /^Name/ })
      expect(await header.getAttribute('aria-sort')).toBe('descending')
      const reversed = await rows.evaluateAll((els) => els.map((e) => e.children[1]?.textContent ?? ''))
      expect([...reversed].sort().reverse()).toEqual(reversed)
      expect(reversed[0]! >= names.at(-1)!).toBe(true)

      // filter: the count says how many match, and every visible row matches
      await page.getByLabel('Filter inventory').fill('wifi')
      await page
        .getByTestId('inventory-count')
        .filter({ hasText: `of ${ROWS.toLocaleString('en-US')}` })
        .waitFor()
      const shown = await rows.evaluateAll((els) => els.map((e) => (e.textContent ?? '').toLowerCase()))
      expect(shown.length).toBeGreaterThan(0)
      expect(shown.every((t) => t.includes('wifi'))).toBe(true)

      // scroll to the end of the filtered list: the last rows are rendered
      await page.getByLabel('Filter inventory').fill('')
      await page.getByTestId('inventory-table').evaluate((el) => (el.scrollTop = el.scrollHeight))
      await page.waitForFunction(() => {
        const rowsNow = document.querySelectorAll('[data-testid="inventory-row"]')
        const last = rowsNow[rowsNow.length - 1]?.getAttribute('data-index')
        return last !== undefined && last !== null && Number(last) > 19_000
      })
    } finally {
      await page.close()
    }
  }, 120_000)
})
