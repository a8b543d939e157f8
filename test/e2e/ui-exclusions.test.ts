import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, startWebHost, type WebHostHandle } from './support/web-host'
import { expectAccessible, goTo, openApp, shot } from './ui-page'

/**
 * Per-tenant excluded policy types in the window: the connection test offers to exclude what the tenant
 * has no licence for, the tenant form picks more by label, and a sync then leaves them out of selection
 * (the run's ledger says "not selected", not a failure).
 */
const CONDITIONAL_ACCESS = '/identity/conditionalAccess/policies'

let browser: Browser
let host: WebHostHandle

beforeAll(async () => {
  browser = await launchChromium()
  host = await startWebHost({
    fakes: {
      size: 40,
      // a bare 403 on a licence-gated type: "not licensed"
      faults: [{ path: CONDITIONAL_ACCESS, times: Infinity, fault: { kind: 'forbidden' } }]
    }
  })
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await host?.close()
})

const excluded = () => host.web.api.listTenants()[0]?.excludedTypes

describe('excluded policy types', () => {
  it('excludes the not-licensed types from the connection test, more in the form, and syncs without them', async () => {
    const { page, consoleErrors, close } = await openApp(browser, host)
    try {
      await page.getByRole('button', { name: 'More actions for Fabrikam' }).click()
      await page.getByRole('menuitem', { name: 'Test connection' }).click()
      const result = page.getByTestId('connection-result')
      await result.waitFor({ timeout: 30_000 })
      await result.locator('[data-access="not_licensed"]').first().waitFor()
      await expect(result.locator('[data-access="not_licensed"]').count()).resolves.toBe(1)
      await shot(page, 'connection-not-licensed', 'light')
      await expectAccessible(page, 'connection test with a not-licensed type')

      await result.getByRole('button', { name: 'Exclude these not-licensed types' }).click()
      await expect.poll(excluded).toEqual(['conditionalAccessPolicy'])
      // saved: the summary names it by its label, and the offer is gone
      await page.getByTestId('tenant-summary').getByText('Conditional Access policy').waitFor()
      await result
        .getByRole('button', { name: 'Exclude these not-licensed types' })
        .waitFor({ state: 'detached' })

      // the form shows the exclusion as a tag and adds another by its label
      await page.getByRole('button', { name: 'Edit', exact: true }).click()
      const drawer = page.getByRole('dialog', { name: 'Edit Fabrikam' })
      await drawer.getByRole('button', { name: 'Stop excluding Conditional Access policy' }).waitFor()
      await drawer.getByRole('combobox', { name: 'Excluded policy types' }).click()
      // Fluent's multiselect options are menu item checkboxes
      await page.getByRole('menuitemcheckbox', { name: 'Named location' }).click()
      await page.keyboard.press('Escape') // closes the list, not the drawer
      await drawer.getByRole('button', { name: 'Stop excluding Named location' }).waitFor()
      await shot(page, 'tenant-excluded-types', 'light')
      await drawer.getByRole('button', { name: 'Save', exact: true }).click()
      await expect.poll(excluded).toEqual(['conditionalAccessPolicy', 'namedLocation'])
      await drawer.waitFor({ state: 'detached' })

      // a sync of every type leaves both out: complete, with the two outside the selection
      await page.getByRole('button', { name: 'Sync Fabrikam' }).click()
      await page.getByRole('button', { name: /types · Start sync/ }).click()
      await page.getByTestId('live-finished').waitFor({ timeout: 60_000 })
      const run = host.web.api.listRuns({ tenantId: host.fakes!.tenant!.id })[0]!
      expect(run.status).toBe('success')
      expect(Object.keys(run.typeOutcomes)).not.toContain('conditionalAccessPolicy')

      await goTo(page, 'Runs')
      await page.getByRole('button', { name: `Open run #${run.id}` }).click()
      await page.getByRole('heading', { name: new RegExp(`^Run #${run.id}`) }).waitFor()
      for (const type of ['conditionalAccessPolicy', 'namedLocation']) {
        await expect(
          page.locator(`[data-testid="ledger-row"][data-type="${type}"]`).getAttribute('data-outcome')
        ).resolves.toBe('not_selected')
      }
      await expect(
        page.locator('[data-testid="ledger-row"][data-outcome="not_collected"]').count()
      ).resolves.toBe(0)
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  }, 180_000)

  it('shows the exclusion picker accessible in dark', async () => {
    const { page, close } = await openApp(browser, host, { scheme: 'dark' })
    try {
      await page.getByRole('button', { name: 'More actions for Fabrikam' }).click()
      await page.getByRole('menuitem', { name: 'Edit' }).click()
      const drawer = page.getByRole('dialog', { name: 'Edit Fabrikam' })
      await drawer.getByRole('button', { name: 'Stop excluding Named location' }).waitFor()
      await shot(page, 'tenant-excluded-types', 'dark')
      await expectAccessible(page, 'tenant form with exclusions (dark)')
    } finally {
      await close()
    }
  }, 60_000)
})
