import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AtlasApi } from '../../main/app/atlas-api'
import { createAtlas, type CreateAtlasOptions } from '../../main/app/create-atlas'
import type { DemoSummary } from '../../main/demo/demo-tenant'
import { DEMO_DELETED_COUNT, DEMO_FORBIDDEN_PATH } from '../../main/demo/demo-tenant'
import { demoData } from '../../main/demo/demo-data'
import { countItems } from '../../main/demo/simulator/tenant-generator'
import { routingFetch } from '../../main/net/routing-fetch'
import { FakeClock } from '../support/fake-clock'
import { runInProcess } from './cli-support'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-demo-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/**
 * The real demo path: real MSAL against the demo authority, real HTTP to the simulator on loopback, real
 * throttling with Retry-After. Only the engine's clock is virtual, so the Retry-After waits are free: the
 * engine runs inline and reaches the simulator by the routes the CLI gives its worker.
 */
const demo = (argv: string[]) => runInProcess(['--data-dir', dir, ...argv], { createAtlas: inlineEngine })

function inlineEngine(o: CreateAtlasOptions, onRequest?: () => void): AtlasApi {
  const given = o.syncThread?.kind === 'worker' ? o.syncThread.routes : undefined
  const routes = typeof given === 'function' ? given() : Promise.resolve(given ?? {})
  return createAtlas({
    ...o,
    syncThread: { kind: 'inline' },
    clock: new FakeClock(Date.now()),
    fetch: async (url, init) => {
      onRequest?.()
      return routingFetch(await routes)(url, init)
    }
  })
}

type DemoJson = Omit<DemoSummary, 'tenant'> & {
  exitCode: number
  tenant: { id: string; displayName: string }
}

describe('tenant-atlas demo', () => {
  it('first run: creates the labelled Demo tenant and syncs every category with some throttling', async () => {
    const r = await demo(['demo', '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const s = r.json<DemoJson>()
    expect(s).toMatchObject({ created: true, scenario: 'first', tenant: { displayName: 'Demo' } })
    expect(s.run.status).toBe('success')
    expect(s.run.trigger).toBe('demo')
    expect(s.throttled.count).toBeGreaterThanOrEqual(2)
    // a realistic mid-size tenant: a few hundred objects, every category populated
    expect(s.run.itemsObservedCount).toBeGreaterThan(300)
    expect(s.run.itemsObservedCount).toBeLessThanOrEqual(countItems(demoData('first')))
    expect(s.categories.filter((c) => c.objects === 0)).toEqual([])
    expect(Object.values(s.run.typeOutcomes).every((o) => o.status === 'complete')).toBe(true)
    expect(s.missing.items).toEqual([])

    const tenants = (await demo(['tenants', 'list', '--json'])).json<{
      tenants: Array<{ isDemo: boolean; credentialSource: string }>
    }>()
    expect(tenants.tenants).toEqual([expect.objectContaining({ isDemo: true, credentialSource: 'demo' })])
  })

  it('second run: deleted objects are absent, the refused type is not_collected, confidence is low', async () => {
    expect((await demo(['demo'])).code).toBe(0)
    const r = await demo(['demo', '--json'])
    expect(r.code).toBe(0)
    const s = r.json<DemoJson>()
    expect(s).toMatchObject({ created: false, scenario: 'changed' })
    expect(s.run.status).toBe('partial')
    expect(s.notCollected).toEqual([
      expect.objectContaining({ policyType: 'deviceManagementScript', errorCode: 'GRAPH_FORBIDDEN' })
    ])
    expect(s.missing.lowConfidence).toBe(true)
    const absent = s.missing.items.filter((i) => i.reason === 'absent')
    const unknown = s.missing.items.filter((i) => i.reason === 'not_collected')
    expect(absent).toHaveLength(DEMO_DELETED_COUNT)
    expect(unknown.length).toBe(demoData('changed')[DEMO_FORBIDDEN_PATH]!.length)
    expect(new Set(unknown.map((i) => i.policyType))).toEqual(new Set(['deviceManagementScript']))

    // `missing` tells the same story, with the reason for low confidence
    const missing = await demo(['missing', '--tenant', 'Demo'])
    expect(missing.stdout).toContain('LOW CONFIDENCE: the run was partial')
    expect(missing.stdout).toContain('[GRAPH_FORBIDDEN]')
    expect(missing.stdout).toMatch(/absent\s+\S+/)
    // tables name the types as the window does; the JSON above keeps the keys
    expect(missing.stdout).toMatch(/not_collected\s+PowerShell script \(Windows\)/)
    const changes = await demo(['changes', '--tenant', 'Demo', '--since', '1'])
    expect(changes.code).toBe(0)
    const gone = changes.stdout.slice(changes.stdout.indexOf('\nGone\n'))
    expect(gone).toMatch(/\nPowerShell script \(Windows\)\s+\S/)
    expect(gone).not.toMatch(/\ndeviceManagementScript\s/)

    // and a plain `sync --tenant Demo` goes through the same simulator (exit 4: partial)
    expect((await demo(['sync', '--tenant', 'Demo'])).code).toBe(4)
  })

  it('reads well for a human: counts, throttling, and what to run next', async () => {
    const first = await demo(['demo'])
    expect(first.stdout).toMatch(/Demo tenant "Demo" created and synced: success in .+ \(run 1\)\./)
    expect(first.stdout).toMatch(
      /Graph throttled the sync \d+ times; it waited [\d.]+ s as Retry-After asked\./
    )
    expect(first.stdout).toContain('tenant-atlas demo        again')
    const second = await demo(['demo'])
    expect(second.stdout).toContain('1 policy type was not collected:')
    expect(second.stdout).toContain(`Missing since earlier syncs:`)
    expect(second.stdout).toContain('Confidence is LOW: run 2 was partial')
    expect(second.stdout).toContain('tenant-atlas export --tenant Demo --view missing --out missing.csv')
  })

  it('an interrupted first demo exits 130 and the next demo still shows the pristine tenant', async () => {
    let interrupt: (() => void) | undefined
    let requests = 0
    const r = await runInProcess(['--data-dir', dir, 'demo'], {
      // press Ctrl-C during the 3rd Graph request
      createAtlas: (o) =>
        inlineEngine(o, () => {
          if (++requests === 3) interrupt?.()
        }),
      onInterrupt: (handler) => {
        interrupt = handler
        return () => (interrupt = undefined)
      }
    })
    expect(r.code).toBe(130)
    expect(r.stdout).toMatch(/^Interrupted: demo run 1 was cancelled/)
    const again = (await demo(['demo', '--json'])).json<DemoJson>()
    expect(again).toMatchObject({ scenario: 'first', created: false })
    expect(again.run.status).toBe('success')
  })

  it('does not take over a real tenant named Demo', async () => {
    const r = await runInProcess([
      '--data-dir',
      dir,
      'tenants',
      'add',
      '--name',
      'Demo',
      '--tenant-id',
      'demo-client.onmicrosoft.com',
      '--client-id',
      '11111111-2222-3333-4444-555555555555',
      '--client-secret-env',
      'NOT_USED'
    ])
    expect(r.code).toBe(0)
    const s = (await demo(['demo', '--json'])).json<DemoJson>()
    expect(s.tenant.displayName).toBe('Demo 2')
  })
})
