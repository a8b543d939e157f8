import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestAtlas } from '../support/create-test-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { createHandlers } from '../../main/ipc/handlers'
import { registerIpc, type InvokeEventLike } from '../../main/ipc/register'
import {
  CHANNEL_NAMES,
  channels,
  type ChannelHandlers,
  type ChannelName,
  type Result
} from '../../preload/contract'

/**
 * P3: no channel accepts unvalidated input. Malformed payloads go through the real gate into handlers
 * backed by a real engine on a temp dir; every one must come back INVALID_INPUT with no handler called and
 * no byte of the database changed. Inputs are malformed *by construction* (mutations of a valid input that
 * break a stated rule), so the test does not use the schema under test to decide what is invalid.
 */

type Wrong = fc.Arbitrary<unknown>

const notString: Wrong = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 })
)
const tooLong = (max: number): Wrong => fc.integer({ min: max + 1, max: max + 64 }).map((n) => 'x'.repeat(n))
const notBoolean: Wrong = fc.oneof(
  fc.constantFrom('true', 1, 0, null, 'false'),
  fc.array(fc.boolean(), { maxLength: 2 })
)

/** Field rules, each with values that break it. */
const str = (max: number, min = 1): Wrong =>
  fc.oneof(notString, tooLong(max), ...(min > 0 ? [fc.constant('')] : []))
const int = (min: number, max: number): Wrong =>
  fc.oneof(
    fc.integer({ min: -1_000_000, max: min - 1 }),
    fc.integer({ min: max + 1, max: max + 1_000_000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2, '1', null, true),
    fc.bigInt({ min: 1n, max: 10n })
  )
const strArray = (maxItems: number, maxLen: number): Wrong =>
  fc.oneof(
    fc.array(fc.constant('a'), { minLength: maxItems + 1, maxLength: maxItems + 20 }),
    fc
      .tuple(
        fc.array(fc.constant('a'), { maxLength: 3 }),
        notString.filter((v) => typeof v !== 'object' || v === null)
      )
      .map(([ok, bad]) => [...ok, bad]),
    tooLong(maxLen).map((s) => [s]),
    fc.constant(['']),
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 })
    )
  )
const oneOf = (values: readonly string[]): Wrong =>
  fc.oneof(
    fc.string({ maxLength: 12 }).filter((s) => !values.includes(s)),
    notString
  )

const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'isAdmin',
  'trigger',
  'path'
]

/** A copy of `base` with one more own key: JSON.parse-style, so '__proto__' is a real own property. */
function withKey(base: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base }
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true })
  return copy
}

/** An object-valued field: not an object, or the object with a key the contract does not know. */
const strictObject = (valid: object, fields: Record<string, Wrong>): Wrong =>
  fc.oneof(
    fc.oneof(
      notString.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
      fc.string()
    ),
    fc.tuple(fc.constantFrom(...POLLUTION_KEYS), fc.anything()).map(([k, v]) => withKey(valid, k, v)),
    ...Object.entries(fields).map(([name, wrong]) => wrong.map((v) => ({ ...valid, [name]: v })))
  )

const selection = { categories: ['apps'] }
const selectionWrong = strictObject(selection, {
  policy_types: strArray(100, 100),
  categories: strArray(100, 100),
  include_foundations: notBoolean,
  include_dependencies: notBoolean
})

/** An inventory view's filter: a field that breaks its rule, or an unknown key. */
const viewFilterWrong = strictObject(
  {},
  {
    policyTypes: strArray(100, 100),
    categories: strArray(100, 100),
    platforms: strArray(100, 100),
    name: fc.oneof(notString, tooLong(200)),
    search: fc.oneof(notString, tooLong(200)),
    lastSeenFrom: fc.oneof(notString, fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '')),
    lastSeenTo: fc.oneof(notString, fc.constantFrom('2026-01-01', 'now')),
    showBuiltIn: notBoolean
  }
)
const columnsWrong: Wrong = fc.oneof(
  notString,
  fc.constantFrom([], ['nope'], ['displayName', 'displayName'], ['metaJson'], [1])
)

interface ChannelCase {
  /** a valid input (undefined for channels without input) */
  valid: Record<string, unknown> | undefined
  /** keys that must be present */
  required: string[]
  /** per field: values that break its rule */
  wrong: Record<string, Wrong>
}

