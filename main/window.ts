import { BrowserWindow } from 'electron'
import type { WebPreferences } from 'electron'
import type { RendererLocation } from './electron/paths'

/**
 * Every window of the app uses these preferences, all spelled out even where Electron 45's default is the
 * same: the electron-vite template sets sandbox: false, and an explicit value is what a review (and
 * Electronegativity) can check.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    preload: preloadPath
  }
}

export function createMainWindow(opts: { preloadPath: string; location: RendererLocation }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 500,
    title: 'Tenant Atlas',
    show: false,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(opts.preloadPath)
  })
  // shown once painted, so the user never sees a white flash
  win.once('ready-to-show', () => win.show())
  if (opts.location.kind === 'url') void win.loadURL(opts.location.url)
  else void win.loadFile(opts.location.path)
  return win
}
