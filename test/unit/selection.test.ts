import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import { selectionInputSchema } from '../../domain/selection'
import { getPolicyType, POLICY_TYPES } from '../../main/graph/registry'
import {
  canonicalJson,
  effectivePolicyTypes,
  normalizeSelection,
  selectionHash,
  typesToSync
} from '../../main/inventory/selection'
import { selectionSchema } from '../../preload/contract'

function invalid(input: unknown): AtlasError {
  try {
    normalizeSelection(input)
  } catch (err) {
    expect(err).toBeInstanceOf(AtlasError)
    expect((err as AtlasError).code).toBe('INVALID_INPUT')
    return err as AtlasError
  }
  throw new Error(`expected INVALID_INPUT for ${JSON.stringify(input)}`)
}

const hashOf = (input: unknown): string => selectionHash(normalizeSelection(input))

describe('normalizeSelection', () => {
  it('sorts, de-duplicates and fills boolean defaults', () => {
    expect(
      normalizeSelection({
        policy_types: ['mobileApp', 'compliancePolicy', 'mobileApp'],
        categories: ['updates', 'apps', 'updates']
      })
    ).toEqual({
      categories: ['apps', 'updates'],
      include_dependencies: false,
      include_foundations: false,
      policy_types: ['compliancePolicy', 'mobileApp']
    })
    expect(
      normalizeSelection({ categories: ['identity'], include_foundations: true, include_dependencies: true })
    ).toEqual({
      categories: ['identity'],
      include_dependencies: true,
      include_foundations: true,
      policy_types: []
    })
  })

  it('drops keys that are not scope', () => {
    const sel = normalizeSelection({ policy_types: ['mobileApp'], trigger: 'cli', correlation_id: 'abc' })
    expect(Object.keys(sel).sort()).toEqual([
      'categories',
      'include_dependencies',
      'include_foundations',
      'policy_types'
    ])
    expect(hashOf({ policy_types: ['mobileApp'], trigger: 'button' })).toBe(
      hashOf({ policy_types: ['mobileApp'] })
    )
  })

  it('refuses unknown policy types and categories, naming the value', () => {
    expect(invalid({ policy_types: ['mobileApp', 'mobileApps'] }).message).toContain('"mobileApps"')
    expect(invalid({ policy_types: ['MobileApp'] }).message).toContain('"MobileApp"')
    expect(invalid({ policy_types: ['toString'] }).message).toContain('"toString"')
    expect(invalid({ categories: ['Security'] }).message).toContain('"Security"')
    expect(invalid({ categories: ['tenant-admin'] }).message).toMatch(/unknown category "tenant-admin"/)
    // a hostile value is echoed shortened, not verbatim
    expect(invalid({ policy_types: ['x'.repeat(10_000)] }).message.length).toBeLessThan(200)
  })

  it('refuses wrong shapes with a message naming the field', () => {
    expect(invalid(null).message).toMatch(/selection must be an object/)
    expect(invalid('mobileApp').message).toMatch(/selection must be an object/)
    expect(invalid([]).message).toMatch(/selection must be an object/)
    expect(invalid({ policy_types: 'mobileApp' }).message).toMatch(
      /policy_types must be an array of strings.*"mobileApp"/
    )
    expect(invalid({ categories: null }).message).toMatch(/categories must be an array of strings, got null/)
    expect(invalid({ policy_types: ['mobileApp', 7] }).message).toMatch(
      /policy_types\[1\] must be a string, got number 7/
    )
    expect(invalid({ categories: [{}] }).message).toMatch(/categories\[0\] must be a string/)
    expect(invalid({ policy_types: ['mobileApp'], include_foundations: 'yes' }).message).toMatch(
      /include_foundations must be a boolean.*"yes"/
    )
    expect(invalid({ policy_types: ['mobileApp'], include_dependencies: 1 }).message).toMatch(
      /include_dependencies must be a boolean, got number 1/
    )
  })

  it('echoes a bad value whole up to 80 characters, then cut with an ellipsis', () => {
    const at80 = 'x'.repeat(80)
    expect(invalid({ policy_types: [at80] }).message).toBe(`unknown policy type "${at80}"`)
    expect(invalid({ policy_types: [`${at80}yz`] }).message).toBe(`unknown policy type "${at80}…"`)
    expect(invalid({ policy_types: ['mobileApp'], include_foundations: 10n ** 100n }).message).toBe(
      `include_foundations must be a boolean, got bigint ${'1' + '0'.repeat(79)}`
    )
  })

  it('names the kind of a wrong value exactly', () => {
    expect(invalid({ policy_types: [['mobileApp']] }).message).toBe(
      'policy_types[0] must be a string, got an array'
    )
    expect(invalid({ categories: [{}] }).message).toBe('categories[0] must be a string, got an object')
    expect(invalid({ policy_types: ['mobileApp'], include_dependencies: [] }).message).toBe(
      'include_dependencies must be a boolean, got an array'
    )
  })

  it('refuses keys and lists beyond the bounds the page is held to, naming them', () => {
    expect(invalid({ policy_types: ['mobileApp', ''] }).message).toBe(
      'policy_types[1] must be 1 to 100 characters, got 0'
    )
    expect(invalid({ categories: ['c'.repeat(101)] }).message).toBe(
      'categories[0] must be 1 to 100 characters, got 101'
    )
    expect(invalid({ policy_types: Array<string>(101).fill('mobileApp') }).message).toBe(
      'policy_types may list at most 100 entries, got 101'
    )
    // at the bound: accepted (duplicates collapse)
    expect(normalizeSelection({ policy_types: Array<string>(100).fill('mobileApp') }).policy_types).toEqual([
      'mobileApp'
    ])
  })

  it('has the shape the page must send: one schema, strict where the page sends it', () => {
    const fromPage = { policy_types: ['mobileApp'], include_foundations: true }
    expect(selectionSchema.parse(fromPage)).toEqual(selectionInputSchema.parse(fromPage))
    // a key that is not scope: the engine drops it, the page may not send it
    expect(normalizeSelection({ ...fromPage, trigger: 'x' }).policy_types).toEqual(['mobileApp'])
    expect(selectionSchema.safeParse({ ...fromPage, trigger: 'x' }).success).toBe(false)
    // the bounds are the same on both sides
    const tooMany = { policy_types: Array<string>(101).fill('mobileApp') }
    expect(selectionSchema.safeParse(tooMany).success).toBe(false)
    expect(() => normalizeSelection(tooMany)).toThrow(/at most 100/)
  })

  it('refuses an empty scope', () => {
    for (const input of [
      {},
      { policy_types: [] },
      { policy_types: [], categories: [] },
      { include_foundations: true }
    ]) {
      expect(invalid(input).message).toBe('select at least one policy type or category')
    }
  })
})

