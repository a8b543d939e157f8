import { describe, expect, it, vi } from 'vitest'
import type { AtlasApi } from '../../main/app/atlas-api'
import { AtlasError } from '../../domain/error-codes'
import { hintFor } from '../../domain/error-hints'
import type { SyncEvent } from '../../main/inventory/sync-events'
import {
  createHandlers,
  forwardSyncEvents,
  suggestedFileName,
  type EventTarget
} from '../../main/ipc/handlers'
import { createSenderCheck, registerIpc, type InvokeEventLike } from '../../main/ipc/register'
import type { Logger } from '../../main/util/logger'
import { CHANNEL_NAMES, type ChannelHandlers, type Result } from '../../preload/contract'

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown

function fakeIpcMain() {
  const registered = new Map<string, Listener>()
  return {
    registered,
    handle: vi.fn((channel: string, listener: Listener) => {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`)
      registered.set(channel, listener)
    }),
    removeHandler: vi.fn((channel: string) => registered.delete(channel)),
    async invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<Result<unknown>> {
      const listener = registered.get(channel)
      if (!listener) throw new Error(`no handler for ${channel}`)
      return (await listener(event, ...args)) as Result<unknown>
    }
  }
}

function recordingLogger() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = []
  const at =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj, msg })
    }
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
  return { logger, lines }
}

const APP_URL = 'file:///opt/tenant-atlas/out/renderer/index.html'
const ourContents = { id: 1 }
const otherContents = { id: 2 }

function setup(handlerOverrides: Partial<ChannelHandlers> = {}, appUrl = APP_URL) {
  const ipcMain = fakeIpcMain()
  const { logger, lines } = recordingLogger()
  const spies = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, vi.fn(handlerOverrides[name] ?? (() => `value of ${name}`))])
  ) as unknown as ChannelHandlers
  const unregister = registerIpc({
    ipcMain,
    logger,
    handlers: spies,
    isTrustedSender: createSenderCheck({ appUrl, isOurWebContents: (s) => s === ourContents })
  })
  const spy = (name: keyof ChannelHandlers) => spies[name] as unknown as ReturnType<typeof vi.fn>
  return { ipcMain, lines, spy, unregister }
}

const trusted: InvokeEventLike = { sender: ourContents, senderFrame: { url: APP_URL, parent: null } }

describe('registerIpc: sender check', () => {
  const rejected: Array<[string, InvokeEventLike]> = [
    [
      'a foreign origin in our window',
      { sender: ourContents, senderFrame: { url: 'https://evil.test/', parent: null } }
    ],
    ['another local file', { sender: ourContents, senderFrame: { url: 'file:///etc/passwd', parent: null } }],
    [
      'a data: page',
      { sender: ourContents, senderFrame: { url: 'data:text/html,<h1>x</h1>', parent: null } }
    ],
    [
      'a sub-frame showing our page',
      { sender: ourContents, senderFrame: { url: APP_URL, parent: { url: APP_URL } } }
    ],
    ['a window we did not create', { sender: otherContents, senderFrame: { url: APP_URL, parent: null } }],
    ['a destroyed frame', { sender: ourContents, senderFrame: null }]
  ]

  it.each(rejected)('rejects %s without calling the handler', async (_label, event) => {
    const { ipcMain, spy } = setup()
    const result = await ipcMain.invoke('tenants:list', event, undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_SENDER_REJECTED' } })
    expect(spy('tenants:list')).not.toHaveBeenCalled()
  })

  it('treats a sender check that throws (frame gone mid-call) as untrusted', async () => {
    const ipcMain = fakeIpcMain()
    const handlers = Object.fromEntries(CHANNEL_NAMES.map((n) => [n, vi.fn()])) as unknown as ChannelHandlers
    const handler = vi.fn(() => [])
    handlers['tenants:list'] = handler
    registerIpc({
      ipcMain,
      isTrustedSender: () => {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      },
      handlers
    })
    const result = await ipcMain.invoke('tenants:list', trusted, undefined)
    expect(result.ok).toBe(false)
    expect(handler).not.toHaveBeenCalled()
  })

  it('compares dev-server origins as URLs, not prefixes', async () => {
    const devUrl = 'http://localhost:5173/'
    const { ipcMain, spy } = setup({}, devUrl)
    const lookalike = {
      sender: ourContents,
      senderFrame: { url: 'http://localhost:5173.evil.test/', parent: null }
    }
    expect((await ipcMain.invoke('tenants:list', lookalike, undefined)).ok).toBe(false)
    const ok = {
      sender: ourContents,
      senderFrame: { url: 'http://localhost:5173/index.html?x=1', parent: null }
    }
    expect(await ipcMain.invoke('tenants:list', ok, undefined)).toEqual({
      ok: true,
      value: 'value of tenants:list'
    })
    expect(spy('tenants:list')).toHaveBeenCalledOnce()
  })
})

describe('registerIpc: validation and results', () => {
  it('registers every contract channel once and can remove them all', () => {
    const { ipcMain, unregister } = setup()
    expect([...ipcMain.registered.keys()].sort()).toEqual([...CHANNEL_NAMES].sort())
    unregister()
    expect(ipcMain.registered.size).toBe(0)
  })

  it('answers invalid input with INVALID_INPUT and never calls the handler', async () => {
    const { ipcMain, spy } = setup()
    const bad = await ipcMain.invoke('runs:get', trusted, { runId: -1 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(bad.ok === false && bad.error.message).toMatch(/runId/)
    const extra = await ipcMain.invoke('runs:get', trusted, { runId: 1, admin: true })
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const twoArgs = await ipcMain.invoke('runs:get', trusted, { runId: 1 }, { runId: 2 })
    expect(twoArgs).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(spy('runs:get')).not.toHaveBeenCalled()
  })

  it('passes the parsed input to the handler and wraps the value', async () => {
    const { ipcMain, spy } = setup({ 'runs:get': ({ runId }) => ({ id: runId }) as never })
    expect(await ipcMain.invoke('runs:get', trusted, { runId: 42 })).toEqual({ ok: true, value: { id: 42 } })
    expect(spy('runs:get')).toHaveBeenCalledExactlyOnceWith({ runId: 42 })
  })

  it('returns an AtlasError as its stable code and message', async () => {
    const { ipcMain } = setup({
      'tenants:get': () => {
        throw new AtlasError('NOT_FOUND', 'No tenant named or with id "Fabrikam".')
      }
    })
    expect(await ipcMain.invoke('tenants:get', trusted, { idOrName: 'Fabrikam' })).toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'No tenant named or with id "Fabrikam".',
        hint: hintFor('NOT_FOUND', 'app')
      }
    })
  })

  it('hides unexpected errors behind INTERNAL and logs them redacted', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXZhbHVl'
    const { ipcMain, lines } = setup({
      'sync:active': async () => {
        throw new Error(`request failed: Authorization: Bearer ${jwt}`)
      }
    })
    const result = await ipcMain.invoke('sync:active', trusted, undefined)
    expect(result).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Unexpected error (see log)', hint: hintFor('INTERNAL', 'app') }
    })
    expect(JSON.stringify(result)).not.toContain('eyJ')
    const logged = lines.filter((l) => l.level === 'error')
    expect(logged).toHaveLength(1)
    expect(JSON.stringify(logged)).toContain('request failed')
    expect(JSON.stringify(logged)).not.toContain(jwt)
    expect(JSON.stringify(logged)).not.toContain('eyJhbGciOiJSUzI1NiJ9')
  })

  it('scrubs a token even from an AtlasError message and from zod messages', async () => {
    const { ipcMain } = setup({
      'runs:get': () => {
        throw new AtlasError('GRAPH_UNAUTHORIZED', 'token eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.abc was refused')
      }
    })
    const fromEngine = await ipcMain.invoke('runs:get', trusted, { runId: 1 })
    expect(fromEngine).toMatchObject({ ok: false, error: { code: 'GRAPH_UNAUTHORIZED' } })
    expect(JSON.stringify(fromEngine)).not.toContain('eyJ')

    // an unknown key is echoed by zod: a token used as a key must not come back
    const fromZod = await ipcMain.invoke('runs:get', trusted, {
      runId: 1,
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.abc': 1
    })
    expect(fromZod).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(JSON.stringify(fromZod)).not.toContain('eyJ')
  })

  it('turns a non-Error throw into INTERNAL too', async () => {
    const { ipcMain } = setup({
      'tenants:list': () => {
        throw 'client_secret=abc123456789'
      }
    })
    const result = await ipcMain.invoke('tenants:list', trusted, undefined)
    expect(result).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Unexpected error (see log)', hint: hintFor('INTERNAL', 'app') }
    })
  })
})

describe('handlers', () => {
  function fakeApi(overrides: Partial<AtlasApi> = {}): AtlasApi {
    return new Proxy(overrides as AtlasApi, {
      get: (target, prop: string) =>
        prop in target
          ? target[prop as keyof AtlasApi]
          : () => Promise.reject(new Error(`unexpected ${prop}`))
    })
  }

  it('starts syncs as button presses whatever the page would like', async () => {
    const startSync = vi.fn(() => ({ requestId: 'r-1' }))
    const handlers = createHandlers({
      api: fakeApi({ startSync }),
      exploreDemo: vi.fn(),
      chooseSavePath: vi.fn()
    })
    await handlers['sync:start']({ tenantId: 'Contoso', selection: { categories: ['apps'] } })
    expect(startSync).toHaveBeenCalledWith({
      tenantId: 'Contoso',
      selection: { categories: ['apps'] },
      trigger: 'button'
    })
  })

  it('exports only to the path the user chose, and not at all when the dialog is cancelled', async () => {
    const exportCsv = vi.fn(async (input: { path: string }) => ({ rows: 3, bytes: 120, path: input.path }))
    const chooseSavePath = vi.fn<(name: string) => Promise<string | undefined>>()
    const handlers = createHandlers({ api: fakeApi({ exportCsv }), exploreDemo: vi.fn(), chooseSavePath })

    chooseSavePath.mockResolvedValueOnce(undefined)
    expect(await handlers['export:csv']({ view: 'runs', tenant: 'Contoso' })).toEqual({ canceled: true })
    expect(exportCsv).not.toHaveBeenCalled()

    chooseSavePath.mockResolvedValueOnce('/home/me/runs.csv')
    expect(await handlers['export:csv']({ view: 'runs', tenant: 'Contoso' })).toEqual({
      canceled: false,
      rows: 3,
      bytes: 120,
      path: '/home/me/runs.csv'
    })
    expect(exportCsv).toHaveBeenCalledWith({ view: 'runs', tenant: 'Contoso', path: '/home/me/runs.csv' })
    expect(chooseSavePath).toHaveBeenLastCalledWith('tenant-atlas-runs-Contoso.csv')
  })

  it('suggests file names without path separators or odd characters', () => {
    expect(suggestedFileName({ view: 'inventory', tenant: '../../etc/passwd' })).toBe(
      'tenant-atlas-inventory-etc-passwd.csv'
    )
    expect(suggestedFileName({ view: 'missing', tenant: { all: true } })).toBe(
      'tenant-atlas-missing-all-tenants.csv'
    )
    expect(suggestedFileName({ view: 'runs', tenant: '///' })).toBe('tenant-atlas-runs.csv')
  })

  it('forwards sync events to live windows only, until unsubscribed', () => {
    let listener: ((e: SyncEvent) => void) | undefined
    const api = {
      onSyncEvent: (l: (e: SyncEvent) => void) => {
        listener = l
        return () => {
          listener = undefined
        }
      },
      tenantOverview: () => []
    }
    const live: EventTarget = { isDestroyed: () => false, send: vi.fn() }
    const dead: EventTarget = { isDestroyed: () => true, send: vi.fn() }
    const stop = forwardSyncEvents(api, () => [live, dead])
    const event: SyncEvent = { kind: 'queued', requestId: 'r', tenantId: 't', position: 2 }
    listener?.(event)
    expect(live.send).toHaveBeenCalledExactlyOnceWith('sync:progress', event)
    expect(dead.send).not.toHaveBeenCalled()
    stop()
    expect(listener).toBeUndefined()
  })

  it("pushes the tenant's overview row right after a run's finished event", () => {
    let listener: ((e: SyncEvent) => void) | undefined
    const row = { tenant: { id: 't' }, lastRun: { runId: 9 }, missing: null, live: { state: 'idle' } }
    const tenantOverview = vi.fn((input?: { tenantId?: string }) => (input?.tenantId === 't' ? [row] : []))
    const api = {
      onSyncEvent: (l: (e: SyncEvent) => void) => {
        listener = l
        return () => undefined
      },
      tenantOverview: tenantOverview as unknown as AtlasApi['tenantOverview']
    }
    const sent: Array<[string, unknown]> = []
    forwardSyncEvents(api, () => [{ isDestroyed: () => false, send: (c, p) => void sent.push([c, p]) }])
    listener?.({ kind: 'type_started', requestId: 'r', tenantId: 't', runId: 9, policyType: 'mobileApp' })
    expect(tenantOverview).not.toHaveBeenCalled()
    const finished: SyncEvent = {
      kind: 'finished',
      requestId: 'r',
      tenantId: 't',
      runId: 9,
      status: 'success',
      hadErrors: false,
      errorCodes: [],
      itemsObserved: 3,
      itemsUpserted: 3
    }
    listener?.(finished)
    expect(sent.map(([c]) => c)).toEqual(['sync:progress', 'sync:progress', 'tenants:overview-changed'])
    expect(sent[1]![1]).toBe(finished)
    expect(sent[2]![1]).toBe(row)
  })
})
