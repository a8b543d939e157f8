import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InventoryItemView } from '../../main/app/atlas-api'
import { generateTenant } from '../../main/demo/simulator/tenant-generator'
import { launchChromium, startWebHost, type WebHostHandle } from './support/web-host'
import { expectAccessible, goTo, holdReplies, openApp, shot, SHOTS, tabTo, type Scheme } from './ui-page'

/**
 * The inventory workspace on the real engine (web host, sync worker, SQLite): a generated tenant synced
 * through the Graph fake, with one object whose name and description are hostile markup. Facets, search,
 * the column chooser and saved views across reloads, export of the view on screen, the details drawer.
 */
const CONFIGS = '/deviceManagement/deviceConfigurations'
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">=HYPERLINK("http://evil.invalid")'
const HOSTILE_ID = 'hostile-0000-4000-8000-000000000001'

let browser: Browser
let host: WebHostHandle
let tenantId: string

beforeAll(async () => {
  browser = await launchChromium()
  const data = generateTenant({ seed: 11, size: 200 })
  data[CONFIGS] = [
    ...(data[CONFIGS] ?? []),
    {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      id: HOSTILE_ID,
      displayName: HOSTILE_NAME,
      description: '<script>window.__pwned=2</script>',
      version: 1
    }
  ]
  host = await startWebHost({ fakes: { data } })
  const api = host.web.api
  tenantId = host.fakes!.tenant!.id
  const all = { categories: api.listCategories().map((c) => c.key) }
  const run = await api.waitForSync(api.startSync({ tenantId, selection: all }).requestId)
  expect(run.status).toBe('success')
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
})

/** Every stored item of the tenant, in the listing order (built-in objects included). */
function storedItems(): InventoryItemView[] {
  return host.web.api.listInventory({ tenantId, limit: 100_000 }).items
}

async function openInventory(page: Page): Promise<void> {
  await goTo(page, 'Inventory')
  await page.getByTestId('inventory-row').first().waitFor()
}

/** The region ('nav', 'main', 'live') that holds the focus, '' for none. */
const focusRegion = (page: Page) =>
  page.evaluate(
    () =>
      (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-region]')?.dataset.region ??
      ''
  )

const countText = (page: Page) => page.getByTestId('inventory-count')

/**
 * The counts a facet menu shows, by value (the menu is opened and closed again). Each wait is short and
 * throws, so the expect.poll around it tries again with a fresh click: a menu whose counts are refreshed
 * while it opens can lose the focus and miss the click (see the issue notes).
 */
async function facetCounts(page: Page, facet: string): Promise<Record<string, number>> {
  // only the open menu's options: a closed menu may stay mounted, hidden
  const options = page.locator('[data-testid="facet-option"]:visible')
  if ((await options.count()) === 0) await page.getByTestId(`facet-${facet}`).click()
  await options.first().waitFor({ timeout: 2_000 })
  // read every option in one step: the list is re-rendered when fresh counts arrive
  const read = await options.evaluateAll((els) =>
    els.map((e) => [
      e.getAttribute('data-value') ?? '',
      e.querySelector('[data-testid="facet-count"]')?.textContent ?? ''
    ])
  )
  await closeMenu(page)
  return Object.fromEntries(read.map(([value, count]) => [value, Number(count!.replace(/\D/g, ''))]))
}

/**
 * Closes the open facet menu by a click outside it (Escape goes to whatever holds the focus, which after
 * typing in the search box is not always the menu), then waits until it is gone: a click on a trigger
 * while its menu still closes is lost.
 */
async function closeMenu(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 2 }).click()
  await page
    .locator('[data-testid="facet-option"]:visible')
    .first()
    .waitFor({ state: 'detached', timeout: 2_000 })
}

async function chooseFacet(page: Page, facet: string, value: string): Promise<void> {
  await page.getByTestId(`facet-${facet}`).click()
  await page.locator(`[data-testid="facet-option"][data-value="${value}"]:visible`).click()
  await closeMenu(page)
}

