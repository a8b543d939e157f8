import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { z } from 'zod'
import type { AtlasApi, TenantView } from '../../main/app/atlas-api'
import { createAtlas } from '../../main/app/create-atlas'
import { MemorySecretStore } from '../../main/auth/secret-store'
import type { RunSummary } from '../../domain/run'
import type { ForwardedSyncEvent } from '../../main/ipc/progress-coalescer'
import { createHandlers } from '../../main/ipc/handlers'
import { BRIDGE_METHODS, CHANNEL_NAMES, EVENT_NAMES, type ChannelName } from '../../preload/channel-names'
import {
  channels,
  type AtlasBridge,
  type ChannelOutputs,
  type EventPayloads,
  type ParsedInput,
  type Result
} from '../../preload/contract'

// The preload touches electron at import time; capture what it exposes instead.
const electronMock = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  return {
    exposed: [] as Array<[string, unknown]>,
    listeners,
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
      on: vi.fn((channel: string, fn: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set())
        listeners.get(channel)?.add(fn)
      }),
      removeListener: vi.fn((channel: string, fn: (...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(fn)
      })
    }
  }
})
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => electronMock.exposed.push([key, value])
  },
  ipcRenderer: electronMock.ipcRenderer
}))

/** One valid input per channel: the contract must accept it and route it to the declared engine method. */
const VALID: { [K in ChannelName]: unknown } = {
  'registry:types': undefined,
  'registry:categories': undefined,
  'registry:error-codes': undefined,
  'registry:clouds': undefined,
  'tenants:list': undefined,
  'tenants:overview': undefined,
  'tenants:get': { idOrName: 'Contoso' },
  'tenants:add': {
    displayName: 'Contoso',
    azureTenantId: 'contoso.onmicrosoft.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    cloud: 'global',
    credential: { kind: 'secret', value: 's3cr3t-value' }
  },
  'tenants:update': { idOrName: 'Contoso', displayName: 'Contoso EU', authorityHost: null },
  'tenants:remove': { idOrName: 'Contoso' },
  'tenants:exclude-types': { tenantId: 'Contoso', policyTypes: ['mobileApp'] },
  'app:status': undefined,
  'tenants:test': { tenantId: 'Contoso', policyTypes: ['mobileApp'] },
  'sync:start': { tenantId: 'Contoso', selection: { categories: ['apps'] } },
  'sync:cancel': { id: 7 },
  'sync:active': undefined,
  'runs:list': { tenantId: 'Contoso', limit: 10 },
  'runs:get': { runId: 3 },
  'runs:ledger': { runId: 3 },
  'inventory:list': { tenantId: 'Contoso', search: 'bitlocker', limit: 100, offset: 0 },
  'missing:get': { tenantId: 'Contoso', selection: { policy_types: ['deviceConfigurations'] } },
  'export:csv': { view: 'inventory', tenant: { all: true } },
  'demo:explore': undefined,
  'inventory:facets': { tenantId: 'Contoso', filter: { platforms: ['windows'], search: 'vpn' } },
  'inventory:columns-get': undefined,
  'inventory:columns-set': { columns: ['displayName', 'policyType'] },
  'views:list': undefined,
  'views:save': {
    name: 'Windows VPN',
    filter: { platforms: ['windows'] },
    columns: ['displayName'],
    sort: [{ id: 'lastSeenAt', desc: true }]
  },
  'views:delete': { name: 'Windows VPN' },
  'export:pack': { tenant: 'Contoso' },
  'changes:get': { tenantId: 'Contoso', since: '2026-11-01' },
  'changes:mark-visit': { tenantId: 'Contoso', runId: 3 },
  'changes:summary': undefined,
  'cross:matrix': { by: 'name', policyType: 'compliancePolicy', search: 'baseline' },
  'cross:objects': { tenantId: 'Contoso', policyType: 'compliancePolicy', limit: 100 }
}

