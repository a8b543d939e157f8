import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTenant, renameItem } from '../../main/demo/simulator/tenant-generator'
import { FAKE_AZURE_TENANT_ID, launchChromium, startWebHost, type WebHostHandle } from './support/web-host'
import { fittedTimeAxis, type TimeAxis } from '../../renderer/src/time-axis'
import { expectAccessible, openApp, shot, textLefts, type Scheme } from './ui-page'

/**
 * The insight screens on the real-engine host with two demo-generated tenants on the Graph fake: changes
 * since a marked run after a second sync that changed the tenant, the cross-tenant view against the store
 * (with every request that is not to the host aborted, and no Graph call), and the audit pack action.
 */
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const SELECTION = { policy_types: ['compliancePolicy', 'deviceConfiguration', 'deviceManagementScript'] }

let browser: Browser
let host: WebHostHandle

/** The host's store, read-only beside the engine (WAL lets a reader in while the engine writes). */
function storeOf(h: WebHostHandle): Database.Database {
  const db = new Database(join(h.dataDir, 'tenant-atlas.db'), { readonly: true })
  opened.push(db)
  return db
}
const opened: Database.Database[] = []
let fabrikam: string
let northwind: string
let firstRun: number

beforeAll(async () => {
  browser = await launchChromium()
  const data = generateTenant({ seed: 11, size: 200 })
  host = await startWebHost({ fakes: { data } })
  const api = host.web.api
  fabrikam = host.fakes!.tenant!.id
  host.fakes!.registerTenant('northwind-e2e.onmicrosoft.com')
  northwind = (
    await api.addTenant({
      ...host.fakes!.tenantInput,
      displayName: 'Northwind',
      azureTenantId: 'northwind-e2e.onmicrosoft.com'
    })
  ).id
  const sync = (tenantId: string) =>
    api.waitForSync(api.startSync({ tenantId, selection: SELECTION }).requestId)
  firstRun = (await sync(fabrikam)).id
  await sync(northwind)
  // the tenant changes: one policy renamed, two deleted, one added; then Fabrikam syncs again
  const list = data[COMPLIANCE]!
  renameItem(data, COMPLIANCE, list[0]!.id as string, 'Renamed by the client')
  const added = { ...list[1]!, id: '00000000-0000-4000-8000-0000000e2e01', displayName: 'Added since' }
  host.fakes!.graph.setData({ ...data, [COMPLIANCE]: [...list.slice(0, 1), ...list.slice(3), added] })
  const second = await sync(fabrikam)
  expect(second.status).toBe('success')
  expect(FAKE_AZURE_TENANT_ID).not.toBe('northwind-e2e.onmicrosoft.com')
}, 180_000)

afterAll(async () => {
  for (const db of opened) db.close()
  await browser?.close()
  await host?.close()
})

/** Runs `fn` with this process in a time zone (Node applies a TZ change at once). */
function inZone<T>(zone: string, fn: () => T): T {
  const saved = process.env.TZ
  process.env.TZ = zone
  try {
    return fn()
  } finally {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  }
}

const labelsOf = (axis: TimeAxis) => axis.ticks.map(axis.format)

async function nav(page: Page, label: string, heading: RegExp): Promise<void> {
  await page.getByRole('navigation').getByText(label, { exact: true }).click()
  await page.getByRole('heading', { level: 2, name: heading }).waitFor()
}

/** Aborts every request that is not to the host (the page's own origin): the view must not need them. */
async function refuseNetwork(page: Page): Promise<string[]> {
  const refused: string[] = []
  await page.context().route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith(host.origin)) return route.continue()
    refused.push(url)
    return route.abort('internetdisconnected')
  })
  return refused
}

