import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../db/database-files'
import { generateTenant } from '../../main/demo/simulator/tenant-generator'
import { launchChromium, startWebHost, type WebHostHandle } from './support/web-host'
import { goTo, openApp } from './ui-page'

/**
 * Names come from client tenants and from whoever typed them: the window shows them as text, never as
 * markup, and nothing invisible in them may change what the consultant reads. The tenant's name carries
 * markup and a right-to-left override: the engine refuses such a name when it is typed now, but a database
 * written by an older version may hold one, so the test writes it into the store directly. A deleted
 * policy's name from Graph carries a line break, a tab, an ANSI escape and markup.
 */
const MARKUP = '<img src=x onerror="window.__xss=1">'
const TENANT_NAME = `${MARKUP}\u202Egnp.exe`
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies'
const POLICY_NAME = `Line one\nLine two\tcol \u001b[31mred ${MARKUP}`

let browser: Browser
let host: WebHostHandle

beforeAll(async () => {
  browser = await launchChromium()
  const data = generateTenant({ seed: 5, size: 40 })
  const policies = data[COMPLIANCE]!
  policies[0] = { ...policies[0]!, displayName: POLICY_NAME }
  host = await startWebHost({ fakes: { data } })
  const api = host.web.api
  const tenantId = host.fakes!.tenant!.id
  await expect(api.updateTenant({ idOrName: tenantId, displayName: TENANT_NAME })).rejects.toThrow(
    'text-direction characters'
  )
  const db = new Database(join(host.dataDir, DATABASE_FILE))
  db.prepare('UPDATE tenants SET display_name = ? WHERE id = ?').run(TENANT_NAME, tenantId)
  db.close()
  const all = { categories: api.listCategories().map((c) => c.key) }
  await api.waitForSync(api.startSync({ tenantId, selection: all }).requestId)
  // the hostile policy is deleted: the next complete run makes it missing
  host.fakes!.graph.setData({ ...data, [COMPLIANCE]: policies.slice(1) })
  await api.waitForSync(api.startSync({ tenantId, selection: all }).requestId)
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await host?.close()
})

/** No markup from a name became an element, and nothing ran. */
async function expectInert(page: Page): Promise<void> {
  await expect(page.locator('img[src="x"]').count()).resolves.toBe(0)
  await expect(page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).resolves.toBeUndefined()
}

describe('hostile names', () => {
  it('shows a hostile tenant name and object name as text in the tenant list, runs and missing views', async () => {
    const { page, consoleErrors, close } = await openApp(browser, host)
    try {
      // the override shows as U+FFFD: "exe.png" can't be faked out of "gnp.exe"
      const shown = `${MARKUP}\uFFFDgnp.exe`
      const row = page.getByTestId('tenant-row').first()
      await row.waitFor()
      await expect(row.textContent()).resolves.toContain(shown)
      await expect(row.textContent()).resolves.not.toContain('\u202E')
      await expectInert(page)

      await goTo(page, 'Runs')
      await expect(page.getByRole('heading', { level: 2 }).textContent()).resolves.toBe(`Runs · ${shown}`)
      await expectInert(page)

      await goTo(page, 'Missing')
      await expect(page.getByRole('heading', { level: 2 }).textContent()).resolves.toBe(`Missing · ${shown}`)
      const missing = page.locator('[data-testid="missing-row"][data-reason="absent"]')
      await missing.first().waitFor()
      await expect(missing.first().textContent()).resolves.toContain(
        `Line one⏎Line two⇥col \uFFFD[31mred ${MARKUP}`
      )
      await expectInert(page)
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  }, 90_000)
})