const TENANT = str(200)
const CASES: { [K in ChannelName]: ChannelCase } = {
  'registry:types': { valid: undefined, required: [], wrong: {} },
  'registry:categories': { valid: undefined, required: [], wrong: {} },
  'registry:error-codes': { valid: undefined, required: [], wrong: {} },
  'registry:clouds': { valid: undefined, required: [], wrong: {} },
  'tenants:list': { valid: undefined, required: [], wrong: {} },
  'tenants:overview': { valid: undefined, required: [], wrong: {} },
  'app:status': { valid: undefined, required: [], wrong: {} },
  'sync:active': { valid: undefined, required: [], wrong: {} },
  'demo:explore': { valid: undefined, required: [], wrong: {} },
  'tenants:get': { valid: { idOrName: 'Contoso' }, required: ['idOrName'], wrong: { idOrName: TENANT } },
  'tenants:remove': { valid: { idOrName: 'Contoso' }, required: ['idOrName'], wrong: { idOrName: TENANT } },
  'tenants:exclude-types': {
    valid: { tenantId: 'Contoso', policyTypes: ['mobileApp'] },
    required: ['tenantId', 'policyTypes'],
    wrong: { tenantId: TENANT, policyTypes: strArray(100, 100) }
  },
  'tenants:test': {
    valid: { tenantId: 'Contoso' },
    required: ['tenantId'],
    wrong: { tenantId: TENANT, policyTypes: strArray(100, 100) }
  },
  'tenants:add': {
    valid: {
      displayName: 'Fabrikam',
      azureTenantId: 'fabrikam.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      cloud: 'global',
      credential: { kind: 'secret', value: 'fuzz-secret-value' }
    },
    required: ['displayName', 'azureTenantId', 'clientId', 'cloud', 'credential'],
    wrong: {
      displayName: str(120),
      azureTenantId: str(253),
      clientId: str(100),
      cloud: oneOf(['global', 'usgov', 'usgovdod', 'china', 'custom']),
      authorityHost: str(2048),
      graphEndpoint: str(2048),
      credential: fc.oneof(
        strictObject(
          { kind: 'secret', value: 'v' },
          { value: str(4096), kind: oneOf(['secret', 'certificate_pem']) }
        ),
        // kinds the page may not use, even well-formed
        fc.constantFrom(
          { kind: 'secret_env', variable: 'HOME' },
          { kind: 'certificate_file', path: '/etc/shadow' },
          { kind: 'secret', value: 'v', passphrase: 'p' },
          { kind: 'certificate_pem', pem: '' }
        )
      ),
      isDemo: fc.boolean()
    }
  },
  'tenants:update': {
    valid: { idOrName: 'Contoso', displayName: 'Contoso EU' },
    required: ['idOrName'],
    wrong: {
      idOrName: TENANT,
      displayName: str(120),
      azureTenantId: str(253),
      clientId: str(100),
      cloud: oneOf(['global', 'usgov', 'usgovdod', 'china', 'custom']),
      // null clears an endpoint: only non-null wrong values
      authorityHost: str(2048).filter((v) => v !== null),
      graphEndpoint: str(2048).filter((v) => v !== null),
      credential: fc.oneof(
        strictObject(
          { kind: 'secret', value: 'v' },
          { value: str(4096), kind: oneOf(['secret', 'certificate_pem']) }
        ),
        fc.constantFrom(
          { kind: 'secret_env', variable: 'HOME' },
          { kind: 'certificate_file', path: '/etc/shadow' },
          { kind: 'secret', value: '' }
        )
      ),
      isDemo: fc.boolean()
    }
  },
  'sync:start': {
    valid: { tenantId: 'Contoso', selection },
    required: ['tenantId', 'selection'],
    wrong: { tenantId: TENANT, selection: selectionWrong, trigger: fc.constantFrom('cli', 'test', 'button') }
  },
  'sync:cancel': {
    valid: { id: 'req-1' },
    required: ['id'],
    wrong: {
      // a string (request id) or a positive safe integer (run id): so no numeric strings among the wrong values
      id: fc.oneof(
        tooLong(100),
        fc.constantFrom('', 0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, null, true, [], {}),
        fc.integer({ max: 0 }),
        fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d))
      )
    }
  },
  'runs:list': {
    valid: { tenantId: 'Contoso' },
    required: ['tenantId'],
    wrong: { tenantId: TENANT, limit: int(1, 1000) }
  },
  'runs:get': { valid: { runId: 1 }, required: ['runId'], wrong: { runId: int(1, Number.MAX_SAFE_INTEGER) } },
  'runs:ledger': {
    valid: { runId: 1 },
    required: ['runId'],
    wrong: { runId: int(1, Number.MAX_SAFE_INTEGER) }
  },
  'inventory:list': {
    valid: { tenantId: 'Contoso' },
    required: ['tenantId'],
    wrong: {
      tenantId: TENANT,
      policyTypes: strArray(100, 100),
      search: fc.oneof(notString, tooLong(200)),
      limit: int(1, 5000),
      offset: int(0, 100_000_000)
    }
  },
  'missing:get': {
    valid: { tenantId: 'Contoso', selection },
    required: ['tenantId', 'selection'],
    wrong: { tenantId: TENANT, selection: selectionWrong, policyTypes: strArray(100, 100) }
  },
  'export:csv': {
    valid: { view: 'runs', tenant: 'Contoso' },
    required: ['view', 'tenant'],
    wrong: {
      view: oneOf(['inventory', 'missing', 'runs']),
      tenant: fc.oneof(
        tooLong(200),
        fc.constantFrom('', { all: false }, { all: 'true' }, {}, { all: true, path: '/tmp/x.csv' }, null, 1)
      ),
      selection: selectionWrong,
      policyTypes: strArray(100, 100),
      path: fc.constantFrom('/tmp/evil.csv', '../../x.csv'),
      // the grid's view belongs to the inventory view only (valid here is the runs view)
      filter: fc.constantFrom({}, { name: 'x' }),
      sort: fc.constant([]),
      columns: fc.constant(['displayName'])
    }
  },
  'inventory:columns-get': { valid: undefined, required: [], wrong: {} },
  'views:list': { valid: undefined, required: [], wrong: {} },
  'inventory:facets': {
    valid: { tenantId: 'Contoso', filter: {} },
    required: ['tenantId', 'filter'],
    wrong: { tenantId: TENANT, filter: viewFilterWrong }
  },
  'inventory:columns-set': {
    valid: { columns: ['displayName'] },
    required: ['columns'],
    wrong: { columns: columnsWrong }
  },
  'views:save': {
    valid: { name: 'Mine', filter: {}, columns: ['displayName'], sort: [] },
    required: ['name', 'filter', 'columns', 'sort'],
    wrong: {
      name: fc.oneof(notString, tooLong(80), fc.constantFrom('', '   ', 'a\u0000b', 'line\nbreak')),
      filter: viewFilterWrong,
      columns: columnsWrong,
      sort: fc.oneof(
        // an empty array of strings is a valid (empty) sort
        notString.filter((v) => !(Array.isArray(v) && v.length === 0)),
        fc.constantFrom(
          [{ id: 'nope', desc: false }],
          [{ id: 'displayName' }],
          [{ id: 'displayName', desc: 'yes' }],
          [
            { id: 'displayName', desc: false },
            { id: 'displayName', desc: true }
          ],
          [{ id: 'displayName', desc: false, extra: 1 }]
        )
      )
    }
  },
  'views:delete': {
    valid: { name: 'Mine' },
    required: ['name'],
    wrong: { name: fc.oneof(notString, tooLong(80), fc.constant('')) }
  },
  'changes:summary': { valid: undefined, required: [], wrong: {} },
  'export:pack': {
    valid: { tenant: 'Contoso' },
    required: ['tenant'],
    // the folder is main's to choose: a page-sent path is an unknown key
    wrong: { tenant: TENANT, dir: fc.constantFrom('/tmp/evil', '../../x') }
  },
  'changes:get': {
    valid: { tenantId: 'Contoso' },
    required: ['tenantId'],
    wrong: { tenantId: TENANT, sinceRunId: int(1, Number.MAX_SAFE_INTEGER), since: str(40) }
  },
  'changes:mark-visit': {
    valid: { tenantId: 'Contoso', runId: 1 },
    required: ['tenantId', 'runId'],
    wrong: { tenantId: TENANT, runId: int(1, Number.MAX_SAFE_INTEGER).filter((v) => v !== null) }
  },
  'cross:matrix': {
    valid: { by: 'type' },
    required: ['by'],
    wrong: { by: oneOf(['type', 'name']), policyType: str(100), search: fc.oneof(notString, tooLong(200)) }
  },
  'cross:objects': {
    valid: { limit: 10 },
    required: ['limit'],
    wrong: {
      tenantId: TENANT,
      policyType: str(100),
      nameKey: fc.oneof(notString, tooLong(1100)),
      search: fc.oneof(notString, tooLong(200)),
      limit: int(1, 5000),
      offset: int(0, 100_000_000)
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
  )
}

