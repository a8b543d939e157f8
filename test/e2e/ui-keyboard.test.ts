import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, startWebHost, type WebHostHandle } from './support/web-host'
import { expectAccessible, holdReplies, openApp, shot, tabTo } from './ui-page'

/**
 * The window by keyboard alone (ui-design.md §5): F6 between regions, Ctrl+K to the tenant switcher,
 * Ctrl+F to the page's search, F5 to sync the current tenant, `?` for the shortcuts help, and each data
 * grid one Tab stop with arrows moving the active row and Enter opening it. Also the skeleton rows a
 * table shows while it loads, seen by holding the host's answer (no sleep).
 */
let browser: Browser
let host: WebHostHandle

beforeAll(async () => {
  browser = await launchChromium()
  host = await startWebHost({ fakes: { size: 40 } })
  const api = host.web.api
  const tenantId = host.fakes!.tenant!.id
  const all = { categories: api.listCategories().map((c) => c.key) }
  for (let i = 0; i < 2; i++) await api.waitForSync(api.startSync({ tenantId, selection: all }).requestId)
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await host?.close()
})

/** Which region holds the focus ('' for none), and the focused element's accessible name. */
async function focus(page: Page): Promise<{ region: string; name: string; id: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return {
      region: el?.closest<HTMLElement>('[data-region]')?.dataset.region ?? '',
      name: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(),
      id: el?.id ?? ''
    }
  })
}

