/**
 * The web host's wire format on its one WebSocket (JSON text frames). The page sends calls, the host
 * answers each with the same Result the IPC handlers return, and pushes events in between.
 * Shared by the host (server.ts) and the page's bridge (web-bridge.ts); types and constants only.
 */
import type { Result } from '../../preload/contract'

/** the path the page's socket connects to; the per-start token rides in its query (`?token=`) */
export const SOCKET_PATH = '/atlas'
/** the bridge script the host serves and adds to index.html before the renderer bundle */
export const BRIDGE_PATH = '/web-bridge.js'
/** largest frame the host accepts: a PFX certificate (base64) is the biggest legitimate input */
export const MAX_FRAME_BYTES = 1024 * 1024

export interface CallMessage {
  id: number
  channel: string
  /** absent when the method takes no input (JSON has no `undefined`) */
  input?: unknown
}

export type HostMessage =
  { kind: 'result'; id: number; result: Result<unknown> } | { kind: 'event'; event: string; payload: unknown }