describe('IPC contract', () => {
  it('has exactly the channels the preload maps, each with a zod input schema', () => {
    expect(Object.keys(channels).sort()).toEqual([...CHANNEL_NAMES].sort())
    for (const name of CHANNEL_NAMES) {
      expect(channels[name].input, name).toBeInstanceOf(z.ZodType)
    }
    // bridge method names are unique and never collide with the event subscription
    const methods = Object.values(BRIDGE_METHODS)
    expect(new Set(methods).size).toBe(methods.length)
    expect(methods).not.toContain('on')
  })

  it('accepts one valid input per channel', () => {
    for (const name of CHANNEL_NAMES) {
      const parsed = channels[name].input.safeParse(VALID[name])
      expect(parsed.success, `${name}: ${parsed.error?.message ?? ''}`).toBe(true)
    }
  })

  it('names AtlasApi methods that the real engine has', async () => {
    const api = createAtlas({ dataDir: ':memory:', secretStore: new MemorySecretStore() })
    try {
      for (const name of CHANNEL_NAMES) {
        // the bridge method is the AtlasApi method serving the channel; the demo is composed in main
        const method = BRIDGE_METHODS[name]
        if (name !== 'demo:explore')
          expect(typeof api[method as keyof AtlasApi], `${name} → ${method}`).toBe('function')
      }
    } finally {
      await api.close()
    }
  })

  it('routes every channel to the engine method it declares', async () => {
    for (const name of CHANNEL_NAMES) {
      const called: string[] = []
      const args: unknown[][] = []
      const api = new Proxy({} as AtlasApi, {
        get:
          (_target, prop) =>
          (...callArgs: unknown[]) => {
            called.push(String(prop))
            args.push(callArgs)
            // enough of an export's and an audit pack's result for the composed handlers
            return { rows: 0, bytes: 0, path: '/chosen.csv', dir: '/chosen', manifest: { files: [] } }
          }
      })
      const exploreDemo = vi.fn(async () => ({ tenantId: 't', requestId: null }))
      const handlers = createHandlers({ api, exploreDemo, chooseSavePath: async () => '/chosen.csv' })
      const input = channels[name].input.parse(VALID[name]) as ParsedInput<typeof name>
      await (handlers[name] as (i: unknown) => unknown)(input)
      if (name === 'demo:explore') {
        expect(called, name).toEqual([])
        expect(exploreDemo).toHaveBeenCalledOnce()
      } else {
        expect(called, name).toEqual([BRIDGE_METHODS[name]])
      }
      // a derived channel hands the engine its parsed input object as is
      if (
        name === 'tenants:test' ||
        name === 'missing:get' ||
        name === 'tenants:update' ||
        name === 'changes:get' ||
        name === 'cross:matrix'
      ) {
        expect(args[0], name).toEqual([input])
      }
    }
  })

  it('derives outputs from AtlasApi and event payloads from the engine (compile-time)', () => {
    expectTypeOf<ChannelOutputs['runs:get']>().toEqualTypeOf<RunSummary>()
    expectTypeOf<ChannelOutputs['tenants:list']>().toEqualTypeOf<TenantView[]>()
    expectTypeOf<ChannelOutputs['tenants:remove']>().toEqualTypeOf<void>()
    expectTypeOf<EventPayloads['sync:progress']>().toEqualTypeOf<ForwardedSyncEvent>()
    expectTypeOf<AtlasBridge['listTenants']>().toEqualTypeOf<() => Promise<Result<TenantView[]>>>()
    expectTypeOf<AtlasBridge['getRun']>().parameter(0).toEqualTypeOf<{ runId: number }>()
    expectTypeOf<ParsedInput<'sync:start'>['tenantId']>().toEqualTypeOf<string>()
  })
})

describe('preload bridge', () => {
  it('exposes window.atlas with one function per channel plus on(), and nothing of ipcRenderer', async () => {
    await import('../../preload/index')
    expect(electronMock.exposed).toHaveLength(1)
    const [key, exposed] = electronMock.exposed[0] as [string, Record<string, unknown>]
    expect(key).toBe('atlas')
    expect(Object.keys(exposed).sort()).toEqual([...Object.values(BRIDGE_METHODS), 'on'].sort())
    for (const value of Object.values(exposed)) {
      expect(typeof value).toBe('function')
      expect(value).not.toBe(electronMock.ipcRenderer)
      expect(Object.values(electronMock.ipcRenderer)).not.toContain(value)
    }
    expect(Object.isFrozen(exposed)).toBe(true)

    const bridge = exposed as unknown as AtlasBridge
    for (const name of CHANNEL_NAMES) {
      electronMock.ipcRenderer.invoke.mockClear()
      const method = (bridge as unknown as Record<string, (input?: unknown) => Promise<unknown>>)[
        BRIDGE_METHODS[name]
      ]
      await method?.(VALID[name])
      expect(electronMock.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(name, VALID[name])
    }
  })

  it('delivers sync:progress payloads without the IpcRendererEvent and unsubscribes', async () => {
    await import('../../preload/index')
    const bridge = electronMock.exposed[0]?.[1] as AtlasBridge
    const received: unknown[][] = []
    const off = bridge.on('sync:progress', (...args: unknown[]) => received.push(args))
    const payload = { kind: 'queued', requestId: 'r1', tenantId: 't1', position: 1 }
    const fakeEvent = { sender: electronMock.ipcRenderer }
    for (const fn of electronMock.listeners.get(EVENT_NAMES[0]) ?? []) fn(fakeEvent, payload)
    expect(received).toEqual([[payload]])

    off()
    for (const fn of electronMock.listeners.get(EVENT_NAMES[0]) ?? []) fn(fakeEvent, payload)
    expect(received).toHaveLength(1)
    expect(electronMock.listeners.get('sync:progress')?.size).toBe(0)

    // only contract events can be subscribed to
    expect(() => (bridge.on as (e: string, cb: () => void) => void)('tenants:list', () => undefined)).toThrow(
      TypeError
    )
  })
})
