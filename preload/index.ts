import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { BRIDGE_METHODS, CHANNEL_NAMES, EVENT_NAMES } from './channel-names'
import type { AtlasBridge } from './contract'

/**
 * window.atlas: one function per contract channel and an event subscription, nothing more. The page never
 * gets ipcRenderer (it could invoke any channel or listen to anything) and never sees the IpcRendererEvent
 * (its `sender` is ipcRenderer again). Input is not checked here: main validates every call anyway, and
 * this file must stay a tiny sandboxed bundle (it imports channel names only, no zod).
 */
function buildBridge(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): AtlasBridge {
  const bridge: Record<string, unknown> = {}
  for (const channel of CHANNEL_NAMES) {
    bridge[BRIDGE_METHODS[channel]] = (input?: unknown) => ipc.invoke(channel, input)
  }
  bridge.on = (event: string, listener: (payload: unknown) => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event) || typeof listener !== 'function') {
      throw new TypeError(`Unknown event ${String(event).slice(0, 40)}`)
    }
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipc.on(event, wrapped)
    return () => {
      ipc.removeListener(event, wrapped)
    }
  }
  return Object.freeze(bridge) as AtlasBridge
}

contextBridge.exposeInMainWorld('atlas', buildBridge(ipcRenderer))
