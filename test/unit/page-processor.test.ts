import { describe, expect, it } from 'vitest'
import type { PolicyTypeDef } from '../../domain/policy-type'
import { emptyTypeOutcome } from '../../domain/run'
import { getPolicyType, POLICY_TYPES } from '../../main/graph/registry'
import { addOutcome, processPage, type CollectionState } from '../../main/inventory/page-processor'

function def(key: string): PolicyTypeDef {
  const found = getPolicyType(key)
  if (!found) throw new Error(`missing type ${key}`)
  return found
}

const CONFIG_PATH = '/deviceManagement/deviceConfigurations'
const siblings = POLICY_TYPES.filter((t) => t.path === CONFIG_PATH)

function state(selected: string[], seen: Record<string, string[]> = {}): CollectionState {
  const types = selected.map(def).filter((t) => t.path === CONFIG_PATH)
  return { types, siblings, seen: new Map(types.map((t) => [t.key, new Set(seen[t.key] ?? [])])) }
}

const ring = (id: string) => ({
  id,
  displayName: `Ring ${id}`,
  '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration'
})
const plain = (id: string) => ({
  id,
  displayName: `Config ${id}`,
  '@odata.type': '#microsoft.graph.windows10GeneralConfiguration'
})

describe('processPage', () => {
  it('routes each item to the type of the split that owns it', () => {
    const page = processPage(state(['windowsUpdateRing', 'deviceConfiguration']), [ring('a'), plain('b')])
    expect(page.items.map((i) => [i.policyType, i.externalId])).toEqual([
      ['windowsUpdateRing', 'a'],
      ['deviceConfiguration', 'b']
    ])
    expect(page.delta.windowsUpdateRing).toMatchObject({ pages: 1, observed: 1 })
    expect(page.delta.deviceConfiguration).toMatchObject({ pages: 1, observed: 1 })
  })

  it('leaves out items of a sibling type the selection does not cover', () => {
    const page = processPage(state(['deviceConfiguration']), [ring('a'), plain('b')])
    expect(page.items.map((i) => i.externalId)).toEqual(['b'])
    expect(page.delta.deviceConfiguration).toMatchObject({ observed: 1, skippedItems: 0 })
  })

  it('counts an item that cannot be normalised as skipped and writes nothing of it', () => {
    const page = processPage(state(['deviceConfiguration']), [
      { displayName: 'no id' },
      'not an object',
      plain('b')
    ])
    expect(page.items.map((i) => i.externalId)).toEqual(['b'])
    expect(page.delta.deviceConfiguration).toMatchObject({ observed: 1, skippedItems: 2 })
  })

  it('drops a repeat of an id stored earlier in the run or earlier on the page, as a duplicate', () => {
    const page = processPage(state(['deviceConfiguration'], { deviceConfiguration: ['old'] }), [
      plain('old'),
      plain('new'),
      plain('new')
    ])
    expect(page.items.map((i) => i.externalId)).toEqual(['new'])
    expect(page.delta.deviceConfiguration).toMatchObject({ observed: 1, duplicateItems: 2 })
    expect([...page.newIds.get('deviceConfiguration')!]).toEqual(['new'])
  })

  it('does not touch the seen ids it was given (they move only after the commit)', () => {
    const s = state(['deviceConfiguration'])
    processPage(s, [plain('x')])
    expect(s.seen.get('deviceConfiguration')!.size).toBe(0)
  })

  it('leaves out an item the registry excludes from every type of the path, counting nothing', () => {
    const APP_POLICIES = '/deviceAppManagement/managedAppPolicies'
    const types = [def('appProtectionPolicy')]
    const page = processPage(
      {
        types,
        siblings: POLICY_TYPES.filter((t) => t.path === APP_POLICIES),
        seen: new Map([['appProtectionPolicy', new Set<string>()]])
      },
      [
        {
          id: 'cfg',
          displayName: 'MAM config',
          '@odata.type': '#microsoft.graph.targetedManagedAppConfiguration'
        },
        { id: 'pol', displayName: 'iOS MAM', '@odata.type': '#microsoft.graph.iosManagedAppProtection' }
      ]
    )
    expect(page.items.map((i) => i.externalId)).toEqual(['pol'])
    expect(page.delta.appProtectionPolicy).toMatchObject({ observed: 1, skippedItems: 0, duplicateItems: 0 })
  })

  it('counts a value that is not an object as skipped under the first type of the collection', () => {
    const page = processPage(state(['windowsUpdateRing', 'deviceConfiguration']), [null, [plain('a')], 7])
    expect(page.items).toEqual([])
    expect(page.delta.windowsUpdateRing).toMatchObject({ skippedItems: 3 })
    expect(page.delta.deviceConfiguration).toMatchObject({ skippedItems: 0 })
  })

  it('adds up the keys each item dropped and the values it cut', () => {
    const page = processPage(state(['deviceConfiguration']), [
      { ...plain('a'), notInTheWhitelist: 1, neither: 2 },
      { ...plain('b'), description: 'x'.repeat(5000), alsoUnknown: true }
    ])
    expect(page.items).toHaveLength(2)
    expect(page.delta.deviceConfiguration).toMatchObject({ observed: 2, droppedKeys: 3, truncatedValues: 1 })
  })

  it('counts an empty page as a page of each type', () => {
    const page = processPage(state(['windowsUpdateRing', 'deviceConfiguration']), [])
    expect(page.items).toEqual([])
    expect(page.delta.windowsUpdateRing).toEqual({ ...emptyTypeOutcome(), pages: 1 })
  })
})

describe('addOutcome', () => {
  it('adds the counts and keeps the status and error of the base', () => {
    const base = {
      ...emptyTypeOutcome(),
      status: 'running' as const,
      pages: 2,
      observed: 5,
      errorCode: 'INTERNAL' as const
    }
    const page = {
      ...emptyTypeOutcome(),
      pages: 1,
      observed: 3,
      skippedItems: 1,
      duplicateItems: 2,
      droppedKeys: 4,
      truncatedValues: 5
    }
    expect(addOutcome(base, page)).toEqual({
      ...base,
      pages: 3,
      observed: 8,
      skippedItems: 1,
      duplicateItems: 2,
      droppedKeys: 4,
      truncatedValues: 5
    })
  })
})