describe('selectionHash', () => {
  it('is sha256 hex of the canonical normalized payload', () => {
    const sel = normalizeSelection({ policy_types: ['mobileApp'] })
    const expected = createHash('sha256')
      .update(
        '{"categories":[],"include_dependencies":false,"include_foundations":false,"policy_types":["mobileApp"]}'
      )
      .digest('hex')
    expect(selectionHash(sel)).toBe(expected)
    expect(selectionHash(sel)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('ignores key order, array order, duplicates and explicit defaults', () => {
    const reference = hashOf({ policy_types: ['mobileApp', 'compliancePolicy'], categories: ['apps'] })
    expect(
      hashOf({
        categories: ['apps', 'apps'],
        policy_types: ['compliancePolicy', 'mobileApp', 'compliancePolicy']
      })
    ).toBe(reference)
    expect(
      hashOf({
        include_dependencies: false,
        categories: ['apps'],
        include_foundations: false,
        policy_types: ['mobileApp', 'compliancePolicy']
      })
    ).toBe(reference)
    // a hand-built selection that skipped normalization still hashes by scope
    expect(
      selectionHash({
        policy_types: ['mobileApp', 'compliancePolicy', 'mobileApp'],
        categories: ['apps'],
        include_foundations: false,
        include_dependencies: false
      })
    ).toBe(reference)
  })

  it('differs for every change of scope', () => {
    const variants = [
      { policy_types: ['mobileApp'] },
      { policy_types: ['compliancePolicy'] },
      { policy_types: ['mobileApp', 'compliancePolicy'] },
      { categories: ['apps'] },
      { categories: ['apps'], policy_types: ['mobileApp'] },
      { policy_types: ['mobileApp'], include_foundations: true },
      { policy_types: ['mobileApp'], include_dependencies: true },
      { policy_types: ['mobileApp'], include_foundations: true, include_dependencies: true }
    ]
    const hashes = variants.map(hashOf)
    expect(new Set(hashes).size).toBe(variants.length)
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: 0, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,1,{"y":null,"z":0}]},"b":1}'
    )
    expect(canonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}')
    expect(canonicalJson([undefined])).toBe('[null]')
  })
})

