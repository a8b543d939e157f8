import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Where the app keeps its data and where its page comes from. Pure functions over what Electron reports
 * (app.getPath, app.isPackaged, env), so the rules are testable without Electron.
 */

export interface AppPathsInput {
  /** app.getPath('userData') */
  userData: string
  isPackaged: boolean
  env: Record<string, string | undefined>
}

/**
 * The data dir is userData. Development and e2e runs may point it elsewhere (each test its own folder);
 * a packaged app ignores the variable, so nobody can redirect a user's install with an environment.
 */
export function dataDirFor(input: AppPathsInput): string {
  const override = input.env.TENANT_ATLAS_USER_DATA
  return !input.isPackaged && override ? override : input.userData
}

export type RendererLocation = { kind: 'url'; url: string } | { kind: 'file'; path: string; url: string }

/**
 * The built page (out/renderer/index.html next to out/main), or in development the Vite dev server that
 * electron-vite announces in ELECTRON_RENDERER_URL. Only a loopback http URL is accepted and only when
 * not packaged: the page gets the bridge, so it must never come from the network.
 */
export function rendererLocation(input: {
  mainDir: string
  isPackaged: boolean
  env: Record<string, string | undefined>
}): RendererLocation {
  const dev = input.env.ELECTRON_RENDERER_URL
  if (!input.isPackaged && dev && isLoopbackHttp(dev)) return { kind: 'url', url: dev }
  const path = join(input.mainDir, '..', 'renderer', 'index.html')
  return { kind: 'file', path, url: pathToFileURL(path).href }
}

export function preloadPathFor(mainDir: string): string {
  return join(mainDir, '..', 'preload', 'index.cjs')
}

function isLoopbackHttp(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
  } catch {
    return false
  }
}

/**
 * The sync worker's script. In a package it is run from app.asar.unpacked (build/electron-builder.yml
 * unpacks it with its chunks, the migrations and better-sqlite3), so the worker thread and the page
 * writer it starts read plain files and need no asar support; unpackaged it is the file next to main.
 */
export function syncWorkerPathFor(mainDir: string): string {
  return join(mainDir, 'sync-worker.js').replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked')
}
