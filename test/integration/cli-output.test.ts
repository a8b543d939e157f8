import { describe, expect, it } from 'vitest'
import { defaultDataDir, resolveDataDir } from '../../main/cli/data-dir'
import { EXIT, exitCodeForErrorCode, exitCodeForRun, worstExitCode } from '../../main/cli/exit-codes'
import { displayWidth, formatTable, safeText, SyncProgress } from '../../main/cli/output'
import type { SyncEvent } from '../../main/inventory/sync-events'

describe('data dir (same folder as the desktop app)', () => {
  it('follows Electron userData per OS for the app name "Tenant Atlas"', () => {
    expect(defaultDataDir({}, 'linux', '/home/ana')).toBe('/home/ana/.config/Tenant Atlas')
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ana')).toBe('/xdg/Tenant Atlas')
    // a relative XDG_CONFIG_HOME is invalid per the XDG spec
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'rel' }, 'linux', '/home/ana')).toBe(
      '/home/ana/.config/Tenant Atlas'
    )
    expect(defaultDataDir({}, 'darwin', '/Users/ana')).toBe(
      '/Users/ana/Library/Application Support/Tenant Atlas'
    )
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ana')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Tenant Atlas'
    )
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\ana')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Tenant Atlas'
    )
  })

  it('prefers --data-dir, then TENANT_ATLAS_DATA_DIR', () => {
    expect(resolveDataDir('/flag', { TENANT_ATLAS_DATA_DIR: '/env' })).toBe('/flag')
    expect(resolveDataDir(undefined, { TENANT_ATLAS_DATA_DIR: '/env' })).toBe('/env')
    expect(resolveDataDir(undefined, {})).toBe(defaultDataDir({}))
  })
})

describe('exit codes', () => {
  it('maps error codes and run outcomes', () => {
    expect(exitCodeForErrorCode('INVALID_INPUT')).toBe(2)
    expect(exitCodeForErrorCode('NOT_FOUND')).toBe(2)
    expect(exitCodeForErrorCode('AUTH_CONSENT_MISSING')).toBe(3)
    expect(exitCodeForErrorCode('LOCK_HELD')).toBe(5)
    expect(exitCodeForRun({ status: 'success', errorCodes: ['GRAPH_ITEM_INVALID'] })).toBe(0)
    expect(exitCodeForRun({ status: 'partial', errorCodes: ['GRAPH_FORBIDDEN'] })).toBe(4)
    expect(exitCodeForRun({ status: 'failed', errorCodes: ['GRAPH_UNAVAILABLE'] })).toBe(5)
    expect(exitCodeForRun({ status: 'failed', errorCodes: ['AUTH_INVALID_SECRET'] })).toBe(3)
    expect(exitCodeForRun({ status: 'skipped', errorCodes: ['LOCK_HELD'] })).toBe(5)
  })

  it('takes the worst code of several tenants', () => {
    expect(worstExitCode([])).toBe(EXIT.OK)
    expect(worstExitCode([0, 4, 0])).toBe(4)
    expect(worstExitCode([4, 5])).toBe(5)
    expect(worstExitCode([5, 3, 4])).toBe(3)
    expect(worstExitCode([3, 2])).toBe(2)
    expect(worstExitCode([2, 130, 0])).toBe(130)
  })
})

describe('text output', () => {
  it('writes controls, bidi overrides and line breaks in tenant text as visible escapes', () => {
    expect(safeText('a\u001b[31mb\u0007')).toBe('a\\x1b[31mb\\x07')
    expect(safeText('x\r\ny\tz')).toBe('x\\r\\ny\\tz')
    expect(safeText('\u202eexe.txt')).toBe('\\u202eexe.txt')
    expect(safeText('nul\u0000 del\u007f c1\u009b ls\u2028 iso\u2066')).toBe(
      'nul\\x00 del\\x7f c1\\x9b ls\\u2028 iso\\u2066'
    )
    expect(safeText('Ünïcode ✓ 🚀 日本')).toBe('Ünïcode ✓ 🚀 日本')
    expect(safeText(null)).toBe('')
  })

  it('aligns columns by terminal width, emoji and CJK included', () => {
    expect(displayWidth('🚀')).toBe(2)
    expect(displayWidth('日本')).toBe(4)
    expect(displayWidth('e\u0301')).toBe(1)
    const table = formatTable(
      [{ header: 'Name' }, { header: 'N', align: 'right' }],
      [
        ['🚀 Rocket', 1],
        ['plain', 200],
        ['日本語', 30]
      ]
    )
    const lines = table.trimEnd().split('\n')
    expect(new Set(lines.map(displayWidth)).size).toBe(1)
  })

  it('cuts long names with an ellipsis when a column has a max', () => {
    const table = formatTable([{ header: 'Name', max: 10 }], [['a'.repeat(50)]])
    expect(table.split('\n')[2]).toBe(`${'a'.repeat(9)}…`)
  })
})