describe('effectivePolicyTypes', () => {
  const sel = (input: unknown): string[] => effectivePolicyTypes(normalizeSelection(input))
  const foundations = POLICY_TYPES.filter((d) => d.foundation).map((d) => d.key)

  it('returns the chosen types, sorted', () => {
    expect(sel({ policy_types: ['mobileApp', 'compliancePolicy'] })).toEqual([
      'compliancePolicy',
      'mobileApp'
    ])
  })

  it('expands categories to all of their types', () => {
    const apps = POLICY_TYPES.filter((d) => d.category === 'apps').map((d) => d.key)
    expect(apps.length).toBeGreaterThan(1)
    expect(sel({ categories: ['apps'] })).toEqual([...apps].sort())
    expect(sel({ categories: ['apps'], policy_types: ['namedLocation'] })).toEqual(
      [...apps, 'namedLocation'].sort()
    )
  })

  it('adds foundations only when asked', () => {
    expect(foundations.length).toBeGreaterThan(0)
    const without = sel({ policy_types: ['deviceShellScript'] })
    expect(without).toEqual(['deviceShellScript'])
    const withFoundations = sel({ policy_types: ['deviceShellScript'], include_foundations: true })
    expect(withFoundations).toEqual(['deviceShellScript', ...foundations].sort())
  })

  it('adds dependencies transitively only when asked', () => {
    expect(sel({ policy_types: ['policySet'] })).toEqual(['policySet'])
    const withDeps = sel({ policy_types: ['policySet'], include_dependencies: true })
    // direct references of a policy set
    for (const dep of getPolicyType('policySet')?.dependsOn ?? []) expect(withDeps).toContain(dep)
    // and their references in turn: policySet -> compliancePolicy -> notificationMessageTemplate
    expect(getPolicyType('policySet')?.dependsOn).not.toContain('notificationMessageTemplate')
    expect(withDeps).toContain('notificationMessageTemplate')
    expect(withDeps).toEqual([...withDeps].sort())
    expect(new Set(withDeps).size).toBe(withDeps.length)
    // closed under dependsOn
    for (const key of withDeps) {
      for (const dep of getPolicyType(key)?.dependsOn ?? []) expect(withDeps).toContain(dep)
    }
    expect(sel({ categories: ['identity'], include_dependencies: true })).toEqual([
      'conditionalAccessPolicy',
      'namedLocation'
    ])
  })
})

describe('typesToSync', () => {
  it("takes the selection's types less the tenant's exclusions, in the same order", () => {
    const sel = normalizeSelection({ categories: ['compliance'] })
    const all = effectivePolicyTypes(sel)
    expect(typesToSync(sel, [])).toEqual(all)
    expect(typesToSync(sel, ['compliancePolicy'])).toEqual(all.filter((t) => t !== 'compliancePolicy'))
    // an excluded type outside the selection changes nothing; excluding all leaves nothing
    expect(typesToSync(sel, ['mobileApp'])).toEqual(all)
    expect(typesToSync(sel, all)).toEqual([])
  })
})
