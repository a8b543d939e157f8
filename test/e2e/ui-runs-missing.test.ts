import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTenant } from '../../main/demo/simulator/tenant-generator'
import { launchChromium, startWebHost, type WebHostHandle } from './support/web-host'
import {
  expectAccessible,
  goTo,
  inView,
  openApp,
  renderedLines,
  shot,
  textLefts,
  type Scheme
} from './ui-page'

/**
 * Runs, the run ledger, the missing view and CSV export, on a tenant with history made through the real
 * engine: run #1 of one type only, run #2 of everything (complete), run #3 of everything after three
 * compliance policies were deleted and scripts became forbidden (partial). Also the screen sweep: every
 * main screen in light and dark, screenshotted and checked with axe.
 */
const SCRIPTS = '/deviceManagement/deviceManagementScripts'
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const DELETED = 3

let browser: Browser
let host: WebHostHandle
let tenantId: string
let scriptCount: number

beforeAll(async () => {
  browser = await launchChromium()
  const data = generateTenant({ seed: 11, size: 200 })
  host = await startWebHost({ fakes: { data } })
  const api = host.web.api
  tenantId = host.fakes!.tenant!.id
  const all = { categories: api.listCategories().map((c) => c.key) }
  const sync = (selection: unknown) => api.waitForSync(api.startSync({ tenantId, selection }).requestId)
  await sync({ policy_types: ['deviceConfiguration'] })
  await sync(all)
  scriptCount = data[SCRIPTS]?.length ?? 0
  expect(scriptCount).toBeGreaterThan(0)
  expect(data[COMPLIANCE]?.length).toBeGreaterThan(DELETED)
  host.fakes!.graph.setData({ ...data, [COMPLIANCE]: data[COMPLIANCE]!.slice(DELETED) })
  host.fakes!.graph.script({
    path: SCRIPTS,
    times: Infinity,
    fault: { kind: 'forbidden', scopes: ['DeviceManagementScripts.Read.All'] }
  })
  const third = await sync(all)
  expect(third.status).toBe('partial')
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
})

/** Clicks an export button and returns the rows of the file the host wrote (the path is in the toast). */
async function exportFrom(page: Page, button: string): Promise<Record<string, string>[]> {
  await page.getByRole('button', { name: button }).click()
  const toast = page.getByTestId('export-done').last()
  await toast.waitFor()
  const path = ((await toast.textContent()) ?? '').trim()
  expect(path.startsWith(host.exportDir)).toBe(true)
  return parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Record<string, string>[]
}

