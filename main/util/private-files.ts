import { chmodSync, mkdirSync, statSync } from 'node:fs'

/**
 * Client data stays private on a shared machine. MSP consultants often work on shared jump hosts, where the
 * usual umask 022 would leave the data folder 0755 and every file 0644: readable by every local account.
 * So everything we create (data folder, database, logs, exports) gets an explicit owner-only mode,
 * whatever the umask, and a folder that is already too open is tightened at start.
 * (Windows ignores POSIX modes: there the data lives under the user's profile, which other users cannot read.)
 */
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/**
 * Creates `dir` (and missing parents) owner-only, or tightens an existing one that group or others can
 * reach. Returns the mode it had when it was tightened, so the caller can say so in one line; null otherwise.
 */
export function ensurePrivateDir(dir: string): number | null {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  const mode = statSync(dir).mode & 0o777
  if (process.platform === 'win32' || (mode & 0o077) === 0) return null
  chmodSync(dir, mode & PRIVATE_DIR_MODE)
  return mode
}

/** The data folder is owner-only; one that group or others could read is tightened, and the user told. */
export function tightenDataDir(dir: string, notice: (message: string) => void): void {
  const was = ensurePrivateDir(dir)
  if (was !== null) {
    notice(
      `Data folder ${dir} was readable by other users (${formatMode(was)}); restricted it to you (0700).`
    )
  }
}

/** Sets an existing file owner-only (read/write), whatever the umask gave it. */
export function makePrivate(file: string): void {
  if (process.platform !== 'win32') chmodSync(file, PRIVATE_FILE_MODE)
}

/** `0o755` → "0755", for the notice. */
export function formatMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`
}
