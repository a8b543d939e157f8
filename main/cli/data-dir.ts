import { homedir } from 'node:os'
import { join, resolve, win32 } from 'node:path'

/** Electron derives userData from the app name; the desktop app must be named exactly this. */
export const APP_NAME = 'Tenant Atlas'
export const DATA_DIR_ENV = 'TENANT_ATLAS_DATA_DIR'

type Env = Readonly<Record<string, string | undefined>>

/**
 * The desktop app's userData folder, computed the way Electron's app.getPath('userData') does (appData +
 * app name), so the CLI and the app share one database without Electron being loaded:
 * - Linux: $XDG_CONFIG_HOME or ~/.config
 * - macOS: ~/Library/Application Support
 * - Windows: %APPDATA% (falling back to ~\AppData\Roaming like Electron)
 */
export function defaultDataDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir()
): string {
  if (platform === 'win32') {
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), APP_NAME)
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME)
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored
  const xdg = env.XDG_CONFIG_HOME
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.config'), APP_NAME)
}

/** --data-dir wins over TENANT_ATLAS_DATA_DIR, which wins over the app's default. */
export function resolveDataDir(flag: string | undefined, env: Env = process.env): string {
  const chosen = flag || env[DATA_DIR_ENV]
  return chosen ? resolve(chosen) : defaultDataDir(env)
}
