import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  FAKE_AZURE_TENANT_ID,
  FAKE_CLIENT_ID,
  FAKE_GRAPH_ORIGIN,
  FAKE_LOGIN_ORIGIN,
  FAKE_SECRET,
  launchChromium,
  startWebHost,
  type WebHostHandle
} from './support/web-host'
import { announced, goTo, openApp, shot, tabTo } from './ui-page'

/**
 * Syncing from the window against the real engine: live per-type progress, a throttle countdown driven by
 * Playwright's clock (no sleeps), cancel, re-attach after a reload, and the whole path by keyboard only.
 */
let browser: Browser
let host: WebHostHandle | undefined

beforeAll(async () => {
  browser = await launchChromium()
}, 120_000)
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  await host?.close()
  host = undefined
})

const THROTTLE_SECONDS = 40

async function startSyncFromList(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sync Fabrikam' }).click()
  await page.getByRole('button', { name: /39 types · Start sync/ }).click()
}

describe('sync from the window', () => {
  it('shows live per-type progress and a throttle countdown, and cancel ends the run CANCELLED', async () => {
    host = await startWebHost({
      fakes: {
        size: 200,
        latencyMs: 40,
        faults: [
          {
            path: '/deviceManagement/deviceConfigurations',
            times: 1,
            fault: { kind: 'status429', retryAfter: 'int', seconds: THROTTLE_SECONDS }
          }
        ]
      }
    })
    const { page, consoleErrors, close } = await openApp(browser, host, { clock: true })
    try {
      await startSyncFromList(page)
      const live = page.getByTestId('live-sync').filter({ hasText: 'Fabrikam' })
      await live.waitFor()
      // per-type progress: some types complete with their count while the run goes on
      await live.locator('[data-type-status="complete"]').first().waitFor({ timeout: 30_000 })
      await expect(live.locator('[data-type-status="complete"]').first().textContent()).resolves.toMatch(
        /Complete · \d+/
      )

      const banner = live.getByTestId('throttle')
      await banner.waitFor({ timeout: 30_000 })
      // hold the page's clock so only runFor moves it: the countdown is then exact
      await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500)
      const text = (await banner.textContent()) ?? ''
      // the countdown leads (title and body are separate elements), then a sentence naming the held types
      // by their labels, the throttled collection's own type first; the section above names the tenant
      expect(text).toMatch(
        /^Waiting \d+ sGraph asked to wait \(HTTP 429\)\. Device configuration profile.* by (itself|themselves)\.$/
      )
      expect(text).not.toContain('Fabrikam')
      const before = Number(/^Waiting (\d+) s/.exec(text)?.[1])
      expect(before).toBeGreaterThan(THROTTLE_SECONDS - 10)
      await shot(page, 'live-sync-throttled', 'light')
      // 10 s later on the page's clock it says 10 s less
      await page.clock.runFor(10_000)
      await banner.filter({ hasText: `Waiting ${before - 10} s` }).waitFor()
      await page.clock.resume()

      await live.getByRole('button', { name: 'Cancel' }).click()
      const dialog = page.getByRole('alertdialog', { name: 'Stop syncing Fabrikam?' })
      await dialog.getByText('Finished types are kept; the rest are marked Cancelled.').waitFor()
      await dialog.getByRole('button', { name: 'Stop sync' }).click()
      await live.getByTestId('live-finished').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 30_000 })
      const [run] = host.web.api.listRuns({ tenantId: host.fakes!.tenant!.id })
      // finished types are kept, so the engine stores the cancelled run as partial with CANCELLED
      expect(run).toMatchObject({ status: 'partial', errorCodes: expect.arrayContaining(['CANCELLED']) })
      // screen readers heard the state changes, not the count ticks
      const heard = await announced(page)
      expect(heard).toContain('Sync of Fabrikam running')
      expect(heard).toContain('Graph asked to wait')
      expect(heard).toContain('Sync of Fabrikam finished: cancelled')
      expect(heard).not.toMatch(/\d+ items/)
      // the list shows it too
      await page
        .getByTestId('tenant-row')
        .filter({ hasText: 'Fabrikam' })
        .getByText(/Cancelled · by you/)
        .waitFor()
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  }, 150_000)

  it('re-attaches to a running sync after the window reloads', async () => {
    // a long 429 on one type keeps the run going while the others complete
    host = await startWebHost({
      fakes: {
        size: 200,
        faults: [
          {
            path: '/deviceManagement/deviceConfigurations',
            times: 1,
            fault: { kind: 'status429', retryAfter: 'int', seconds: THROTTLE_SECONDS }
          }
        ]
      }
    })
    const { page, close } = await openApp(browser, host)
    try {
      await startSyncFromList(page)
      const live = page.getByTestId('live-sync').filter({ hasText: 'Fabrikam' })
      await live.getByTestId('throttle').waitFor({ timeout: 30_000 })
      const completeBefore = await live.locator('[data-type-status="complete"]').count()
      expect(completeBefore).toBeGreaterThan(0)
      expect(host.web.api.activeSyncs()).toHaveLength(1)

      await page.reload()
      await page.getByRole('button', { name: /Live syncs: 1 running/ }).click()
      const again = page.getByTestId('live-sync').filter({ hasText: 'Fabrikam' })
      // the per-type list continues from what the engine stored, not from zero
      await again.locator('[data-type-status="complete"]').first().waitFor()
      const stored = host.web.api.getRun(host.web.api.activeSyncs()[0]!.runId!)
      const storedComplete = Object.values(stored.typeOutcomes).filter((o) => o.status === 'complete').length
      expect(storedComplete).toBeGreaterThan(0)
      await again
        .locator('[data-type-status="complete"]')
        .nth(storedComplete - 1)
        .waitFor()
      await expect(again.locator('[data-testid="live-type"]').count()).resolves.toBe(39)
      await shot(page, 'live-sync-reattached', 'light')
      // and it is still the live run: cancel works on it
      await again.getByRole('button', { name: 'Cancel' }).click()
      await page.getByRole('button', { name: 'Stop sync' }).click()
      await again.getByTestId('live-finished').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 30_000 })
      expect(host.web.api.activeSyncs()).toEqual([])
    } finally {
      await close()
    }
  }, 150_000)

  it('syncs all tenants with one selection, each followed live to its end', async () => {
    host = await startWebHost({ fakes: { size: 60 } })
    await host.web.api.addTenant({ ...host.fakes!.tenantInput, displayName: 'Northwind' })
    const { page, close } = await openApp(browser, host)
    try {
      await page.getByTestId('tenant-row').nth(1).waitFor()
      await page.getByRole('button', { name: 'Sync all' }).click()
      const picker = page.getByRole('dialog', { name: 'Sync 2 tenants' })
      await picker.getByText('Fabrikam, Northwind').waitFor()
      // one category only
      await picker.getByRole('button', { name: 'None' }).click()
      await picker.getByRole('checkbox', { name: /^Apps \(0 of \d+\)$/ }).check()
      await picker.getByRole('button', { name: /^\d+ types · Start sync$/ }).click()
      for (const name of ['Fabrikam', 'Northwind']) {
        const live = page.getByTestId('live-sync').filter({ hasText: name })
        await live.getByTestId('live-finished').filter({ hasText: 'Complete' }).waitFor({ timeout: 60_000 })
      }
      for (const t of host.web.api.listTenants()) {
        const [run] = host.web.api.listRuns({ tenantId: t.id })
        expect(run?.selection.categories).toEqual(['apps'])
      }
      // one run of each: counts read as words, "1 run recorded", never "1 runs"
      await goTo(page, 'Runs')
      await page.getByText('1 run recorded', { exact: true }).waitFor()
      await goTo(page, 'Tenants')
      // the next sync of a tenant starts from its remembered selection
      const apps = host.web.api.listCategories().find((c) => c.key === 'apps')!.policyTypes.length
      await page.getByRole('button', { name: 'Sync Fabrikam' }).click()
      await page.getByRole('button', { name: `${apps} types · Start sync` }).waitFor()
    } finally {
      await close()
    }
  }, 150_000)

  it('adds a tenant and syncs it with the keyboard only', async () => {
    host = await startWebHost({ fakes: { add: false, size: 40 } })
    const { page, close } = await openApp(browser, host)
    try {
      await page.getByRole('heading', { name: /Audit your clients/ }).waitFor()
      await tabTo(page, 'Add tenant')
      await page.keyboard.press('Enter')
      await page.getByRole('dialog', { name: 'Add tenant' }).waitFor()
      await tabTo(page, 'Display name')
      await page.keyboard.type('Fabrikam')
      await page.keyboard.press('Tab')
      await page.keyboard.type(FAKE_AZURE_TENANT_ID)
      await page.keyboard.press('Tab')
      await page.keyboard.type(FAKE_CLIENT_ID)
      await page.keyboard.press('Tab') // the cloud radio group: arrows move to Custom
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Tab')
      await page.keyboard.type(FAKE_LOGIN_ORIGIN)
      await page.keyboard.press('Tab')
      await page.keyboard.type(FAKE_GRAPH_ORIGIN)
      await tabTo(page, 'Client secret', 'textbox')
      await page.keyboard.type(FAKE_SECRET)
      await page.keyboard.press('Enter') // submits: save and test
      await page.getByTestId('connection-result').waitFor({ timeout: 30_000 })
      expect(host.web.api.listTenants()).toHaveLength(1)
      await page.keyboard.press('Escape')
      await page.getByRole('dialog', { name: /Test Fabrikam/ }).waitFor({ state: 'detached' })

      await tabTo(page, 'Sync Fabrikam')
      await page.keyboard.press('Enter')
      await tabTo(page, /Start sync/)
      await page.keyboard.press('Enter')
      await page
        .getByTestId('live-sync')
        .getByTestId('live-finished')
        .filter({ hasText: 'Complete' })
        .waitFor({ timeout: 60_000 })
      // focus stays visible while tabbing: the focused element draws an outline or a box shadow
      await tabTo(page, 'Close live syncs')
      const ring = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement
        const after = getComputedStyle(el, '::after')
        const own = getComputedStyle(el)
        return [own.outlineStyle, own.boxShadow, after.outlineStyle, after.borderStyle, after.boxShadow].join(
          '|'
        )
      })
      expect(ring).toMatch(/solid|rgb/)
    } finally {
      await close()
    }
  }, 150_000)
})
