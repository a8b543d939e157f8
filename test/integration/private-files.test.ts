import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../main/util/create-logger'
import { DATABASE_FILE } from '../../main/app/create-atlas'
import { createHarness, syncAndWait, type Harness } from '../support/harness'

/**
 * Issue "client data stays private on a shared machine": with the usual umask 022 the data folder, the
 * database (and its WAL/SHM), the log and every export must still be owner-only. Runs in a forked test
 * process (vitest pool 'forks'), so changing the umask here touches no other suite.
 */
const modeOf = (path: string): number => statSync(path).mode & 0o777

let root: string
let previousUmask: number
let h: Harness | undefined

beforeEach(() => {
  previousUmask = process.umask(0o022)
  root = mkdtempSync(join(tmpdir(), 'atlas-modes-'))
  chmodSync(root, 0o755)
})
afterEach(async () => {
  await h?.close()
  h = undefined
  process.umask(previousUmask)
  rmSync(root, { recursive: true, force: true })
})

describe.skipIf(process.platform === 'win32')('file modes under umask 022', () => {
  it('creates the data folder 0700 and the database, WAL, SHM, log and exports 0600', async () => {
    const dataDir = join(root, 'data')
    const logFile = join(dataDir, 'logs', 'tenant-atlas.log')
    const logger = createLogger({ destination: logFile })
    const notices: string[] = []
    h = await createHarness({
      size: 100,
      atlas: { dataDir, logger, notice: (m) => notices.push(m) }
    })
    const run = await syncAndWait(h, { policy_types: ['compliancePolicy'] })
    expect(run.status).toBe('success')
    const exportsDir = join(root, 'exports')
    mkdirSync(exportsDir, { mode: 0o755 })
    const out = join(exportsDir, 'inventory.csv')
    await h.atlas.exportCsv({ view: 'inventory', tenant: h.tenant.id, path: out })
    logger.flush()

    const db = join(dataDir, DATABASE_FILE)
    expect(existsSync(`${db}-wal`)).toBe(true)
    expect(existsSync(`${db}-shm`)).toBe(true)
    expect(modeOf(dataDir)).toBe(0o700)
    expect(modeOf(join(dataDir, 'logs'))).toBe(0o700)
    for (const file of [db, `${db}-wal`, `${db}-shm`, logFile, out]) expect(modeOf(file), file).toBe(0o600)
    // a new folder is private from the start: nothing to tighten, nothing to say
    expect(notices).toEqual([])
  })

  it('tightens an existing data folder and database at start, with a one-line notice', async () => {
    const dataDir = join(root, 'old-data')
    mkdirSync(dataDir, { mode: 0o755 })
    const db = join(dataDir, DATABASE_FILE)
    closeSync(openSync(db, 'a', 0o644))
    expect(modeOf(dataDir)).toBe(0o755)
    const notices: string[] = []
    h = await createHarness({ size: 50, atlas: { dataDir, notice: (m) => notices.push(m) } })

    expect(modeOf(dataDir)).toBe(0o700)
    expect(modeOf(db)).toBe(0o600)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain(dataDir)
    expect(notices[0]).toContain('0755')
    expect(notices[0]).not.toContain('\n')
  })

  it('rewrites an export over an old world-readable file as owner-only', async () => {
    h = await createHarness({ size: 50, atlas: { dataDir: join(root, 'd') } })
    const out = join(root, 'runs.csv')
    closeSync(openSync(out, 'a', 0o644))
    closeSync(openSync(`${out}.partial`, 'a', 0o666))
    chmodSync(`${out}.partial`, 0o666)
    await h.atlas.exportCsv({ view: 'runs', tenant: h.tenant.id, path: out })
    expect(modeOf(out)).toBe(0o600)
  })
})
