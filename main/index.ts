import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron'
import type { SaveDialogOptions, WebContents } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DemoOutcome } from '../preload/contract'
import { createAtlas } from './app/create-atlas'
import { createDemoEnvironment, startDemo } from './demo/demo-tenant'
import { createLogger } from './util/create-logger'
import type { AtlasApi } from './app/atlas-api'
import { dataDirFor, preloadPathFor, rendererLocation, syncWorkerPathFor } from './electron/paths'
import { openElectronSecretStore } from './electron/safe-storage-secret-store'
import { hardenSession, hardenWebContents } from './electron/security'
import { createHandlers, forwardSyncEvents } from './ipc/handlers'
import { createSenderCheck, registerIpc } from './ipc/register'
import { createMainWindow } from './window'

/**
 * App lifecycle only: one instance, the engine built from its Electron edges, IPC, one window. Everything
 * with logic lives in modules that tests import without Electron.
 */

const mainDir = dirname(fileURLToPath(import.meta.url))
const location = rendererLocation({ mainDir, isPackaged: app.isPackaged, env: process.env })
// JSON lines in userData/logs, secrets censored by key and scrubbed from every string (create-logger.ts)
// (userData is known before 'ready')
const dataDir = dataDirFor({
  userData: app.getPath('userData'),
  isPackaged: app.isPackaged,
  env: process.env
})
const logger = createLogger({
  level: process.env.TENANT_ATLAS_LOG_LEVEL ?? 'info',
  destination: join(dataDir, 'logs', 'tenant-atlas.log')
})

if (!app.requestSingleInstanceLock()) {
  // a second launch: the first instance focuses its window (below) and this one leaves
  app.quit()
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0]
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, {
      appUrl: location.url,
      openExternal: (url) => shell.openExternal(url),
      logger
    })
  )
  app.on('window-all-closed', () => app.quit())
  void app.whenReady().then(start, (err: unknown) => {
    logger.error({ err: String(err) }, 'startup failed')
    app.exit(1)
  })
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession)
  const vault = await openElectronSecretStore(dataDir)
  if (vault.warning) logger.warn({ store: vault.kind }, vault.warning)
  // The demo environment routes only the Demo tenant's origins to the in-process simulator; every real
  // tenant goes to the network untouched (main/demo/demo-tenant.ts).
  const demo = createDemoEnvironment({ vault })
  const api = createAtlas({
    dataDir,
    secretStore: demo.secretStore,
    msalNetwork: demo.msalNetwork,
    logger,
    appVersion: app.getVersion(),
    // pages are parsed and stored off the thread that answers the window (electron.vite.config.ts builds it)
    // the worker fetches Graph itself; the Demo tenant's origin is routed to the simulator's loopback
    // server, started with the worker
    syncThread: {
      kind: 'worker',
      entry: syncWorkerPathFor(mainDir),
      routes: () => demo.graphRoutes()
    }
  })
  // load the worker now, so the first sync click does not wait for it
  api
    .syncEngineReady()
    .catch((err: unknown) => logger.error({ err: String(err) }, 'sync worker did not start'))
  demo.attach(api)
  const exploreDemo = async (): Promise<DemoOutcome> => {
    const handle = await startDemo(api)
    return { tenantId: handle.tenant.id, requestId: handle.requestId }
  }

  const ourContents = (): WebContents[] => BrowserWindow.getAllWindows().map((w) => w.webContents)
  registerIpc({
    ipcMain,
    logger,
    isTrustedSender: createSenderCheck({
      appUrl: location.url,
      isOurWebContents: (sender) => ourContents().some((c) => c === sender)
    }),
    handlers: createHandlers({ api, exploreDemo, chooseSavePath, choosePackFolder })
  })
  forwardSyncEvents(api, ourContents)

  createMainWindow({ preloadPath: preloadPathFor(mainDir), location })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0)
      createMainWindow({ preloadPath: preloadPathFor(mainDir), location })
  })
  // Hold the quit until the engine has cancelled its syncs and closed the database (WAL checkpoint).
  let closing = false
  app.on('before-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    void closeQuietly(api)
      .then(() => demo.close())
      .finally(() => app.quit())
  })
}

async function chooseSavePath(suggestedName: string): Promise<string | undefined> {
  const owner = BrowserWindow.getFocusedWindow()
  const options: SaveDialogOptions = {
    title: 'Export CSV',
    defaultPath: suggestedName,
    filters: [{ name: 'CSV', extensions: ['csv'] }]
  }
  const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options)
  return result.canceled ? undefined : result.filePath
}

/** The audit pack is a folder the engine creates: a save dialog for its name, without a file type. */
async function choosePackFolder(suggestedName: string): Promise<string | undefined> {
  const owner = BrowserWindow.getFocusedWindow()
  const options: SaveDialogOptions = {
    title: 'Save audit pack (a new folder)',
    defaultPath: suggestedName,
    buttonLabel: 'Create pack',
    properties: ['createDirectory']
  }
  const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options)
  return result.canceled ? undefined : result.filePath
}

async function closeQuietly(api: AtlasApi): Promise<void> {
  try {
    await api.close()
  } catch (err) {
    logger.warn({ err: String(err) }, 'engine close failed')
  }
}