describe('sync progress', () => {
  const events = (tenantId: string): SyncEvent[] => [
    { kind: 'started', requestId: 'r', tenantId, runId: 7, correlationId: 'c', policyTypes: ['a', 'b'] },
    { kind: 'type_started', requestId: 'r', tenantId, runId: 7, policyType: 'a' },
    {
      kind: 'page_stored',
      requestId: 'r',
      tenantId,
      runId: 7,
      policyTypes: ['a'],
      pageIndex: 0,
      items: 5,
      runObserved: 5
    },
    {
      kind: 'throttled',
      requestId: 'r',
      tenantId,
      runId: 7,
      status: 429,
      waitSeconds: 2,
      retryAt: '2026-01-01T00:00:02.000Z',
      policyTypes: ['compliancePolicy'],
      attempt: 1
    },
    {
      kind: 'type_finished',
      requestId: 'r',
      tenantId,
      runId: 7,
      policyType: 'a',
      status: 'complete',
      observed: 5,
      pages: 1
    },
    {
      kind: 'type_finished',
      requestId: 'r',
      tenantId,
      runId: 7,
      policyType: 'b',
      status: 'failed',
      observed: 0,
      pages: 0,
      errorCode: 'GRAPH_FORBIDDEN'
    },
    {
      kind: 'finished',
      requestId: 'r',
      tenantId,
      runId: 7,
      status: 'partial',
      hadErrors: true,
      errorCodes: ['GRAPH_FORBIDDEN'],
      itemsObserved: 5,
      itemsUpserted: 5
    }
  ]

  it('writes one plain line per milestone when not a TTY', () => {
    let out = ''
    const p = new SyncProgress(
      { write: (s: string) => (out += s) },
      { isTTY: false, names: new Map([['t1', 'Contoso']]) }
    )
    for (const e of events('t1')) p.onEvent(e)
    p.finish()
    expect(out).toBe(
      [
        'Contoso: run 7 started, 2 policy types',
        'Contoso: throttled by Graph (HTTP 429), waiting 2 s as asked',
        'Contoso: a complete, 5 objects',
        'Contoso: b failed, 0 objects (GRAPH_FORBIDDEN)',
        'Contoso: partial, 5 objects observed [GRAPH_FORBIDDEN]',
        ''
      ].join('\n')
    )
  })

  it('redraws one line with \\r on a TTY, and leaves only the result lines', () => {
    let out = ''
    let now = 0
    const p = new SyncProgress(
      { write: (s: string) => (out += s) },
      { isTTY: true, width: 120, names: new Map([['t1', 'Contoso']]), now: () => (now += 1000) }
    )
    for (const e of events('t1')) p.onEvent(e)
    p.finish()
    const frames = out.split('\r\x1b[2K').filter((f) => f)
    expect(frames).toContain('Contoso [████████████░░░░░░░░░░░░] 1/2 types · 5 objects · a')
    expect(frames.some((f) => f.includes('throttled (HTTP 429), waiting 2 s'))).toBe(true)
    expect(frames.some((f) => f.includes('1 not collected'))).toBe(true)
    expect(frames.at(-1)).toBe('Contoso: partial, 5 objects observed [GRAPH_FORBIDDEN]\n')
  })

  it('names policy types as the window does when given their labels', () => {
    let out = ''
    let now = 0
    const labels = new Map([
      ['a', 'Compliance policies'],
      ['b', 'Device configurations']
    ])
    for (const isTTY of [false, true]) {
      const p = new SyncProgress(
        { write: (s: string) => (out += s) },
        {
          isTTY,
          width: 120,
          names: new Map([['t1', 'Contoso']]),
          typeLabel: (key) => labels.get(key) ?? key,
          now: () => (now += 1000)
        }
      )
      for (const e of events('t1')) p.onEvent(e)
      p.finish()
    }
    expect(out).toContain('Contoso: Compliance policies complete, 5 objects\n')
    expect(out).toContain('Contoso: Device configurations failed, 0 objects (GRAPH_FORBIDDEN)\n')
    expect(out).toContain('5 objects · Compliance policies')
  })

  it('ignores events of tenants it was not asked about', () => {
    let out = ''
    const p = new SyncProgress(
      { write: (s: string) => (out += s) },
      { isTTY: false, names: new Map([['t1', 'Contoso']]) }
    )
    for (const e of events('other')) p.onEvent(e)
    expect(out).toBe('')
  })
})