describe('insight screens', () => {
  it('marks a run as the last visit and shows what changed since on Runs and Tenants', async () => {
    const { page, close, consoleErrors } = await openApp(browser, host)
    try {
      await nav(page, 'Runs', /^Runs/)
      // the Runs screen shows the tenant the header picked: make it Fabrikam
      const insight = page.getByTestId('runs-insight')
      await insight.waitFor()
      const heading = await page.getByRole('heading', { level: 2 }).textContent()
      if (!heading?.includes('Fabrikam')) {
        await page
          .getByRole('combobox', { name: /tenant/i })
          .first()
          .click()
        await page.getByRole('option', { name: /Fabrikam/ }).click()
        await page.getByRole('heading', { level: 2, name: /Fabrikam/ }).waitFor()
      }
      await insight.getByRole('combobox').selectOption(String(firstRun))
      await insight.getByRole('button', { name: 'Mark as my last visit' }).click()
      const line = page.getByTestId('changes-line')
      await line.waitFor()
      expect(await line.textContent()).toMatch(/^1 new, 1 changed, 2 gone since /)
      const rows = page.getByTestId('change-row')
      await expect(rows.count()).resolves.toBe(4)
      expect(await page.locator('[data-testid="change-row"][data-kind="new"]').textContent()).toContain(
        'Added since'
      )
      expect(await page.locator('[data-testid="change-row"][data-kind="changed"]').textContent()).toContain(
        'Renamed by the client'
      )
      // the same counts as the engine's
      const report = host.web.api.getChanges({ tenantId: fabrikam })
      expect(report.counts).toEqual({ new: 1, changed: 1, gone: 2 })

      await nav(page, 'Tenants', /^Tenants/)
      const summary = page.locator(
        '[data-testid="tenant-row"][data-tenant="Fabrikam"] [data-testid="changes-summary"]'
      )
      await summary.waitFor()
      expect(await summary.textContent()).toMatch(
        /1 new, 1 changed, 2 gone since \w+ \d+|1 new, 1 changed, 2 gone since \d+ \w+/
      )
      expect(
        await page
          .locator('[data-testid="tenant-row"][data-tenant="Northwind"] [data-testid="changes-summary"]')
          .count()
      ).toBe(0)
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  })

  it('writes the audit pack from the Runs screen; its manifest matches the files', async () => {
    const { page, close } = await openApp(browser, host)
    try {
      await nav(page, 'Runs', /^Runs/)
      await page.getByTestId('runs-insight').getByRole('button', { name: 'Audit pack' }).click()
      const toast = page.getByTestId('pack-done').last()
      await toast.waitFor()
      const dir = ((await toast.textContent()) ?? '').trim()
      expect(dir.startsWith(host.exportDir)).toBe(true)
      expect(readdirSync(dir).sort()).toEqual([
        'inventory.csv',
        'ledger.csv',
        'manifest.json',
        'missing.csv',
        'runs.csv'
      ])
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        files: Array<{ name: string; sha256: string }>
      }
      for (const f of manifest.files) {
        expect(
          createHash('sha256')
            .update(readFileSync(join(dir, f.name)))
            .digest('hex')
        ).toBe(f.sha256)
      }
    } finally {
      await close()
    }
  })

  it('works from the store with the network refused: compare tenants, inventory, missing, runs', async () => {
    const { page, close, consoleErrors } = await openApp(browser, host)
    const graphCalls = host.fakes!.graph.requests.length
    try {
      const refused = await refuseNetwork(page)
      await nav(page, 'Compare tenants', /^Compare tenants/)
      const matrix = page.getByTestId('cross-matrix')
      await matrix.waitFor()
      const store = storeOf(host)
        .prepare(
          `SELECT i.policy_type AS type, t.display_name AS tenant, count(*) AS n
           FROM inventory_items i JOIN tenants t ON t.id = i.tenant_id GROUP BY 1, 2`
        )
        .all() as Array<{ type: string; tenant: string; n: number }>
      expect(store.length).toBeGreaterThan(2)
      for (const cell of store) {
        const shown = page.locator(
          `[data-testid="cross-row"][data-type="${cell.type}"] [data-testid="cross-cell"][data-tenant="${cell.tenant}"]`
        )
        expect(await shown.getAttribute('data-count'), `${cell.type} / ${cell.tenant}`).toBe(String(cell.n))
      }
      // Fabrikam lost two compliance policies and gained one, but keeps the deleted ones as last observed
      const compliance = store.filter((c) => c.type === 'compliancePolicy')
      expect(compliance.find((c) => c.tenant === 'Fabrikam')!.n).toBe(
        compliance.find((c) => c.tenant === 'Northwind')!.n + 1
      )

      await page
        .locator(
          '[data-testid="cross-row"][data-type="compliancePolicy"] [data-testid="cross-cell"][data-tenant="Northwind"]'
        )
        .click()
      const objects = page.getByTestId('cross-object')
      await objects.first().waitFor()
      const northwindCompliance = compliance.find((c) => c.tenant === 'Northwind')!.n
      await expect(objects.count()).resolves.toBe(northwindCompliance)
      expect(await page.locator('[data-testid="cross-object"][data-tenant="Fabrikam"]').count()).toBe(0)

      await page.getByRole('searchbox', { name: 'Search all tenants' }).fill('Renamed by the client')
      await page.getByRole('heading', { name: /Matches for ‘Renamed by the client’/ }).waitFor()
      await expect(objects.count()).resolves.toBe(1)
      expect(await objects.first().getAttribute('data-tenant')).toBe('Fabrikam')

      // the rest of the workspace, still offline: the inventory grid, its facets and an object's details,
      // the missing view and the runs with what changed since the last visit
      await nav(page, 'Inventory', /^Inventory/)
      await page.getByTestId('inventory-row').first().waitFor()
      await page.getByTestId('facet-Category').click()
      await page.locator('[data-testid="facet-option"]:visible').first().waitFor()
      await page.getByRole('heading', { level: 2 }).click()
      await page.getByTestId('inventory-open').first().click()
      await page.getByTestId('item-drawer').waitFor()
      await page.getByRole('button', { name: 'Close' }).click()
      await page.getByTestId('item-drawer').waitFor({ state: 'detached' })
      await nav(page, 'Missing', /^Missing/)
      await page.getByTestId('missing-row').first().waitFor()
      await nav(page, 'Runs', /^Runs/)
      await page.getByTestId('runs-insight').waitFor()

      expect(refused).toEqual([])
      expect(host.fakes!.graph.requests.length).toBe(graphCalls)
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  })

  it('draws the runs timeline and the category breakdown, each with its data as a table', async () => {
    const { page, close, consoleErrors } = await openApp(browser, host)
    try {
      await nav(page, 'Runs', /^Runs · Fabrikam/)
      const timeline = page.getByTestId('runs-timeline')
      await timeline.locator('svg').first().waitFor()
      const runs = host.web.api.listRuns({ tenantId: fabrikam }).filter((r) => r.finishedAt !== null)
      await expect(page.getByTestId('timeline-row').count()).resolves.toBe(runs.length)
      await expectDistinctTicks(page, runs)
      const categories = page.getByTestId('category-chart')
      await categories.locator('svg').first().waitFor()
      // the data tables sit in closed <details>: present for screen readers and one click away
      await page.getByTestId('category-row').first().waitFor({ state: 'attached' })
      const byCategory = storeOf(host)
        .prepare('SELECT category, count(*) AS n FROM inventory_items WHERE tenant_id = ? GROUP BY category')
        .all(fabrikam) as Array<{ category: string; n: number }>
      for (const c of byCategory) {
        const row = page.locator(`[data-testid="category-row"][data-category="${c.category}"]`)
        expect(await row.locator('td').last().textContent(), c.category).toBe(String(c.n))
      }
      await expect(page.getByTestId('category-row').count()).resolves.toBe(byCategory.length)
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  })

  it.each(['light', 'dark'] as Scheme[])(
    'new screens pass axe and are screenshotted (%s)',
    async (scheme) => {
      const { page, close } = await openApp(browser, host, { scheme })
      try {
        await nav(page, 'Compare tenants', /^Compare tenants/)
        await page.getByTestId('cross-matrix').waitFor()
        await shot(page, 'insight-compare', scheme)
        await expectAccessible(page, `compare (${scheme})`)
        await page.getByRole('radio', { name: 'By type and name' }).click()
        await page.getByTestId('cross-row').first().waitFor()
        // each column reads straight down: a count, a dash (none in that tenant) and a row's title start
        // where their header's text does (counts once sat centred in 64 px buttons, right of the header)
        const matrix = page.getByTestId('cross-matrix')
        const columns = [
          {
            header: 'Policy type · name',
            cells: matrix.getByTestId('cross-row').locator('td:first-child button')
          },
          ...['Fabrikam', 'Northwind'].map((tenant) => ({
            header: tenant,
            cells: matrix.locator(`[data-testid="cross-cell"][data-tenant="${tenant}"]`)
          }))
        ]
        for (const column of columns) {
          const [headerLeft] = await textLefts(matrix.getByRole('columnheader', { name: column.header }))
          const lefts = await textLefts(column.cells)
          expect(lefts.length).toBeGreaterThan(1)
          for (const left of lefts) expect(Math.abs(left - headerLeft!), column.header).toBeLessThanOrEqual(2)
        }
        await expect(
          matrix.locator('[data-testid="cross-cell"][data-count="0"]').count()
        ).resolves.toBeGreaterThan(0)
        await shot(page, 'insight-compare-by-name', scheme)
        await expectAccessible(page, `compare by name (${scheme})`)
        await nav(page, 'Runs', /^Runs/)
        await page.getByTestId('runs-insight').waitFor()
        await shot(page, 'insight-runs', scheme)
        await expectAccessible(page, `runs insight (${scheme})`)
        await nav(page, 'Tenants', /^Tenants/)
        await page.getByTestId('changes-summary').first().waitFor()
        await shot(page, 'insight-tenants', scheme)
        await expectAccessible(page, `tenants with changes (${scheme})`)
      } finally {
        await close()
      }
    }
  )

  it('labels the timeline of runs seconds apart with distinct whole-step times, light and dark', async () => {
    // Northwind gets four more runs, a second or two apart (its first is from the start of this file): the
    // chart's own axis read "25 26 26 26 27" for runs like these
    const api = host.web.api
    for (let i = 0; i < 4; i++) {
      await api.waitForSync(api.startSync({ tenantId: northwind, selection: SELECTION }).requestId)
    }
    const runs = api.listRuns({ tenantId: northwind }).filter((r) => r.finishedAt !== null)
    expect(runs.length).toBe(5)
    for (const scheme of ['light', 'dark'] as Scheme[]) {
      const { page, close, consoleErrors } = await openApp(browser, host, { scheme })
      try {
        await nav(page, 'Runs', /^Runs/)
        await page
          .getByRole('combobox', { name: /tenant/i })
          .first()
          .click()
        await page.getByRole('option', { name: /Northwind/ }).click()
        await page.getByRole('heading', { level: 2, name: /Northwind/ }).waitFor()
        await expect(page.getByTestId('timeline-row').count()).resolves.toBe(5)
        const ticks = await expectDistinctTicks(page, runs)
        expect(ticks.length).toBeGreaterThanOrEqual(2)
        await page.getByTestId('runs-timeline').scrollIntoViewIfNeeded()
        await shot(page, 'runs-timeline-seconds', scheme)
        expect(consoleErrors).toEqual([])
      } finally {
        await close()
      }
    }
  })
})

/**
 * The timeline's x-axis as drawn: at most six ticks, each labelled differently, and the very ticks the
 * axis module picks for these runs, the axis's width and the page's locale and zone (en-US, UTC).
 */
async function expectDistinctTicks(
  page: Page,
  runs: ReadonlyArray<{ startedAt: string; finishedAt: string | null }>
): Promise<string[]> {
  const timeline = page.getByTestId('runs-timeline')
  const axis = timeline.locator('g[id^="xAxisGElement"]')
  await axis.locator('.tick').first().waitFor()
  const ticks = await axis.locator('.tick text').allTextContents()
  expect(ticks.length).toBeGreaterThanOrEqual(1)
  expect(ticks.length).toBeLessThanOrEqual(6)
  expect(new Set(ticks).size).toBe(ticks.length)
  // the axis's extent, from its (hidden) domain line "M<from>,6V0H<to>V6"
  const line = (await axis.locator('path.domain').getAttribute('d')) ?? ''
  const [, from, to] = /^M([\d.]+),[^H]*H([\d.]+)/.exec(line) ?? []
  const width = Math.round(Number(to) - Number(from))
  expect(width, line).toBeGreaterThan(0)
  // a run shorter than a second is drawn a second wide
  const start = Math.min(...runs.map((r) => Date.parse(r.startedAt)))
  const end = Math.max(
    ...runs.map((r) => Math.max(Date.parse(r.finishedAt!), Date.parse(r.startedAt) + 1000))
  )
  expect(ticks).toEqual(inZone('UTC', () => labelsOf(fittedTimeAxis(start, end, width, { locale: 'en-US' }))))
  return ticks
}
