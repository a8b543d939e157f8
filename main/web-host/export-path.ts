import { existsSync } from 'node:fs'
import { basename, extname, join } from 'node:path'

/**
 * Where an export lands when there is no save dialog (the web host): the name the dialog would propose, in
 * the fixed export folder, with " (2)", " (3)"… before the extension when that file exists, so an export
 * never overwrites an earlier one.
 */
export function nextFreePath(
  dir: string,
  suggestedName: string,
  exists: (path: string) => boolean = existsSync
): string {
  const name = basename(suggestedName)
  const ext = extname(name)
  const stem = name.slice(0, name.length - ext.length)
  let candidate = join(dir, name)
  for (let n = 2; exists(candidate); n++) candidate = join(dir, `${stem} (${n})${ext}`)
  return candidate
}