describe('keyboard model', () => {
  it('moves between regions with F6 and reaches switcher, search and help by shortcut', async () => {
    const { page, consoleErrors, close } = await openApp(browser, host)
    try {
      await page.getByTestId('tenant-row').first().waitFor()
      await page.keyboard.press('F6')
      expect((await focus(page)).region).toBe('nav')
      await page.keyboard.press('F6')
      expect((await focus(page)).region).toBe('main')
      await page.keyboard.press('F6') // no live panel open: back to the navigation
      expect((await focus(page)).region).toBe('nav')
      await page.keyboard.press('Shift+F6')
      expect((await focus(page)).region).toBe('main')

      await page.keyboard.press('Control+k')
      expect((await focus(page)).id).toBe('tenant-switcher')
      await page.keyboard.press('Control+f')
      expect((await focus(page)).name).toBe('Search tenants')
      // `?` typed into the search box is text, not the help
      await page.keyboard.type('?')
      await expect
        .poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count(), { timeout: 10_000 })
        .toBe(0)
      await page.keyboard.press('Backspace')

      await page.keyboard.press('F6') // leave the search box for the navigation
      await page.keyboard.press('?')
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
      await help.waitFor()
      await expect(help.textContent()).resolves.toContain('Ctrl+K')
      await shot(page, 'keyboard-shortcuts', 'light')
      await expectAccessible(page, 'keyboard shortcuts dialog')
      // shortcuts wait while the dialog has the keyboard
      await page.keyboard.press('F6')
      expect((await focus(page)).region).toBe('')
      await page.keyboard.press('Escape')
      await help.waitFor({ state: 'detached' })
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  }, 90_000)

  it('returns the focus to what opened a drawer or dialog once it closes', async () => {
    const { page, consoleErrors, close } = await openApp(browser, host)
    try {
      await page.getByTestId('tenant-row').first().waitFor()
      // the live syncs panel, closed with its own button
      await page.getByRole('button', { name: /^Live syncs/ }).click()
      await page.getByRole('button', { name: 'Close live syncs' }).click()
      await expect.poll(async () => (await focus(page)).name).toMatch(/^Live syncs/)
      // the sync picker, cancelled
      await page.getByRole('button', { name: 'Sync Fabrikam' }).click()
      await page.getByRole('button', { name: 'Cancel' }).click()
      await page.getByRole('dialog').waitFor({ state: 'detached' })
      await expect.poll(async () => (await focus(page)).name).toBe('Sync Fabrikam')
      // the add-tenant drawer, closed with Esc
      await page.getByRole('button', { name: 'Add tenant' }).click()
      await page.getByRole('dialog', { name: 'Add tenant' }).waitFor()
      await page.keyboard.press('Escape')
      await page.getByRole('dialog').waitFor({ state: 'detached' })
      await expect.poll(async () => (await focus(page)).name).toBe('Add tenant')
      // a dialog opened from a row's menu: the menu is gone, so the button that opened it
      await page.getByRole('button', { name: 'More actions for Fabrikam' }).click()
      await page.getByRole('menuitem', { name: 'Remove…' }).click()
      await page.getByRole('alertdialog').or(page.getByRole('dialog')).waitFor()
      await page.keyboard.press('Escape')
      await page.getByRole('alertdialog').or(page.getByRole('dialog')).waitFor({ state: 'detached' })
      await expect.poll(async () => (await focus(page)).name).toBe('More actions for Fabrikam')
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  }, 90_000)

  it('opens a run from the runs grid with arrows and Enter, one Tab stop per grid, and syncs with F5', async () => {
    const { page, close } = await openApp(browser, host)
    try {
      await page.getByTestId('tenant-row').first().waitFor()
      await page.keyboard.press('F6') // the navigation: its items are one arrow-key group
      expect((await focus(page)).name).toBe('Tenants')
      await page.keyboard.press('ArrowDown')
      expect((await focus(page)).name).toBe('Runs')
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { level: 2, name: /^Runs/ }).waitFor()

      const grid = page.getByRole('grid', { name: 'Runs' })
      const runs = grid.getByTestId('run-row')
      // the rows first: while they load, Tab wraps round to the navigation's "Runs", not the grid
      await expect.poll(() => runs.count(), { timeout: 10_000 }).toBe(2)
      await tabTo(page, 'Runs') // the grid itself
      expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true)
      // focusing the grid makes the newest run active; the arrow moves to the older one
      await expect.poll(() => runs.nth(0).getAttribute('data-active'), { timeout: 10_000 }).toBe('true')
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => runs.nth(1).getAttribute('data-active'), { timeout: 10_000 }).toBe('true')
      const active = await runs.nth(1).getAttribute('id')
      await expect.poll(() => grid.getAttribute('aria-activedescendant'), { timeout: 10_000 }).toBe(active)
      await shot(page, 'runs-keyboard', 'light')
      const older = await runs.nth(1).getAttribute('data-run')
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { name: new RegExp(`^Run #${older}`) }).waitFor()

      // the ledger is one Tab stop: Tab from it leaves the table
      await tabTo(page, `Ledger of run #${older}`)
      await page.keyboard.press('End')
      const rows = page.getByTestId('ledger-row')
      await expect.poll(() => rows.last().getAttribute('data-active'), { timeout: 10_000 }).toBe('true')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.closest('[role="grid"]') === null)).toBe(true)

      // F5: the current tenant synced again with its selection, followed in the live panel
      await page.keyboard.press('F5')
      await page.getByTestId('live-finished').filter({ hasText: 'Complete' }).waitFor({ timeout: 60_000 })
      expect(host.web.api.listRuns({ tenantId: host.fakes!.tenant!.id })).toHaveLength(3)
      // the live panel is now a region F6 reaches
      const regions: string[] = []
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press('F6')
        regions.push((await focus(page)).region)
      }
      expect(regions).toContain('live')
    } finally {
      await close()
    }
  }, 120_000)

  it('shows the shortcuts help accessible in dark', async () => {
    const { page, close } = await openApp(browser, host, { scheme: 'dark' })
    try {
      await page.getByTestId('tenant-row').first().waitFor()
      await page.getByRole('button', { name: 'Shortcuts' }).click()
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor()
      await shot(page, 'keyboard-shortcuts', 'dark')
      await expectAccessible(page, 'keyboard shortcuts dialog (dark)')
    } finally {
      await close()
    }
  }, 60_000)
})

describe('loading states', () => {
  it('shows skeleton rows while the runs load', async () => {
    let hold: { release: () => void } | undefined
    const { page, close } = await openApp(browser, host, {
      beforeGoto: async (p) => {
        hold = await holdReplies(p, 'runs:list')
      }
    })
    try {
      await page.getByTestId('tenant-row').first().waitFor()
      await page.getByRole('navigation').getByText('Runs', { exact: true }).click()
      // the answer is held: the table's place shows placeholder rows, named for screen readers
      await page.getByRole('progressbar', { name: 'Loading runs…' }).waitFor()
      hold!.release()
      await page.getByTestId('run-row').first().waitFor()
      await expect.poll(() => page.getByTestId('skeleton').count(), { timeout: 10_000 }).toBe(0)
    } finally {
      await close()
    }
  }, 60_000)
})