const anything = fc.anything({
  maxDepth: 2,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBigInt: true
})

function malformed(c: ChannelCase): Wrong {
  if (c.valid === undefined) {
    // a channel without input accepts exactly `undefined`
    return fc.oneof(
      anything.filter((v) => v !== undefined),
      fc.constantFrom(...POLLUTION_KEYS).map((k) => withKey({}, k, { polluted: true }))
    )
  }
  const valid = c.valid
  const arbs: Wrong[] = [
    // anything at all that lacks a required key
    anything.filter((v) => !(isPlainObject(v) && c.required.every((k) => Object.hasOwn(v, k)))),
    // one required key removed
    fc
      .constantFrom(...c.required)
      .map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    // one unknown key, prototype-pollution names first among them
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string({ minLength: 1, maxLength: 20 })),
        fc.oneof(fc.anything({ maxDepth: 1 }), fc.constant({ polluted: true }))
      )
      .filter(([k]) => !(k in knownKeys(c)))
      .map(([k, v]) => withKey(valid, k, v)),
    // one field with a value that breaks its rule
    ...Object.entries(c.wrong).map(([name, wrong]) => wrong.map((v) => withKey(valid, name, v)))
  ]
  return fc.oneof(...arbs)
}

/** Keys the contract knows for a channel: the valid ones and the optional ones we know how to break. */
function knownKeys(c: ChannelCase): Record<string, true> {
  const known = new Set([...Object.keys(c.valid ?? {}), ...Object.keys(c.wrong)])
  // fields in `wrong` that the contract does NOT know (trigger, path, isDemo) are unknown keys by design
  for (const smuggled of ['trigger', 'path', 'isDemo']) known.delete(smuggled)
  return Object.fromEntries([...known].map((k) => [k, true]))
}