const asRecord = (list: Array<{ value: string; count: number }>) =>
  Object.fromEntries(list.map((c) => [c.value, c.count]))

const sortButton = (page: Page, column: string) =>
  page.getByRole('columnheader', { name: new RegExp(`^${column}`) }).getByRole('button')

const headers = (page: Page) =>
  page.getByRole('columnheader').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()))

describe('inventory workspace', () => {
  it('narrows the grid and the facet counts with facets and search', async () => {
    const api = host.web.api
    const stored = storedItems()
    const visible = stored.filter((i) => !i.builtIn)
    expect(visible.length).toBeLessThan(stored.length)
    const { page, close } = await openApp(browser, host)
    try {
      await openInventory(page)
      await countText(page)
        .filter({ hasText: `${visible.length} of ${stored.length} items` })
        .waitFor()

      // the platform counts are the stored objects per platform (built-in hidden), counted here by hand
      const byPlatform: Record<string, number> = {}
      for (const i of visible) byPlatform[i.platform] = (byPlatform[i.platform] ?? 0) + 1
      await expect.poll(() => facetCounts(page, 'Platform'), { timeout: 10_000 }).toEqual(byPlatform)

      await chooseFacet(page, 'Platform', 'windows')
      const windows = visible.filter((i) => i.platform === 'windows')
      await countText(page)
        .filter({ hasText: `${windows.length} of ${stored.length} items` })
        .waitFor()
      // the category counts now count Windows objects only; the platform counts still show every platform
      const windowsByCategory: Record<string, number> = {}
      for (const i of windows) windowsByCategory[i.category] = (windowsByCategory[i.category] ?? 0) + 1
      await expect.poll(() => facetCounts(page, 'Category'), { timeout: 10_000 }).toEqual(windowsByCategory)
      await expect.poll(() => facetCounts(page, 'Platform'), { timeout: 10_000 }).toEqual(byPlatform)

      // global search narrows the rows and every facet's counts again
      await page.getByLabel('Filter inventory').fill('pilot')
      const pilots = windows.filter((i) => i.displayName.toLowerCase().includes('pilot'))
      expect(pilots.length).toBeGreaterThan(0)
      await countText(page)
        .filter({ hasText: `${pilots.length} of ${stored.length} items` })
        .waitFor()
      const names = await page
        .getByTestId('inventory-open')
        .evaluateAll((els) => els.map((e) => (e.textContent ?? '').toLowerCase()))
      expect(names.length).toBe(pilots.length)
      expect(names.every((n) => n.includes('pilot'))).toBe(true)
      const expected = api.inventoryFacets({ tenantId, filter: { platforms: ['windows'], search: 'pilot' } })
      await expect
        .poll(() => facetCounts(page, 'Type'), { timeout: 10_000 })
        .toEqual(asRecord(expected.policyType))
      expect(Object.values(asRecord(expected.policyType)).reduce((a, b) => a + b, 0)).toBe(pilots.length)

      for (const scheme of ['light'] as Scheme[]) {
        await shot(page, 'inventory-workspace-filtered', scheme)
        await expectAccessible(page, `inventory workspace (${scheme})`)
      }
    } finally {
      await close()
    }
  }, 120_000)

  it('keeps the column choice across a reload', async () => {
    const { page, close } = await openApp(browser, host)
    try {
      await openInventory(page)
      expect(await headers(page)).toEqual(['Type', 'Name', 'Platform', 'Category', 'Last seen'])
      await page.getByTestId('columns-menu').click()
      await page.getByRole('menuitemcheckbox', { name: 'Platform' }).click()
      await page.getByRole('menuitemcheckbox', { name: 'Object id' }).click()
      await page.keyboard.press('Escape')
      await expect.poll(() => headers(page)).toEqual(['Type', 'Name', 'Category', 'Last seen', 'Object id'])
      // the engine has it before the reload
      await expect
        .poll(() => host.web.api.getInventoryColumns())
        .toEqual(['policyType', 'displayName', 'category', 'lastSeenAt', 'externalId'])

      await page.reload()
      await page.getByRole('banner').getByText('Tenant Atlas').waitFor()
      await openInventory(page)
      await expect.poll(() => headers(page)).toEqual(['Type', 'Name', 'Category', 'Last seen', 'Object id'])
    } finally {
      host.web.api.setInventoryColumns({
        columns: ['policyType', 'displayName', 'platform', 'category', 'lastSeenAt']
      })
      await close()
    }
  }, 120_000)

  it('applies a saved view after a reload', async () => {
    const stored = storedItems()
    const visible = stored.filter((i) => !i.builtIn)
    const apps = visible.filter((i) => i.category === 'apps')
    expect(apps.length).toBeGreaterThan(1)
    const { page, close } = await openApp(browser, host)
    try {
      await openInventory(page)
      await chooseFacet(page, 'Category', 'apps')
      await sortButton(page, 'Name').click()
      await sortButton(page, 'Name').click()
      await page.getByTestId('views-menu').click()
      await page.getByRole('menuitem', { name: 'Save view as…' }).click()
      await page.getByTestId('view-name').fill('Apps by name, Z first')
      await page.getByRole('button', { name: 'Save', exact: true }).click()
      await page.getByTestId('views-menu').filter({ hasText: 'View: Apps by name, Z first' }).waitFor()

      await page.reload()
      await page.getByRole('banner').getByText('Tenant Atlas').waitFor()
      await openInventory(page)
      await countText(page)
        .filter({ hasText: `${visible.length} of ${stored.length} items` })
        .waitFor()
      await page.getByTestId('views-menu').click()
      await page.getByRole('menuitem', { name: 'Apps by name, Z first' }).click()
      await countText(page)
        .filter({ hasText: `${apps.length} of ${stored.length} items` })
        .waitFor()
      expect(await page.getByRole('columnheader', { name: /^Name/ }).getAttribute('aria-sort')).toBe(
        'descending'
      )
      await expect(page.getByTestId('facet-Category').textContent()).resolves.toBe('Category (1)')
      const first = await page.getByTestId('inventory-open').first().textContent()
      const highest = apps
        .map((i) => i.displayName)
        .sort()
        .at(-1)
      expect(first).toBe(highest)
    } finally {
      host.web.api.deleteView({ name: 'Apps by name, Z first' })
      await close()
    }
  }, 120_000)

  it('exports the filtered and sorted view: those rows, those columns, in that order', async () => {
    const { page, close } = await openApp(browser, host)
    try {
      await openInventory(page)
      await chooseFacet(page, 'Platform', 'windows')
      await page.getByTestId('columns-menu').click()
      await page.getByRole('menuitemcheckbox', { name: 'Object id' }).click()
      await page.keyboard.press('Escape')
      // sort by type, then (shift-click) by name descending
      await sortButton(page, 'Type').click()
      await sortButton(page, 'Name').click({ modifiers: ['Shift'] })
      await sortButton(page, 'Name').click({ modifiers: ['Shift'] })
      expect(await page.getByRole('columnheader', { name: /^Name/ }).getAttribute('aria-sort')).toBe(
        'descending'
      )

      await page.getByRole('button', { name: 'Export view as CSV' }).click()
      const toast = page.getByTestId('export-done').last()
      await toast.waitFor()
      const path = ((await toast.textContent()) ?? '').trim()
      expect(path.startsWith(host.exportDir)).toBe(true)
      const [header, ...rows] = parse(readFileSync(path, 'utf8'), { bom: true }) as string[][]
      expect(header).toEqual([
        'policy_type_label',
        'display_name',
        'platform',
        'category',
        'last_seen_at',
        'external_id'
      ])

      // the same view computed here from the stored items: Windows, no built-in, type asc, name desc,
      // ties in the listing order (a stable sort of the listing); names ignore case as SQLite's NOCASE does
      const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
      const folded = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
      const expected = storedItems()
        .filter((i) => i.platform === 'windows' && !i.builtIn)
        .sort((a, b) => cmp(a.policyType, b.policyType) || cmp(folded(b.displayName), folded(a.displayName)))
      expect(rows.map((r) => r[5])).toEqual(expected.map((i) => i.externalId))
      const label = (key: string) => host.web.api.listPolicyTypes().find((t) => t.key === key)?.label
      expect(rows[0]).toEqual([
        label(expected[0]!.policyType),
        expected[0]!.displayName,
        'windows',
        expected[0]!.category,
        expected[0]!.lastSeenAt,
        expected[0]!.externalId
      ])
      // the file's first rows are the grid's first rows
      const shown = await page
        .getByTestId('inventory-open')
        .evaluateAll((els) => els.map((e) => e.textContent))
      expect(rows.slice(0, 5).map((r) => r[1])).toEqual(shown.slice(0, 5))
    } finally {
      host.web.api.setInventoryColumns({
        columns: ['policyType', 'displayName', 'platform', 'category', 'lastSeenAt']
      })
      await close()
    }
  }, 120_000)

  it('keeps the focus in an open facet menu when its counts refresh, and Escape closes it', async () => {
    let facetReplies: Awaited<ReturnType<typeof holdReplies>> | undefined
    const { page, close } = await openApp(browser, host, {
      beforeGoto: async (p) => {
        facetReplies = await holdReplies(p, 'inventory:facets')
        facetReplies.release()
      }
    })
    const gate = facetReplies!
    try {
      await openInventory(page)
      const trigger = page.getByTestId('facet-Type')
      const options = page.locator('[data-testid="facet-option"]:visible')
      const before = await facetCounts(page, 'Type')

      // typing narrows the counts; their answer is held until the menu is open
      gate.hold()
      await page.getByLabel('Filter inventory').fill('pilot')
      await expect.poll(() => gate.held(), { timeout: 10_000 }).toBeGreaterThan(0)
      await trigger.click()
      await options.first().waitFor()
      expect(await options.count()).toBe(Object.keys(before).length)
      await page.keyboard.press('ArrowDown')
      const focusedValue = () =>
        page.evaluate(() => {
          const el = document.activeElement
          return el?.closest('[role="menu"]') ? (el.getAttribute('data-value') ?? '(menu)') : null
        })
      const second = await options.nth(1).getAttribute('data-value')
      expect(await focusedValue()).toBe(second)

      // the fresh counts arrive while the menu is open: fewer values, the focus stays in the menu
      gate.release()
      const after = asRecord(
        host.web.api.inventoryFacets({ tenantId, filter: { search: 'pilot' } }).policyType
      )
      expect(Object.keys(after).length).toBeLessThan(Object.keys(before).length)
      await expect.poll(() => options.count(), { timeout: 10_000 }).toBe(Object.keys(after).length)
      // on the same value when it is still listed, else on the first one
      const kept =
        second !== null && second in after ? second : await options.first().getAttribute('data-value')
      await expect.poll(focusedValue, { timeout: 10_000 }).toBe(kept)
      for (const scheme of ['light', 'dark'] as Scheme[]) {
        await page.emulateMedia({ colorScheme: scheme })
        await shot(page, 'inventory-facet-menu', scheme)
        await expectAccessible(page, `facet menu after a counts refresh (${scheme})`)
        expect(await focusedValue()).toBe(kept)
      }

      // Escape closes the menu and gives the focus back to its trigger
      const triggerFocused = () => trigger.evaluate((el) => el === document.activeElement)
      await page.keyboard.press('Escape')
      await options.first().waitFor({ state: 'detached', timeout: 10_000 })
      await expect.poll(triggerFocused, { timeout: 10_000 }).toBe(true)

      // even when the focus has left the open menu for the page, Escape closes it
      await page.keyboard.press('Enter')
      await options.first().waitFor()
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
      expect(await focusedValue()).toBeNull()
      await page.keyboard.press('Escape')
      await options.first().waitFor({ state: 'detached', timeout: 10_000 })
      await expect.poll(triggerFocused, { timeout: 10_000 }).toBe(true)
    } finally {
      await close()
    }
  }, 120_000)

  it('moves the active row with the keyboard, scrolling the virtual grid, and opens it with Enter', async () => {
    const { page, close } = await openApp(browser, host)
    try {
      await openInventory(page)
      const shownCount = storedItems().filter((i) => !i.builtIn).length
      // F6 to the page, then Tab: the grid is one Tab stop (its name links are not)
      for (let i = 0; i < 3 && (await focusRegion(page)) !== 'main'; i++) await page.keyboard.press('F6')
      expect(await focusRegion(page)).toBe('main')
      await tabTo(page, 'Inventory')
      const grid = page.getByRole('grid', { name: 'Inventory' })
      expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true)
      const row = (index: number) => page.locator(`[data-testid="inventory-row"][data-index="${index}"]`)
      const activeIndex = () =>
        page.evaluate(() => {
          const grid = document.activeElement
          const id = grid?.getAttribute('aria-activedescendant')
          const row = id ? document.getElementById(id) : null
          return row?.getAttribute('data-active') === 'true' ? Number(row.getAttribute('data-index')) : -1
        })
      await expect.poll(activeIndex, { timeout: 10_000 }).toBe(0)
      await page.keyboard.press('ArrowDown')
      await expect.poll(activeIndex, { timeout: 10_000 }).toBe(1)

      // End: the last row is far below the rendered window; it is rendered, scrolled into view, active
      await page.keyboard.press('End')
      await expect.poll(activeIndex, { timeout: 10_000 }).toBe(shownCount - 1)
      const box = (await grid.boundingBox())!
      const last = (await row(shownCount - 1).boundingBox())!
      expect(last.y + last.height).toBeLessThanOrEqual(box.y + box.height + 1)
      expect(last.y).toBeGreaterThan(box.y)

      // Home goes back to the top; Page Down moves a screenful, below the sticky header
      await page.keyboard.press('Home')
      await expect.poll(activeIndex, { timeout: 10_000 }).toBe(0)
      await page.keyboard.press('PageDown')
      await expect.poll(activeIndex, { timeout: 10_000 }).toBeGreaterThan(5)
      await page.keyboard.press('PageUp')
      await expect.poll(activeIndex, { timeout: 10_000 }).toBe(0)
      const header = (await page.getByRole('columnheader').first().boundingBox())!
      const first = (await row(0).boundingBox())!
      expect(first.y).toBeGreaterThanOrEqual(header.y + header.height - 1)
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      await expect.poll(activeIndex, { timeout: 10_000 }).toBe(2)
      const name = await row(2).getByTestId('inventory-open').textContent()
      await shot(page, 'inventory-keyboard', 'light')
      await expectAccessible(page, 'inventory grid with an active row')
      await page.emulateMedia({ colorScheme: 'dark' })
      await shot(page, 'inventory-keyboard', 'dark')
      await expectAccessible(page, 'inventory grid with an active row (dark)')
      await page.emulateMedia({ colorScheme: 'light' })

      // Enter opens the active row's details; closing them gives the focus back to the grid
      await page.keyboard.press('Enter')
      await page.getByTestId('item-drawer').waitFor()
      await expect(page.getByTestId('item-drawer-title').textContent()).resolves.toBe(name)
      await page.keyboard.press('Escape')
      await page.getByTestId('item-drawer').waitFor({ state: 'detached' })
      await expect
        .poll(() => grid.evaluate((el) => el === document.activeElement), { timeout: 10_000 })
        .toBe(true)
      await expect.poll(activeIndex, { timeout: 10_000 }).toBe(2)
    } finally {
      await close()
    }
  }, 120_000)

  for (const scheme of ['light', 'dark'] as Scheme[]) {
    it(`shows a hostile-named object as text in the details drawer (${scheme})`, async () => {
      const { page, close } = await openApp(browser, host, { scheme })
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
      try {
        await openInventory(page)
        await page.getByLabel('Filter inventory').fill('hyperlink')
        await countText(page)
          .filter({ hasText: /^1 of / })
          .waitFor()
        await page.getByTestId('inventory-open').first().click()
        const drawer = page.getByTestId('item-drawer')
        await drawer.waitFor()
        await expect(page.getByTestId('item-drawer-title').textContent()).resolves.toBe(HOSTILE_NAME)
        await expect(page.getByTestId('item-external-id').textContent()).resolves.toBe(HOSTILE_ID)
        const meta = (await page.getByTestId('item-meta').textContent()) ?? ''
        expect(JSON.parse(meta)).toMatchObject({ description: '<script>window.__pwned=2</script>' })
        // nothing of the markup became elements, nothing ran
        await expect(page.locator('img[src="x"]').count()).resolves.toBe(0)
        await expect(
          page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)
        ).resolves.toBeUndefined()
        const run = host.web.api.listRuns({ tenantId })[0]!
        await expect(page.getByTestId('item-last-seen').textContent()).resolves.toContain(`run #${run.id}`)
        await expect(page.getByTestId('item-first-seen').textContent()).resolves.toContain(`run #${run.id}`)

        await page.getByRole('button', { name: 'Copy object id' }).click()
        await page.getByRole('button', { name: 'Copied object id' }).waitFor()
        await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(HOSTILE_ID)

        await shot(page, 'inventory-drawer', scheme)
        await expectAccessible(page, `inventory drawer (${scheme})`)
        await page.getByRole('button', { name: 'Close' }).click()
        await drawer.waitFor({ state: 'detached' })
        await shot(page, 'inventory-workspace', scheme)
        await expectAccessible(page, `inventory workspace (${scheme})`)
      } finally {
        await close()
      }
    }, 120_000)
  }

  it('draws the native parts of controls (the date picker icon) in the theme', async () => {
    // brightest pixel of the picker icon, at the input's right end, over its darkest (the background)
    const iconContrast = async (page: Page, scheme: Scheme): Promise<number> => {
      const input = page.getByLabel('Last seen from')
      const png = (
        await input.screenshot({ path: join(SHOTS, `inventory-date-input-${scheme}.png`) })
      ).toString('base64')
      return page
        .evaluate(async (data) => {
          const img = new Image()
          img.src = `data:image/png;base64,${data}`
          await img.decode()
          const canvas = document.createElement('canvas')
          canvas.width = img.width
          canvas.height = img.height
          const g = canvas.getContext('2d')!
          g.drawImage(img, 0, 0)
          // inside the border: the icon's rows and columns only
          const x0 = Math.max(0, img.width - 26)
          const y0 = Math.floor(img.height / 4)
          const px = g.getImageData(x0, y0, img.width - 4 - x0, img.height / 2).data
          const lum: number[] = []
          for (let i = 0; i < px.length; i += 4)
            lum.push(0.2126 * px[i]! + 0.7152 * px[i + 1]! + 0.0722 * px[i + 2]!)
          return { min: Math.min(...lum), max: Math.max(...lum) }
        }, png)
        .then(({ min, max }) => max - min)
    }
    for (const scheme of ['light', 'dark'] as Scheme[]) {
      const { page, close } = await openApp(browser, host, { scheme })
      try {
        await openInventory(page)
        // an icon drawn for the other theme is near-black on the dark field: no light pixel at all
        expect(await iconContrast(page, scheme)).toBeGreaterThan(80)
        if (scheme === 'dark') {
          const field = await page
            .getByLabel('Last seen from')
            .evaluate((el) => getComputedStyle(el).colorScheme)
          expect(field).toContain('dark')
        }
      } finally {
        await close()
      }
    }
  }, 120_000)
})