describe('runs, ledger, missing and export', () => {
  it('lists the runs and opens a partial run’s ledger with code, hint and missing scopes', async () => {
    const { page, close } = await openApp(browser, host)
    try {
      await goTo(page, 'Runs')
      const rows = page.getByTestId('run-row')
      await rows.first().waitFor()
      await expect(rows.count()).resolves.toBe(3)
      await expect(rows.first().textContent()).resolves.toMatch(/#3.*Partial · 1 type not collected/)
      await expect(rows.first().textContent()).resolves.toContain('GRAPH_FORBIDDEN')

      await page.getByRole('button', { name: 'Open run #3' }).click()
      const forbidden = page.locator('[data-testid="ledger-row"][data-type="deviceManagementScript"]')
      await forbidden.waitFor()
      expect(await forbidden.getAttribute('data-outcome')).toBe('not_collected')
      const text = (await forbidden.textContent()) ?? ''
      expect(text).toContain('PowerShell script (Windows)')
      expect(text).toContain('Not collected')
      expect(text).toContain('GRAPH_FORBIDDEN')
      expect(text).toContain('Missing scopes: DeviceManagementScripts.Read.All')
      expect(text).toContain('grant') // the engine's hint for the code
      const complete = page.locator('[data-testid="ledger-row"][data-outcome="complete"]')
      await expect(complete.count()).resolves.toBe(38)

      // run #1 synced one type: the other 38 show as outside its selection
      await page.getByRole('button', { name: 'All runs' }).click()
      await page.getByRole('button', { name: 'Open run #1' }).click()
      await page.getByRole('heading', { name: /^Run #1/ }).waitFor()
      await expect(
        page.locator('[data-testid="ledger-row"][data-outcome="not_selected"]').count()
      ).resolves.toBe(38)
      await expect(page.locator('[data-testid="ledger-row"][data-outcome="complete"]').count()).resolves.toBe(
        1
      )
    } finally {
      await close()
    }
  }, 120_000)

  it('shows missing objects with reasons, the low-confidence rule in words, and filters', async () => {
    const { page, close } = await openApp(browser, host)
    try {
      await goTo(page, 'Missing')
      const banner = page.getByTestId('confidence')
      await banner.waitFor()
      // the engine's rule in words, led by the status word (title and body are separate elements)
      await expect(banner.textContent()).resolves.toBe(
        'Low confidenceThe latest run was partial, 1 type not collected (run #3). Objects of types not ' +
          'collected can’t be judged; sync again for a firm answer.'
      )
      const rows = page.getByTestId('missing-row')
      await rows.first().waitFor()
      await expect(page.locator('[data-reason="absent"]').count()).resolves.toBe(DELETED)
      await expect(page.locator('[data-reason="not_collected"]').count()).resolves.toBe(scriptCount)
      await expect(page.locator('[data-reason="absent"]').first().textContent()).resolves.toContain(
        'Absent · in run #3'
      )
      // run #3 is the only complete judgement of the compliance policies that missed it (run #2 saw them)
      await expect(
        page.locator('[data-reason="absent"] [data-testid="absent-runs"]').first().textContent()
      ).resolves.toBe('1 complete run')
      await expect(
        page.locator('[data-reason="not_collected"] [data-testid="absent-runs"]').first().textContent()
      ).resolves.toBe('—')

      await page.getByRole('combobox', { name: 'Reason' }).click()
      await page.getByRole('option', { name: 'Absent' }).click()
      await expect(rows.count()).resolves.toBe(DELETED)
      await page
        .getByTestId('missing-count')
        .filter({ hasText: `${DELETED} of ${DELETED + scriptCount} missing` })
        .waitFor()
      await page.getByRole('combobox', { name: 'Reason' }).click()
      await page.getByRole('option', { name: 'All reasons' }).click()
      await page.getByRole('combobox', { name: 'Policy type' }).click()
      await page.getByRole('option', { name: 'PowerShell script (Windows)' }).click()
      await expect(rows.count()).resolves.toBe(scriptCount)
      expect(
        await rows.evaluateAll((els) => els.every((e) => e.getAttribute('data-reason') === 'not_collected'))
      ).toBe(true)
    } finally {
      await close()
    }
  }, 120_000)

  it('exports the inventory, missing and runs views to CSV files with the documented columns', async () => {
    const api = host.web.api
    const { page, close } = await openApp(browser, host)
    try {
      await goTo(page, 'Inventory')
      await page.getByTestId('inventory-count').filter({ hasText: /items/ }).waitFor()
      const inventory = await exportFrom(page, 'Export CSV')
      expect(inventory).toHaveLength(api.listInventory({ tenantId, limit: 1 }).total)
      expect(Object.keys(inventory[0]!).slice(0, 4)).toEqual([
        'tenant_id',
        'tenant_name',
        'policy_type',
        'policy_type_label'
      ])
      expect(inventory.every((r) => r.tenant_name === 'Fabrikam')).toBe(true)

      await goTo(page, 'Missing')
      await page.getByTestId('missing-row').first().waitFor()
      const missing = await exportFrom(page, 'Export CSV')
      expect(missing).toHaveLength(DELETED + scriptCount)
      expect(new Set(missing.map((r) => r.reason))).toEqual(new Set(['absent', 'not_collected']))

      await goTo(page, 'Runs')
      await page.getByTestId('run-row').first().waitFor()
      const runs = await exportFrom(page, 'Export CSV')
      expect(runs).toHaveLength(3)
      expect(runs.map((r) => r.status).sort()).toEqual(['partial', 'success', 'success'])
    } finally {
      await close()
    }
  }, 120_000)

  for (const scheme of ['light', 'dark'] as Scheme[]) {
    it(`every main screen in ${scheme}: screenshot and no serious or critical axe violation`, async () => {
      const { page, consoleErrors, close } = await openApp(browser, host, { scheme })
      try {
        await page.getByTestId('tenant-row').first().waitFor()
        await page.getByTestId('tenant-missing').first().waitFor()
        // the rule beside the Low confidence badge, without the engine's own level word ("low:")
        await expect(page.getByTestId('confidence-reason').first().textContent()).resolves.toBe(
          'The latest run was partial, 1 type not collected'
        )
        await shot(page, 'tenants', scheme)
        await expectAccessible(page, `tenants (${scheme})`)

        // with the live syncs panel open the list scrolls sideways, but a row's actions stay in view
        await page.getByRole('button', { name: /Live syncs/ }).click()
        await page.getByRole('heading', { name: 'Live syncs' }).waitFor()
        const scroller = page.getByTestId('tenants-scroller')
        await expect(scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).resolves.toBe(true)
        await expect(inView(page.getByRole('button', { name: 'Sync Fabrikam' }))).resolves.toBe(true)
        await expect(inView(page.getByRole('button', { name: 'More actions for Fabrikam' }))).resolves.toBe(
          true
        )
        // narrow, each cell still holds its content: no badge runs on over the next column
        const spilling = await page
          .locator('[data-testid="tenant-row"] td')
          .evaluateAll((cells) =>
            cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent)
          )
        expect(spilling).toEqual([])
        await shot(page, 'tenants-live-syncs', scheme)
        await page.getByRole('button', { name: 'Close live syncs' }).click()

        await page.getByRole('button', { name: 'Sync Fabrikam' }).click()
        await page.getByRole('button', { name: /Start sync/ }).waitFor()
        await shot(page, 'sync-picker', scheme)
        await expectAccessible(page, `sync picker (${scheme})`)
        await page.getByRole('button', { name: 'Cancel' }).click()

        await page.getByRole('button', { name: 'Add tenant' }).click()
        await page.getByRole('dialog', { name: 'Add tenant' }).waitFor()
        await shot(page, 'add-tenant', scheme)
        await expectAccessible(page, `add tenant (${scheme})`)
        await page.getByRole('button', { name: 'Cancel' }).click()

        await goTo(page, 'Runs')
        await page.getByTestId('run-row').first().waitFor()
        // a run's start time and duration read on one line each (the start once wrapped "PM" below it)
        const runLines = await renderedLines(page.locator('[data-testid="run-row"] [data-column]'))
        expect(runLines).toEqual([1, 1, 1, 1, 1, 1])
        // the run numbers start under the "Run" header, not centred in a wide button right of it
        const [runHeader] = await textLefts(page.getByRole('columnheader', { name: 'Run', exact: true }))
        const runNumbers = await textLefts(page.getByRole('button', { name: /^Open run #/ }))
        expect(runNumbers).toHaveLength(3)
        for (const left of runNumbers) expect(Math.abs(left - runHeader!)).toBeLessThanOrEqual(2)
        await shot(page, 'runs', scheme)
        await expectAccessible(page, `runs (${scheme})`)
        await page.getByRole('button', { name: 'Open run #3' }).click()
        await page.getByTestId('ledger-row').first().waitFor()
        await shot(page, 'run-ledger', scheme)
        await expectAccessible(page, `run ledger (${scheme})`)

        await goTo(page, 'Missing')
        await page.getByTestId('missing-row').first().waitFor()
        // every date in the list reads on one line (the columns were once all as narrow as the widest fit)
        const dateLines = await renderedLines(page.locator('[data-testid="missing-row"] [data-column]'))
        expect(dateLines.length).toBeGreaterThan(0)
        expect(dateLines.every((lines) => lines === 1)).toBe(true)
        await shot(page, 'missing', scheme)
        await expectAccessible(page, `missing (${scheme})`)

        await goTo(page, 'Inventory')
        await page.getByTestId('inventory-row').first().waitFor()
        await shot(page, 'inventory', scheme)
        await expectAccessible(page, `inventory (${scheme})`)

        await page.getByRole('button', { name: /Live syncs/ }).click()
        await page.getByRole('heading', { name: 'Live syncs' }).waitFor()
        // the button's tooltip tells the truth about an idle engine
        await page
          .getByRole('tooltip')
          .filter({ hasText: /^No sync in progress$/ })
          .waitFor()
        // the panel narrows the grid: the other columns give way, every "Last seen" date stays whole
        const dates = page.locator('[data-testid="inventory-row"] [data-column="lastSeenAt"]')
        await expect(dates.count()).resolves.toBeGreaterThan(0)
        const clipped = await dates.evaluateAll(
          (cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).length
        )
        expect(clipped).toBe(0)
        // a type name cut to fit (two types can differ only in the cut part) shows whole on hover
        const cutTypes = await page
          .locator('[data-testid="inventory-row"] [data-column="policyType"]')
          .evaluateAll((cells) =>
            cells
              .filter((c) => c.scrollWidth > c.clientWidth)
              .map((c) => ({ text: c.textContent, title: c.querySelector('[title]')?.getAttribute('title') }))
          )
        expect(cutTypes.length).toBeGreaterThan(0)
        for (const t of cutTypes) expect(t.title).toBe(t.text)
        await shot(page, 'live-syncs', scheme)
        await expectAccessible(page, `live syncs (${scheme})`)
        expect(consoleErrors).toEqual([])
      } finally {
        await close()
      }
    }, 120_000)
  }
})
