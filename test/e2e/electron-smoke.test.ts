import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, type ElectronApplication } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * The packaged shape of the app, where an Electron binary exists: the built main process opens its window,
 * the sandboxed preload gives the page `window.atlas` (and nothing of ipcRenderer), and the demo sync runs
 * to its end through real IPC. This machine cannot download Electron, so here the suite is skipped and says
 * why; everything it would exercise below the window is proven by the web host suites in Chromium.
 */
const ROOT = join(import.meta.dirname, '..', '..')

function electronBinary(): { path: string } | { skip: string } {
  const fromEnv = process.env.ELECTRON_PATH
  if (fromEnv)
    return existsSync(fromEnv) ? { path: fromEnv } : { skip: `ELECTRON_PATH=${fromEnv} does not exist` }
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) {
    return {
      skip: 'no Electron binary installed (node_modules/electron/path.txt is missing: its download is blocked here)'
    }
  }
  const binary = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? { path: binary } : { skip: `the Electron binary ${binary} is missing` }
}

const electron = electronBinary()
const built = existsSync(join(ROOT, 'out', 'main', 'index.js'))
const skipReason = 'skip' in electron ? electron.skip : built ? null : 'the app is not built (npm run build)'
if (skipReason) console.warn(`Electron smoke test skipped: ${skipReason}`)

describe.skipIf(skipReason !== null)('desktop app in Electron (smoke)', () => {
  let app: ElectronApplication | undefined
  const userData = mkdtempSync(join(tmpdir(), 'atlas-electron-'))
  afterAll(async () => {
    await app?.close()
    rmSync(userData, { recursive: true, force: true })
  })

  it('opens its window with the preload bridge, and the demo sync completes', async () => {
    app = await _electron.launch({
      executablePath: 'path' in electron ? electron.path : '',
      args: [join(ROOT, 'out', 'main', 'index.js'), '--no-sandbox'],
      env: { ...process.env, TENANT_ATLAS_USER_DATA: userData }
    })
    const page = await app.firstWindow()
    await page.waitForFunction(() => typeof window.atlas === 'object')
    const surface = await page.evaluate(() => ({
      methods: Object.keys(window.atlas ?? {}).sort(),
      ipcRenderer: 'ipcRenderer' in window || 'require' in window
    }))
    const { BRIDGE_METHODS } = await import('../../preload/channel-names')
    expect(surface.methods).toEqual([...Object.values(BRIDGE_METHODS), 'on'].sort())
    expect(surface.ipcRenderer).toBe(false)

    const demo = await page.evaluate(() => window.atlas!.exploreDemo())
    expect(demo.ok).toBe(true)
    const tenantId = demo.ok ? demo.value.tenantId : ''
    await page.waitForFunction(
      async (id) => {
        const runs = await window.atlas!.listRuns({ tenantId: id })
        return runs.ok && runs.value.some((r) => r.status === 'success' || r.status === 'partial')
      },
      tenantId,
      { timeout: 60_000, polling: 500 }
    )
  }, 120_000)
})