function snapshotDatabase(sqlite: { prepare(sql: string): { all(): unknown[] } }): string {
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all() as Array<{
    name: string
  }>
  return JSON.stringify(tables.map((t) => [t.name, sqlite.prepare(`SELECT * FROM "${t.name}"`).all()]))
}

describe('IPC fuzz: malformed input never reaches a handler or the database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ipc-fuzz-'))
  const api = createTestAtlas({ dataDir: dir, secretStore: new MemorySecretStore() })
  const listeners = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>()
  const exploreDemo = vi.fn(async () => ({ tenantId: 'x', requestId: null }))
  const chooseSavePath = vi.fn(async () => join(dir, 'export.csv'))
  const real = createHandlers({ api, exploreDemo, chooseSavePath })
  const spies = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, vi.fn(real[name] as (input: unknown) => unknown)])
  ) as unknown as ChannelHandlers
  const event: InvokeEventLike = {
    sender: 'ours',
    senderFrame: { url: 'file:///app/index.html', parent: null }
  }
  let before = ''

  beforeAll(async () => {
    registerIpc({
      ipcMain: {
        handle: (ch, fn) => void listeners.set(ch, fn),
        removeHandler: (ch) => void listeners.delete(ch)
      },
      isTrustedSender: (e) => e === event,
      handlers: spies
    })
    // something to lose: a tenant row that a stray tenants:remove or add would change
    await api.addTenant({
      displayName: 'Contoso',
      azureTenantId: 'contoso.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      cloud: 'global',
      credential: { kind: 'secret', value: 'seed-secret-value' }
    })
    before = snapshotDatabase(api.db.sqlite)
  })

  afterAll(async () => {
    await api.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('covers every channel of the contract', () => {
    expect(Object.keys(CASES).sort()).toEqual([...CHANNEL_NAMES].sort())
  })

  it.each(CHANNEL_NAMES)('the base input of %s is valid, so the mutations are what break it', (name) => {
    const valid = CASES[name].valid
    expect(channels[name].input.safeParse(valid).success).toBe(true)
  })

  it.each(CHANNEL_NAMES)('%s rejects 200 malformed inputs', async (name) => {
    const invoke = listeners.get(name)
    expect(invoke).toBeDefined()
    await fc.assert(
      fc.asyncProperty(malformed(CASES[name]), async (input) => {
        const result = (await invoke?.(event, input)) as Result<unknown>
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
        expect(result.ok === false && typeof result.error.message).toBe('string')
      }),
      { numRuns: 200, seed: 20260101 + CHANNEL_NAMES.indexOf(name) }
    )
    expect(spies[name]).not.toHaveBeenCalled()
    expect(snapshotDatabase(api.db.sqlite)).toBe(before)
  })

  it('left no side effects anywhere', () => {
    for (const name of CHANNEL_NAMES) expect(spies[name], name).not.toHaveBeenCalled()
    expect(exploreDemo).not.toHaveBeenCalled()
    expect(chooseSavePath).not.toHaveBeenCalled()
    expect(readdirSync(dir).filter((f) => f.endsWith('.csv'))).toEqual([])
    expect(snapshotDatabase(api.db.sqlite)).toBe(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('still serves a valid call through the same gate (the rejections were not a broken wire)', async () => {
    const result = (await listeners.get('tenants:get')?.(event, { idOrName: 'Contoso' })) as Result<{
      displayName: string
    }>
    expect(result).toMatchObject({ ok: true, value: { displayName: 'Contoso' } })
  })
})
