import { describe, expect, it } from 'vitest'
import type { PolicyTypeDef } from '../../domain/policy-type'
import { getPolicyType } from '../../main/graph/registry'
import { collectionOrder, readCollections } from '../../main/inventory/collection-scheduler'

function defs(...keys: string[]): PolicyTypeDef[] {
  return keys.map((k) => {
    const d = getPolicyType(k)
    if (!d) throw new Error(`missing type ${k}`)
    return d
  })
}

describe('collectionOrder', () => {
  it('reads one collection once for the types it feeds together', () => {
    const order = collectionOrder(defs('windowsUpdateRing', 'deviceConfiguration', 'mobileApp'), {})
    expect(order.map((g) => g.path).sort()).toEqual([
      '/deviceAppManagement/mobileApps',
      '/deviceManagement/deviceConfigurations'
    ])
    const configs = order.find((g) => g.path === '/deviceManagement/deviceConfigurations')!
    expect(configs.types.map((t) => t.key).sort()).toEqual(['deviceConfiguration', 'windowsUpdateRing'])
  })

  it('puts the longest known page chain first', () => {
    const order = collectionOrder(defs('deviceConfiguration', 'mobileApp', 'settingsCatalogPolicy'), {
      deviceConfiguration: 3,
      mobileApp: 12,
      settingsCatalogPolicy: 7
    })
    expect(order.map((g) => g.types[0]!.key)).toEqual([
      'mobileApp',
      'settingsCatalogPolicy',
      'deviceConfiguration'
    ])
  })

  it('weighs a collection that feeds several types by the longest chain among them', () => {
    const order = collectionOrder(defs('windowsUpdateRing', 'deviceConfiguration', 'mobileApp'), {
      windowsUpdateRing: 10,
      deviceConfiguration: 1,
      mobileApp: 5
    })
    expect(order.map((g) => g.path)).toEqual([
      '/deviceManagement/deviceConfigurations',
      '/deviceAppManagement/mobileApps'
    ])
  })

  it('without history, puts types with small pages (longer chains) first, and any known chain before a guess', () => {
    const cold = collectionOrder(defs('deviceConfiguration', 'settingsCatalogPolicy'), {})
    expect(cold.map((g) => g.types[0]!.key)).toEqual(['settingsCatalogPolicy', 'deviceConfiguration'])
    const known = collectionOrder(defs('deviceConfiguration', 'settingsCatalogPolicy'), {
      deviceConfiguration: 1
    })
    expect(known.map((g) => g.types[0]!.key)).toEqual(['deviceConfiguration', 'settingsCatalogPolicy'])
  })
})

describe('readCollections', () => {
  /** reads settle only when the test says so: the order of starts is what the scheduler decides */
  function gatedReader() {
    const started: string[] = []
    const gates = new Map<string, () => void>()
    const read = (id: string): Promise<void> =>
      new Promise((resolve) => {
        started.push(id)
        gates.set(id, resolve)
      })
    const finish = async (id: string): Promise<void> => {
      gates.get(id)!()
      for (let i = 0; i < 5; i++) await Promise.resolve()
    }
    return { started, read, finish }
  }

  it('keeps at most `concurrency` reads going and starts the next from the head as one ends', async () => {
    const r = gatedReader()
    const all = readCollections(['a', 'b', 'c', 'd'], 2, r.read)
    expect(r.started).toEqual(['a', 'b'])
    await r.finish('b')
    expect(r.started).toEqual(['a', 'b', 'c'])
    await r.finish('a')
    expect(r.started).toEqual(['a', 'b', 'c', 'd'])
    await r.finish('c')
    await r.finish('d')
    await all
  })

  it('uses one slot when asked for none, and ends at once with nothing to read', async () => {
    const r = gatedReader()
    const all = readCollections(['a', 'b'], 0, r.read)
    expect(r.started).toEqual(['a'])
    await r.finish('a')
    await r.finish('b')
    await all
    await readCollections([], 6, r.read)
    expect(r.started).toEqual(['a', 'b'])
  })
})
