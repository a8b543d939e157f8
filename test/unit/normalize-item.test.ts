import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PolicyTypeDef } from '../../domain/policy-type'
import { getPolicyType, POLICY_TYPES } from '../../main/graph/registry'
import { ITEM_LIMITS, normalizeItem, resolvePlatform } from '../../main/inventory/normalize-item'
import type { NormalizedItem } from '../../main/inventory/normalize-item'
import { canonicalJson } from '../../main/inventory/selection'

function def(key: string): PolicyTypeDef {
  const found = getPolicyType(key)
  if (!found) throw new Error(`missing type ${key}`)
  return found
}

function ok(d: PolicyTypeDef, raw: unknown): NormalizedItem {
  const result = normalizeItem(d, raw)
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}`)
  return result.item
}

function meta(item: NormalizedItem): Record<string, unknown> {
  return JSON.parse(item.metaJson) as Record<string, unknown>
}

/** Nesting depth of a parsed JSON value: a primitive is 0, `{a: 1}` is 1. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0
  const children = Array.isArray(value) ? value : Object.values(value)
  return 1 + Math.max(0, ...children.map(depthOf))
}

const deviceConfiguration = def('deviceConfiguration')

describe('normalizeItem: rejects unusable items', () => {
  it('rejects anything that is not an object', () => {
    for (const raw of [null, undefined, 'item', 42, true, [], [{ id: 'a' }]]) {
      expect(normalizeItem(deviceConfiguration, raw)).toEqual({ ok: false, reason: 'not_object' })
    }
  })

  it('rejects a missing id', () => {
    expect(normalizeItem(deviceConfiguration, { displayName: 'x' })).toEqual({
      ok: false,
      reason: 'missing_id'
    })
    expect(normalizeItem(deviceConfiguration, { id: null })).toEqual({ ok: false, reason: 'missing_id' })
    // an inherited "id" is not the item's id
    expect(normalizeItem(deviceConfiguration, Object.create({ id: 'inherited' }))).toEqual({
      ok: false,
      reason: 'missing_id'
    })
  })

  it('rejects ids that are not usable strings', () => {
    const bad: unknown[] = [
      42,
      0,
      true,
      { v: 'a' },
      ['a'],
      '',
      '   ',
      'x'.repeat(ITEM_LIMITS.idChars + 1),
      'a\u0000b'
    ]
    for (const id of bad) {
      expect(normalizeItem(deviceConfiguration, { id, displayName: 'x' }), String(id).slice(0, 20)).toEqual({
        ok: false,
        reason: 'bad_id'
      })
    }
    const longest = 'x'.repeat(ITEM_LIMITS.idChars)
    expect(ok(deviceConfiguration, { id: longest }).externalId).toBe(longest)
  })
})

describe('normalizeItem: display name', () => {
  it('reads the type name property, then displayName, then name', () => {
    const settingsCatalog = def('settingsCatalogPolicy')
    expect(
      ok(settingsCatalog, { id: '1', name: 'From name', displayName: 'From displayName' }).displayName
    ).toBe('From name')
    expect(ok(settingsCatalog, { id: '1', name: null, displayName: 'Fallback' }).displayName).toBe('Fallback')
    expect(
      ok(def('intuneBrandingProfile'), { id: '1', profileName: 'Contoso', displayName: 'Other' }).displayName
    ).toBe('Contoso')
    expect(ok(deviceConfiguration, { id: '1', name: 'Only name' }).displayName).toBe('Only name')
  })

  it('gives an empty name for null or non-string names', () => {
    for (const name of [null, 42, { text: 'x' }, ['x'], true]) {
      expect(ok(deviceConfiguration, { id: '1', displayName: name }).displayName).toBe('')
    }
    expect(ok(deviceConfiguration, { id: '1' }).displayName).toBe('')
  })

  it('keeps line breaks, tabs, other controls and leading blanks as Graph returned them', () => {
    for (const name of [
      'Line one\nLine two\r\nLine three',
      'Tab\tseparated\tname',
      '\tstarts with a tab',
      '\r=cmd starts with CR',
      '  padded  ',
      'Win\u0007\u001b[31mdows\u007f\u0085\u009f – Ünïcode ✓'
    ]) {
      const item = ok(deviceConfiguration, { id: '1', displayName: name })
      expect(item.displayName).toBe(name)
      expect(item.truncatedValues).toBe(0)
    }
  })

  it('replaces NUL, which SQLite and CSV readers cannot hold, with U+FFFD and counts it', () => {
    const item = ok(deviceConfiguration, { id: '1', displayName: 'Before\u0000after' })
    expect(item.displayName).toBe('Before\ufffdafter')
    expect(item.truncatedValues).toBe(1)
  })

  it('caps a 1 MB name and counts the truncation', () => {
    const huge = 'n'.repeat(1024 * 1024)
    const item = ok(deviceConfiguration, { id: '1', displayName: huge })
    expect(item.displayName).toHaveLength(ITEM_LIMITS.nameChars)
    expect(item.truncatedValues).toBe(1)
  })

  it('never cuts a surrogate pair in half', () => {
    const name = 'a'.repeat(ITEM_LIMITS.nameChars - 1) + '😀😀'
    const item = ok(deviceConfiguration, { id: '1', displayName: name })
    expect(item.displayName).toBe('a'.repeat(ITEM_LIMITS.nameChars - 1))
    expect(Buffer.from(item.displayName, 'utf8').toString('utf8')).toBe(item.displayName)
  })
})

describe('normalizeItem: meta whitelist', () => {
  it('keeps whitelisted keys and counts the others (not id or name)', () => {
    const item = ok(deviceConfiguration, {
      id: 'abc',
      displayName: 'Profile',
      '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
      description: null,
      version: 3,
      roleScopeTagIds: ['0'],
      passwordBlockSimple: true,
      edgeHomepageUrls: ['https://contoso.com'],
      unknownFutureProperty: { a: 1 }
    })
    expect(item.externalId).toBe('abc')
    expect(item.category).toBe('configuration')
    expect(item.platform).toBe('windows')
    expect(meta(item)).toEqual({
      '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
      description: null,
      version: 3,
      roleScopeTagIds: ['0']
    })
    expect(item.droppedKeys).toBe(3)
  })

  it('drops script bodies and secrets from the raw item', () => {
    const script = ok(def('deviceManagementScript'), {
      id: 's1',
      displayName: 'Install agent',
      scriptContent: Buffer.from('Write-Host secret').toString('base64'),
      runAsAccount: 'system'
    })
    expect(script.metaJson).not.toContain('scriptContent')
    expect(script.metaJson).not.toContain(Buffer.from('Write-Host secret').toString('base64'))
    expect(meta(script)).toEqual({ runAsAccount: 'system' })
    expect(script.droppedKeys).toBe(1)

    const remediation = ok(def('deviceHealthScript'), {
      id: 'r1',
      detectionScriptContent: 'ZGV0ZWN0',
      remediationScriptContent: 'cmVtZWRpYXRl',
      publisher: 'Contoso'
    })
    expect(meta(remediation)).toEqual({ publisher: 'Contoso' })
    expect(remediation.droppedKeys).toBe(2)
  })

  it('drops a never-stored key even when a whitelist lists it, at any depth', () => {
    const careless: PolicyTypeDef = {
      ...deviceConfiguration,
      metaKeys: ['ScriptContent', 'omaSettings', 'details']
    }
    const item = ok(careless, {
      id: '1',
      ScriptContent: 'body',
      omaSettings: [{ omaUri: './Vendor/MSFT', value: 'p@ss' }],
      details: { note: 'kept', password: 'hunter2', nested: { PreSharedKey: 'k' } }
    })
    expect(meta(item)).toEqual({ details: { note: 'kept', nested: {} } })
    expect(item.metaJson).not.toMatch(/hunter2|p@ss|body/)
    expect(item.droppedKeys).toBe(2)
    expect(item.truncatedValues).toBe(2)
  })

  it('caps strings, arrays and nesting depth', () => {
    const wide: PolicyTypeDef = {
      ...deviceConfiguration,
      metaKeys: ['description', 'roleScopeTagIds', 'templateReference']
    }
    const deep = { l2: { l3: { l4: 'kept', l4obj: { l5: 'too deep' } } } }
    const item = ok(wide, {
      id: '1',
      description: 'd'.repeat(1024 * 1024),
      roleScopeTagIds: Array.from({ length: 500 }, (_, i) => String(i)),
      templateReference: deep
    })
    const m = meta(item)
    expect(m['description']).toBe('d'.repeat(ITEM_LIMITS.stringChars))
    expect(m['roleScopeTagIds']).toEqual(
      Array.from({ length: ITEM_LIMITS.arrayEntries }, (_, i) => String(i))
    )
    expect(m['templateReference']).toEqual({ l2: { l3: { l4: 'kept' } } })
    expect(depthOf(m)).toBeLessThanOrEqual(ITEM_LIMITS.depth)
    // one string, one array, one too-deep container
    expect(item.truncatedValues).toBe(3)
    expect(item.droppedKeys).toBe(0)
  })

  it('survives pathological nesting and cycles without overflowing the stack', () => {
    const wide: PolicyTypeDef = { ...deviceConfiguration, metaKeys: ['templateReference', 'loop'] }
    let nested: Record<string, unknown> = { leaf: true }
    for (let i = 0; i < 100_000; i++) nested = { child: nested }
    const loop: Record<string, unknown> = { name: 'loop' }
    loop['self'] = loop
    const item = ok(wide, { id: '1', templateReference: nested, loop })
    expect(depthOf(meta(item))).toBeLessThanOrEqual(ITEM_LIMITS.depth)
    expect(meta(item)['loop']).toEqual({ name: 'loop', self: { name: 'loop', self: { name: 'loop' } } })
  })

  it('keeps the meta JSON within 16 KB by dropping the largest keys first', () => {
    const wide: PolicyTypeDef = {
      ...deviceConfiguration,
      metaKeys: ['description', 'roleScopeTagIds', 'big1', 'big2', 'small']
    }
    const block = (c: string): string[] => Array.from({ length: 4 }, () => c.repeat(ITEM_LIMITS.stringChars))
    const item = ok(wide, {
      id: '1',
      description: 'short',
      big1: block('a'), // ~8.2 KB
      big2: [...block('b'), 'b'], // 4 bytes larger than big1: it goes, big1 stays
      roleScopeTagIds: Array.from({ length: 100 }, () => 'r'.repeat(100)), // ~10.3 KB, the largest, goes first
      small: 1
    })
    const m = meta(item)
    expect(Buffer.byteLength(item.metaJson, 'utf8')).toBeLessThanOrEqual(ITEM_LIMITS.metaBytes)
    expect(Object.keys(m).sort()).toEqual(['big1', 'description', 'small'])
    expect(item.droppedKeys).toBe(2)
  })

  it('does not let a __proto__ key pollute anything', () => {
    const wide: PolicyTypeDef = { ...deviceConfiguration, metaKeys: ['templateReference'] }
    const raw = JSON.parse(
      '{"id":"1","__proto__":{"polluted":true},"templateReference":{"__proto__":{"x":1}}}'
    ) as unknown
    const item = ok(wide, raw)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(item.metaJson).toBe('{"templateReference":{"__proto__":{"x":1}}}')
    expect(item.droppedKeys).toBe(1)
  })

  it('writes byte-identical meta JSON for the same data in any key order', () => {
    const a = {
      id: '1',
      displayName: 'P',
      templateReference: { templateId: 't', templateFamily: 'baseline', '10': 'x', '9': 'y' },
      platforms: 'windows10',
      roleScopeTagIds: ['0', '1'],
      settingCount: 4
    }
    const b = {
      settingCount: 4,
      roleScopeTagIds: ['0', '1'],
      templateReference: { '9': 'y', templateFamily: 'baseline', templateId: 't', '10': 'x' },
      platforms: 'windows10',
      displayName: 'P',
      id: '1'
    }
    const d = def('securityBaselinePolicy')
    const first = ok(d, a)
    expect(ok(d, a).metaJson).toBe(first.metaJson)
    expect(ok(d, b).metaJson).toBe(first.metaJson)
    // keys are sorted as strings at every level, including integer-like keys
    expect(first.metaJson).toBe(
      '{"platforms":"windows10","roleScopeTagIds":["0","1"],"settingCount":4,' +
        '"templateReference":{"10":"x","9":"y","templateFamily":"baseline","templateId":"t"}}'
    )
    // array order is data, not noise
    expect(ok(d, { ...a, roleScopeTagIds: ['1', '0'] }).metaJson).not.toBe(first.metaJson)
  })

  it('never throws and always stays within limits on arbitrary input', () => {
    const defs = fc.constantFrom(...POLICY_TYPES)
    const hostile = fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom(
          'id',
          'displayName',
          'name',
          'description',
          'roleScopeTagIds',
          'scriptContent',
          '@odata.type',
          'platforms',
          'conditions'
        )
      ),
      fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withDate: true, maxDepth: 6 })
    )
    fc.assert(
      fc.property(
        defs,
        fc.oneof(hostile, fc.anything()),
        fc.option(fc.string({ maxLength: 300 })),
        (d, raw, id) => {
          const input =
            typeof raw === 'object' && raw !== null && !Array.isArray(raw) && id !== null
              ? { ...raw, id }
              : raw
          const result = normalizeItem(d, input)
          if (!result.ok) return
          const parsed = JSON.parse(result.item.metaJson) as Record<string, unknown>
          expect(Buffer.byteLength(result.item.metaJson, 'utf8')).toBeLessThanOrEqual(ITEM_LIMITS.metaBytes)
          expect(depthOf(parsed)).toBeLessThanOrEqual(ITEM_LIMITS.depth)
          expect(Object.keys(parsed).every((k) => d.metaKeys.includes(k))).toBe(true)
          expect(result.item.displayName.length).toBeLessThanOrEqual(ITEM_LIMITS.nameChars)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('writes canonical meta JSON (keys sorted at every level) for any kept values', () => {
    const d = def('securityBaselinePolicy')
    const key = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('__proto__', '0', '7', '10', '-1', '01')
    )
    const value = fc
      .jsonValue({ maxDepth: 4 })
      .chain((v) => fc.oneof(fc.constant(v), fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }))))
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...d.metaKeys), value), (metaValues) => {
        const { metaJson } = ok(d, { ...metaValues, id: 'x' })
        expect(metaJson).toBe(canonicalJson(JSON.parse(metaJson)))
      }),
      { numRuns: 300 }
    )
  })
})

describe('platform rules', () => {
  it('odataType: longest prefix wins, case-insensitive, with the fallback otherwise', () => {
    const apps = def('mobileApp')
    const platformOf = (type: unknown): string => ok(apps, { id: '1', '@odata.type': type }).platform
    expect(platformOf('#microsoft.graph.win32LobApp')).toBe('windows')
    expect(platformOf('#microsoft.graph.windowsWebApp')).toBe('windows')
    expect(platformOf('#microsoft.graph.webApp')).toBe('any')
    expect(platformOf('#microsoft.graph.macOsVppApp')).toBe('macos')
    expect(platformOf('#microsoft.graph.managedIOSStoreApp')).toBe('ios')
    expect(platformOf('#microsoft.graph.managedAndroidStoreApp')).toBe('android')
    expect(platformOf('microsoft.graph.iosVppApp')).toBe('ios')
    expect(platformOf('#microsoft.graph.somethingNew')).toBe('unknown')
    expect(platformOf(17)).toBe('unknown')
    expect(ok(apps, { id: '1' }).platform).toBe('unknown')

    const rule = {
      kind: 'odataType',
      prefixes: { ios: 'ios', iosUpdate: 'macos' },
      fallback: 'multi'
    } as const
    expect(resolvePlatform(rule, { '@odata.type': '#microsoft.graph.iosUpdateConfiguration' })).toBe('macos')
    expect(resolvePlatform(rule, { '@odata.type': '#microsoft.graph.iosGeneral' })).toBe('ios')
    expect(resolvePlatform(rule, {})).toBe('multi')
  })

  it('platformsProp: maps settings catalog flags', () => {
    const catalog = def('settingsCatalogPolicy')
    const platformOf = (platforms: unknown): string => ok(catalog, { id: '1', platforms }).platform
    expect(platformOf('windows10')).toBe('windows')
    expect(platformOf('windows10X')).toBe('windows')
    expect(platformOf('iOS')).toBe('ios')
    expect(platformOf('macOS')).toBe('macos')
    expect(platformOf('androidEnterprise')).toBe('android')
    expect(platformOf('aosp')).toBe('android')
    expect(platformOf('linux')).toBe('linux')
    expect(platformOf('iOS,macOS')).toBe('multi')
    expect(platformOf('windows10, windows10X')).toBe('windows')
    expect(platformOf('none')).toBe('unknown')
    expect(platformOf('')).toBe('unknown')
    expect(platformOf(null)).toBe('unknown')
    expect(platformOf(5)).toBe('unknown')
    expect(platformOf('tvOS')).toBe('unknown')
  })

  it('enumProp: exact or case-insensitive value, fallback otherwise', () => {
    const filter = def('assignmentFilter')
    const platformOf = (platform: unknown): string => ok(filter, { id: '1', platform }).platform
    expect(platformOf('windows10AndLater')).toBe('windows')
    expect(platformOf('IOS')).toBe('ios')
    expect(platformOf('androidAOSP')).toBe('android')
    expect(platformOf('unknownFutureValue')).toBe('unknown')
    expect(platformOf('toString')).toBe('unknown')
    expect(platformOf(undefined)).toBe('unknown')
  })

  it('caConditions: all or missing is any, one is that one, several is multi', () => {
    const ca = def('conditionalAccessPolicy')
    const platformOf = (conditions: unknown): string => ok(ca, { id: '1', conditions }).platform
    const include = (...p: unknown[]): unknown => ({ platforms: { includePlatforms: p } })
    expect(platformOf(undefined)).toBe('any')
    expect(platformOf({ platforms: null })).toBe('any')
    expect(platformOf(include())).toBe('any')
    expect(platformOf(include('all'))).toBe('any')
    expect(platformOf(include('iOS'))).toBe('ios')
    expect(platformOf(include('windows', 'windowsPhone'))).toBe('windows')
    expect(platformOf(include('android', 'iOS'))).toBe('multi')
    expect(platformOf(include('linux'))).toBe('linux')
    expect(platformOf('garbage')).toBe('any')
  })

  it('fixed rules and the category come from the type', () => {
    const shell = ok(def('deviceShellScript'), { id: '1' })
    expect(shell.platform).toBe('macos')
    expect(shell.category).toBe('scripts')
  })
})

/** A type whose whitelist is the given keys: the meta rules do not depend on which type it is. */
function typeWithKeys(...metaKeys: string[]): PolicyTypeDef {
  return { ...deviceConfiguration, key: 'test', metaKeys }
}

describe('normalizeItem: limits at their edges', () => {
  it('keeps a name of exactly the cap and cuts one unit more', () => {
    const at = 'n'.repeat(ITEM_LIMITS.nameChars)
    expect(ok(deviceConfiguration, { id: '1', displayName: at })).toMatchObject({
      displayName: at,
      truncatedValues: 0
    })
    expect(ok(deviceConfiguration, { id: '1', displayName: `${at}x` })).toMatchObject({
      displayName: at,
      truncatedValues: 1
    })
  })

  it('cuts before a high surrogate at the cap, and keeps a low one', () => {
    const head = 'a'.repeat(ITEM_LIMITS.nameChars - 1)
    for (const high of [0xd800, 0xdbff]) {
      const name = head + String.fromCharCode(high, 0xdc00) + 'z'
      expect(ok(deviceConfiguration, { id: '1', displayName: name }).displayName).toBe(head)
    }
    for (const other of [0xd7ff, 0xdc00]) {
      const name = head + String.fromCharCode(other) + 'zz'
      expect(ok(deviceConfiguration, { id: '1', displayName: name }).displayName).toBe(
        head + String.fromCharCode(other)
      )
    }
  })

  it('keeps a name within the cap as it is, even one ending in a lone high surrogate', () => {
    const name = 'a'.repeat(ITEM_LIMITS.nameChars - 1) + '\ud800'
    expect(ok(deviceConfiguration, { id: '1', displayName: name })).toMatchObject({
      displayName: name,
      truncatedValues: 0
    })
  })

  it('keeps null and booleans as they are', () => {
    const d = typeWithKeys('a', 'b', 'c')
    const item = ok(d, { id: '1', a: null, b: true, c: [false, null] })
    expect(meta(item)).toEqual({ a: null, b: true, c: [false, null] })
    expect(item.truncatedValues).toBe(0)
    expect(item.droppedKeys).toBe(0)
  })

  it('drops values JSON cannot hold, counting the key or the value', () => {
    const d = typeWithKeys('a', 'b')
    const item = ok(d, { id: '1', a: undefined, b: [1, 2n, () => 3] })
    expect(meta(item)).toEqual({ b: [1] })
    expect(item.droppedKeys).toBe(1)
    expect(item.truncatedValues).toBe(3)
  })

  it('keeps 100 array entries and cuts the 101st', () => {
    const d = typeWithKeys('a')
    const hundred = Array.from({ length: ITEM_LIMITS.arrayEntries }, (_, i) => i)
    expect(ok(d, { id: '1', a: hundred }).truncatedValues).toBe(0)
    const more = ok(d, { id: '1', a: [...hundred, 100] })
    expect(meta(more).a).toEqual(hundred)
    expect(more.truncatedValues).toBe(1)
  })

  it('drops arrays nested deeper than the cap, leaving their parents', () => {
    const d = typeWithKeys('a')
    const item = ok(d, { id: '1', a: [[['x', ['too deep']]]] })
    expect(meta(item).a).toEqual([[['x']]])
    expect(item.truncatedValues).toBe(1)
  })
})

describe('normalizeItem: meta byte budget', () => {
  // keys k0..k8: each entry is `"kN":"<value>"`, 7 bytes plus the value's length
  const keys = Array.from({ length: 9 }, (_, i) => `k${i}`)
  const d = typeWithKeys(...keys)
  const withLengths = (lengths: number[]): Record<string, unknown> => ({
    id: '1',
    ...Object.fromEntries(lengths.map((n, i) => [`k${i}`, 'v'.repeat(n)]))
  })
  const bytes = (item: NormalizedItem): number => Buffer.byteLength(item.metaJson, 'utf8')
  // k1..k8 together: 2 + (7 * 2040 + 2039) + 8 * 7 + 7 commas = 16384 bytes, exactly the budget
  const fits = [2048, 2040, 2040, 2040, 2040, 2040, 2040, 2040, 2039]

  it('drops only the largest key when the rest fits exactly', () => {
    const item = ok(d, withLengths(fits))
    expect(bytes(item)).toBe(ITEM_LIMITS.metaBytes)
    expect(Object.keys(meta(item))).toEqual(keys.slice(1))
    expect(item.droppedKeys).toBe(1)
  })

  it('drops the next largest when the rest is one byte over', () => {
    const item = ok(d, withLengths([...fits.slice(0, 8), 2040]))
    expect(Object.keys(meta(item))).toEqual(['k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'])
    expect(item.droppedKeys).toBe(2)
    expect(bytes(item)).toBeLessThanOrEqual(ITEM_LIMITS.metaBytes)
  })

  it('drops the first key by name among equally large ones', () => {
    // dropping one of the two 2048-long values is enough in both cases
    const first = ok(d, withLengths([2048, 2048, 2040, 2040, 2040, 2040, 2040, 2040, 2031]))
    expect(Object.keys(meta(first))).toEqual(keys.slice(1))
    const later = ok(d, withLengths([2031, 2048, 2048, 2040, 2040, 2040, 2040, 2040, 2039]))
    expect(Object.keys(meta(later))).toEqual(keys.filter((k) => k !== 'k1'))
    // by name, not by the order Graph sent the keys in
    const sentBackwards = Object.fromEntries(
      Object.entries(withLengths([2048, 2048, 2040, 2040, 2040, 2040, 2040, 2040, 2031])).reverse()
    )
    expect(Object.keys(meta(ok(d, sentBackwards)))).toEqual(keys.slice(1))
  })

  it('counts multi-byte characters by their UTF-8 size', () => {
    // 9 x 1000 'é' is 9000 characters but 18000 bytes: over the budget
    const item = ok(d, { id: '1', ...Object.fromEntries(keys.map((k) => [k, 'é'.repeat(1000)])) })
    expect(bytes(item)).toBeLessThanOrEqual(ITEM_LIMITS.metaBytes)
    expect(item.droppedKeys).toBe(1)
  })
})

describe('platform rules at their edges', () => {
  const flags = (value: unknown): string =>
    resolvePlatform({ kind: 'platformsProp', property: 'platforms' }, { platforms: value })
  const ca = (includePlatforms: unknown): string =>
    resolvePlatform({ kind: 'caConditions' }, { conditions: { platforms: { includePlatforms } } })

  it('platformsProp: ignores empty and "none" flags, and names what it cannot read', () => {
    expect(flags('windows10, ')).toBe('windows')
    expect(flags('windows10,none')).toBe('windows')
    expect(flags('tvOS')).toBe('unknown')
    expect(flags(['windows10', 5])).toBe('multi')
    expect(flags(['macOS'])).toBe('macos')
  })

  it('caConditions: "all" anywhere in the list, in any case, means any platform', () => {
    expect(ca(['windows', ' All '])).toBe('any')
    expect(ca(['windowsPhone'])).toBe('windows')
    expect(ca([' windowsPhone '])).toBe('windows')
    expect(ca(['unknownFutureValue'])).toBe('unknown')
    expect(ca([5])).toBe('unknown')
    expect(ca(['linux', 5])).toBe('multi')
  })

  it('odataType: the longest prefix wins whatever the order of the table', () => {
    const rule = {
      kind: 'odataType',
      prefixes: { iosUpdate: 'macos', ios: 'ios' },
      fallback: 'multi'
    } as const
    expect(resolvePlatform(rule, { '@odata.type': '#microsoft.graph.iosUpdateConfiguration' })).toBe('macos')
  })
})
