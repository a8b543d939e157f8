import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AtlasDatabase } from '../../db/client'
import { SETTINGS_LIMITS, SettingsRepo } from '../../db/repositories/settings-repo'
import { InventoryQueryRepo } from '../../db/repositories/inventory-query-repo'
import { AtlasError } from '../../domain/error-codes'
import { InventoryWorkspace, WORKSPACE_KEYS } from '../../main/inventory/inventory-workspace'

const NOW = '2026-12-01T09:00:00.000Z'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return err instanceof AtlasError ? err.code : `not an AtlasError: ${String(err)}`
  }
  return undefined
}

describe('SettingsRepo', () => {
  let db: AtlasDatabase
  let repo: SettingsRepo
  beforeEach(() => {
    db = openDatabase({ file: ':memory:' })
    repo = new SettingsRepo(db.sqlite)
  })
  afterEach(() => db.close())

  it('stores, replaces and deletes JSON values by key', () => {
    expect(repo.get('a')).toBeUndefined()
    repo.set('a', { x: [1, 'two'] }, NOW)
    expect(repo.get('a')).toEqual({ x: [1, 'two'] })
    repo.set('a', null, NOW)
    expect(repo.get('a')).toBeNull()
    expect(repo.delete('a')).toBe(true)
    expect(repo.delete('a')).toBe(false)
    expect(repo.get('a')).toBeUndefined()
  })

  it('refuses bad JSON text with INVALID_INPUT and keeps the old value', () => {
    repo.set('a', 1, NOW)
    expect(codeOf(() => repo.setJson('a', '{"open":', NOW))).toBe('INVALID_INPUT')
    expect(codeOf(() => repo.set('a', undefined, NOW))).toBe('INVALID_INPUT')
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(codeOf(() => repo.set('a', cyclic, NOW))).toBe('INVALID_INPUT')
    expect(codeOf(() => repo.set('a', 10n, NOW))).toBe('INVALID_INPUT')
    expect(repo.get('a')).toBe(1)
  })

  it('bounds key length and value size', () => {
    expect(codeOf(() => repo.set('', 1, NOW))).toBe('INVALID_INPUT')
    expect(codeOf(() => repo.set('k'.repeat(SETTINGS_LIMITS.keyLength + 1), 1, NOW))).toBe('INVALID_INPUT')
    repo.set('k'.repeat(SETTINGS_LIMITS.keyLength), 1, NOW)
    // exactly at the bound fits, one byte more does not (a JSON string adds two quote bytes)
    const fits = 'x'.repeat(SETTINGS_LIMITS.valueBytes - 2)
    repo.set('big', fits, NOW)
    expect(codeOf(() => repo.set('big', `${fits}y`, NOW))).toBe('INVALID_INPUT')
    expect(repo.get('big')).toBe(fits)
  })

  it('answers a row corrupted on disk with INVALID_INPUT instead of a parse crash', () => {
    db.sqlite.prepare("INSERT INTO settings VALUES ('bad', 'not json', ?)").run(NOW)
    expect(codeOf(() => repo.get('bad'))).toBe('INVALID_INPUT')
  })
})

describe('InventoryWorkspace saved views and columns', () => {
  let db: AtlasDatabase
  let ws: InventoryWorkspace
  let now = Date.parse(NOW)
  beforeEach(() => {
    db = openDatabase({ file: ':memory:' })
    ws = new InventoryWorkspace({
      query: new InventoryQueryRepo(db.sqlite),
      settings: new SettingsRepo(db.sqlite),
      clock: { now: () => now }
    })
  })
  afterEach(() => db.close())

  const view = (name: string) => ({
    name,
    filter: { platforms: ['windows'], search: 'vpn' },
    columns: ['displayName' as const, 'lastSeenAt' as const],
    sort: [{ id: 'lastSeenAt' as const, desc: true }]
  })

  it('saves, replaces by name, lists by name and deletes', () => {
    expect(ws.listViews()).toEqual([])
    ws.saveView(view('Zeta'))
    const list = ws.saveView(view('Alpha'))
    expect(list.map((v) => v.name)).toEqual(['Alpha', 'Zeta'])
    expect(list[0]).toEqual({ ...view('Alpha'), savedAt: NOW })
    now += 60_000
    const replaced = ws.saveView({ ...view('Alpha'), columns: ['policyType'] })
    expect(replaced).toHaveLength(2)
    expect(replaced[0]?.columns).toEqual(['policyType'])
    expect(replaced[0]?.savedAt).toBe('2026-12-01T09:01:00.000Z')
    expect(ws.deleteView('Alpha').map((v) => v.name)).toEqual(['Zeta'])
    expect(ws.deleteView('nope').map((v) => v.name)).toEqual(['Zeta'])
  })

  it('refuses malformed views and keeps at most 50', () => {
    expect(codeOf(() => ws.saveView({ ...view('x'), columns: [] }))).toBe('INVALID_INPUT')
    expect(codeOf(() => ws.saveView({ ...view('x'), columns: ['metaJson'] }))).toBe('INVALID_INPUT')
    expect(codeOf(() => ws.saveView({ ...view(''), name: ' ' }))).toBe('INVALID_INPUT')
    expect(codeOf(() => ws.saveView({ ...view('x'), filter: { evil: 1 } }))).toBe('INVALID_INPUT')
    for (let i = 0; i < 50; i++) ws.saveView(view(`v${i}`))
    expect(codeOf(() => ws.saveView(view('one too many')))).toBe('INVALID_INPUT')
    // replacing an existing one is still allowed at the bound
    expect(ws.saveView(view('v7'))).toHaveLength(50)
  })

  it('leaves out stored entries that no longer fit the view shape', () => {
    const settings = new SettingsRepo(db.sqlite)
    settings.set(
      WORKSPACE_KEYS.views,
      [
        { ...view('ok'), savedAt: NOW },
        { name: 'old', columns: ['gone'] }
      ],
      NOW
    )
    expect(ws.listViews().map((v) => v.name)).toEqual(['ok'])
    settings.set(WORKSPACE_KEYS.views, { not: 'a list' }, NOW)
    expect(ws.listViews()).toEqual([])
  })

  it('keeps the column choice, refusing duplicates and unknown ids', () => {
    expect(ws.getColumns()).toBeNull()
    expect(ws.setColumns(['lastSeenAt', 'displayName'])).toEqual(['lastSeenAt', 'displayName'])
    expect(ws.getColumns()).toEqual(['lastSeenAt', 'displayName'])
    expect(codeOf(() => ws.setColumns(['displayName', 'displayName']))).toBe('INVALID_INPUT')
    expect(codeOf(() => ws.setColumns(['secret']))).toBe('INVALID_INPUT')
    expect(ws.getColumns()).toEqual(['lastSeenAt', 'displayName'])
  })
})
