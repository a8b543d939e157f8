import type { Browser } from 'playwright-core'
import { hintFor } from '../../domain/error-hints'
import { labelFor } from '../../domain/error-labels'
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
import { WEB_VAULT_WARNING } from '../../main/web-host/web-atlas'
import { expectAccessible, openApp, shot } from './ui-page'

/**
 * The tenants workflows in Chromium against `npm run web`'s host (real engine, SQLite, sync worker) with
 * a custom-cloud tenant served by the in-process Graph and identity fakes.
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

describe('tenants screen', () => {
  it('adds a tenant: bad input is explained per field and never reaches the engine, good input saves and tests', async () => {
    host = await startWebHost({ fakes: { add: false, size: 40 } })
    const { page, consoleErrors, close } = await openApp(browser, host)
    try {
      // first start teaches the two ways in
      await page.getByRole('heading', { name: /Audit your clients/ }).waitFor()
      await expect(page.getByRole('button', { name: 'Explore demo tenant' }).isVisible()).resolves.toBe(true)
      await shot(page, 'first-start', 'light')
      await expectAccessible(page, 'first start')
      // the navigation's icons are drawn at the size Fluent's nav is made for, not at the text's 1em
      const iconSizes = await page
        .getByRole('navigation')
        .locator('svg')
        .evaluateAll((svgs) => svgs.map((s) => Math.round(s.getBoundingClientRect().width)))
      expect(iconSizes).toEqual([20, 20, 20, 20, 20])
      // the keyring banner names the state, then gives the engine's reason once (it once said "kept" twice)
      const title = 'Session-only credentials'
      const vault = (await page.getByTestId('vault-warning').innerText()).replace(/\s+/g, ' ').trim()
      expect(vault.startsWith(title)).toBe(true)
      expect(vault.slice(title.length).trim()).toBe(WEB_VAULT_WARNING)
      await page.getByRole('button', { name: 'Add tenant' }).click()

      const drawer = page.getByRole('dialog', { name: 'Add tenant' })
      await drawer.getByLabel('Display name').fill('Fabrikam')
      await drawer.getByLabel('Tenant ID or domain').fill('not a domain')
      await drawer.getByLabel('Application (client) ID').focus() // blur checks the field
      await drawer.getByText(/Not a GUID or a domain/).waitFor()
      // the error says what is wrong and the hint under it what to enter: the example is given once
      await expect(drawer.getByText(/contoso\.onmicrosoft\.com/).count()).resolves.toBe(1)
      await drawer.getByRole('button', { name: 'Save and test' }).click()
      // every wrong field says what to do, and nothing was sent
      await drawer.getByText('Enter the application (client) ID.').waitFor()
      await drawer.getByText('Enter the client secret value (not its ID).').waitFor()
      await shot(page, 'add-tenant-errors', 'light')
      expect(host.web.api.listTenants()).toEqual([])

      await drawer.getByLabel('Tenant ID or domain').fill(FAKE_AZURE_TENANT_ID)
      await drawer.getByLabel('Application (client) ID').fill(FAKE_CLIENT_ID)
      await drawer.getByRole('radio', { name: 'Custom' }).check()
      await drawer.getByLabel('Authority host').fill('login.example')
      await drawer.getByLabel('Graph endpoint').fill(`${FAKE_GRAPH_ORIGIN}/v1.0`)
      await drawer.getByRole('textbox', { name: 'Client secret' }).focus()
      await drawer.getByText(/Not a valid URL/).waitFor()
      await drawer.getByText(/Enter a bare origin/).waitFor()
      await shot(page, 'add-tenant-endpoint-errors', 'light')
      await drawer.getByLabel('Authority host').fill(FAKE_LOGIN_ORIGIN)
      await drawer.getByLabel('Graph endpoint').fill(FAKE_GRAPH_ORIGIN)
      await drawer.getByRole('textbox', { name: 'Client secret' }).fill(FAKE_SECRET)
      await expect(drawer.getByText(/Not a valid URL|bare origin|Not a GUID/).count()).resolves.toBe(0)
      await drawer.getByRole('button', { name: 'Save and test' }).click()

      // saved, then tested in the same drawer
      const result = page.getByTestId('connection-result')
      await result.waitFor({ timeout: 30_000 })
      await expect(result.getByText(/of 39 types readable/).isVisible()).resolves.toBe(true)
      await shot(page, 'connection-result', 'light')
      const [tenant] = host.web.api.listTenants()
      expect(tenant).toMatchObject({ displayName: 'Fabrikam', cloud: 'custom', clientId: FAKE_CLIENT_ID })
      // the secret stays out of what the page can read back
      expect(JSON.stringify(tenant)).not.toContain(FAKE_SECRET)

      await page.getByRole('button', { name: 'Close' }).first().click()
      const row = page.getByTestId('tenant-row').filter({ hasText: 'Fabrikam' })
      await row.waitFor()
      await expect(row.getByText('Never synced').isVisible()).resolves.toBe(true)
      expect(consoleErrors).toEqual([])
    } finally {
      await close()
    }
  }, 120_000)

  it('explores the demo tenant from the first start: it is added, marked Demo and synced', async () => {
    host = await startWebHost()
    const { page, close } = await openApp(browser, host)
    try {
      await page.getByRole('button', { name: 'Explore demo tenant' }).click()
      const row = page.getByTestId('tenant-row').first()
      await row.getByTestId('demo-badge').waitFor()
      // its first sync runs on the real engine and the row follows it to the end
      await row
        .locator('[data-status="success"], [data-status="partial"]')
        .first()
        .waitFor({ timeout: 90_000 })
      const [tenant] = host.web.api.listTenants()
      expect(tenant?.isDemo).toBe(true)
      expect(host.web.api.listRuns({ tenantId: tenant!.id })).toHaveLength(1)
    } finally {
      await close()
    }
  }, 150_000)

  it('tests a connection: a missing permission names its scopes and the consent link, other failures their hint', async () => {
    host = await startWebHost({
      fakes: {
        size: 40,
        faults: [
          {
            path: '/deviceManagement/deviceManagementScripts',
            times: Infinity,
            fault: { kind: 'forbidden', scopes: ['DeviceManagementScripts.Read.All'] }
          },
          // a type Intune refuses for the tenant, and one whose answer is unusable
          {
            path: '/deviceManagement/windowsAutopilotDeploymentProfiles',
            times: Infinity,
            fault: { kind: 'notApplicable' }
          },
          {
            path: '/deviceManagement/deviceCompliancePolicies',
            times: Infinity,
            fault: { kind: 'malformedJson' }
          }
        ]
      }
    })
    const { page, close } = await openApp(browser, host)
    try {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin })
      await page.getByRole('button', { name: 'More actions for Fabrikam' }).click()
      await page.getByRole('menuitem', { name: 'Test connection' }).click()
      const result = page.getByTestId('connection-result')
      await result.waitFor({ timeout: 30_000 })
      const missing = result.locator('[data-access="missing_permission"]')
      await missing.first().waitFor()
      await expect(missing.first().textContent()).resolves.toContain('DeviceManagementScripts.Read.All')
      await expect(result.getByText(/1 type needs permissions/).isVisible()).resolves.toBe(true)
      await expect(
        result.getByText(/1 type without Intune\. 1 type could not be read/).isVisible()
      ).resolves.toBe(true)
      const link = result.getByLabel(/Admin-consent link/)
      expect(await link.inputValue()).toMatch(/^https:\/\/login\.e2e\.tenant-atlas\.invalid\/.+adminconsent/)
      await result.getByRole('button', { name: 'Copy admin-consent link' }).click()
      await result.getByRole('button', { name: 'Copied' }).waitFor()
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await link.inputValue())

      // the other failures read as the rest of the window reads errors: the code's words, message, hint
      const noIntune = result.locator('[data-testid="probe"][data-type="windowsAutopilotDeploymentProfile"]')
      await expect(noIntune.getAttribute('data-access')).resolves.toBe('no_intune')
      await expect(noIntune.locator('[data-status]').textContent()).resolves.toBe('Not collected · no Intune')
      const noIntuneText = (await noIntune.getByTestId('probe-error').textContent()) ?? ''
      expect(noIntuneText).toContain('TENANT_NO_INTUNE')
      expect(noIntuneText).toContain(hintFor('TENANT_NO_INTUNE')!)
      const broken = result.locator('[data-testid="probe"][data-type="compliancePolicy"]')
      await expect(broken.getAttribute('data-access')).resolves.toBe('error')
      await expect(broken.locator('[data-status]').textContent()).resolves.toBe(
        `Not collected · ${labelFor('GRAPH_BAD_RESPONSE')}`
      )
      const brokenText = (await broken.getByTestId('probe-error').textContent()) ?? ''
      expect(brokenText).toContain('GRAPH_BAD_RESPONSE')
      expect(brokenText).toContain(hintFor('GRAPH_BAD_RESPONSE')!)
      await shot(page, 'connection-missing-permission', 'light')
      await expectAccessible(page, 'test connection')
      // the OS turns dark: the window follows, and the result stays readable
      await page.emulateMedia({ colorScheme: 'dark' })
      await shot(page, 'connection-missing-permission', 'dark')
      await expectAccessible(page, 'test connection (dark)')
    } finally {
      await close()
    }
  }, 120_000)

  it('edits a tenant: a wrong secret shows the sign-in error with code and hint, never a stack', async () => {
    host = await startWebHost({ fakes: { size: 40 } })
    const { page, close } = await openApp(browser, host)
    try {
      await page.getByRole('button', { name: 'More actions for Fabrikam' }).click()
      await page.getByRole('menuitem', { name: 'Edit' }).click()
      const drawer = page.getByRole('dialog', { name: 'Edit Fabrikam' })
      await drawer.getByLabel('Display name').fill('Fabrikam Ltd')
      await drawer.getByRole('textbox', { name: 'Client secret' }).fill('not-the-secret')
      await drawer.getByRole('button', { name: 'Save and test' }).click()
      const error = page.getByTestId('error-bar')
      await error.waitFor({ timeout: 30_000 })
      expect(await error.getAttribute('data-code')).toBe('AUTH_INVALID_SECRET')
      const text = (await error.textContent()) ?? ''
      expect(text).toContain('AADSTS')
      expect(text).toMatch(/secret/i)
      // the hint is the engine's own for the code, in the app's words (listErrorCodes)
      expect(text).toContain("paste the secret's VALUE")
      expect(text).not.toMatch(/\n\s+at |\.ts:\d+/) // no stack, no source paths
      expect(text).not.toContain('not-the-secret')
      await shot(page, 'connection-auth-error', 'light')
      expect(host.web.api.listTenants()[0]?.displayName).toBe('Fabrikam Ltd')

      // Edit again from the result, with the right secret: readable
      await page.getByRole('button', { name: 'Edit', exact: true }).click()
      await page
        .getByRole('textbox', { name: 'Client secret' })
        .fill(host.fakes!.tenantInput.credential.value)
      await page.getByRole('button', { name: 'Save and test' }).click()
      await page.getByTestId('connection-result').waitFor({ timeout: 30_000 })
      await page.getByTestId('tenant-row').filter({ hasText: 'Fabrikam Ltd' }).waitFor()
    } finally {
      await close()
    }
  }, 120_000)

  it('removes a tenant after a confirmation that says what is deleted', async () => {
    host = await startWebHost({ fakes: { size: 40 } })
    const api = host.web.api
    const tenant = host.fakes!.tenant!
    await api.waitForSync(
      api.startSync({ tenantId: tenant.id, selection: { categories: ['apps'] } }).requestId
    )
    const items = api.listInventory({ tenantId: tenant.id, limit: 1 }).total
    const { page, close } = await openApp(browser, host)
    try {
      await page.getByRole('button', { name: 'More actions for Fabrikam' }).click()
      await page.getByRole('menuitem', { name: 'Remove…' }).click()
      const dialog = page.getByRole('alertdialog', { name: 'Remove Fabrikam?' })
      await dialog.getByTestId('remove-summary').filter({ hasText: '1 sync run' }).waitFor()
      await expect(dialog.getByTestId('remove-summary').textContent()).resolves.toContain(
        `the inventory of ${items} objects`
      )
      // cancelling keeps it
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      expect(api.listTenants()).toHaveLength(1)
      await page.getByRole('button', { name: 'More actions for Fabrikam' }).click()
      await page.getByRole('menuitem', { name: 'Remove…' }).click()
      await page.getByRole('button', { name: 'Remove tenant' }).click()
      await page.getByRole('heading', { name: /Audit your clients/ }).waitFor()
      expect(api.listTenants()).toEqual([])
    } finally {
      await close()
    }
  }, 120_000)
})
