import type { Logger } from '../util/logger'
import type { SyncEvent, SyncEventListener } from './sync-events'

/**
 * Hands the engine's sync events to every listener (the IPC forwarder, the tenants overview, the CLI's
 * progress lines). A listener that throws is logged and skipped: one broken window must not stop a sync or
 * the other listeners.
 */
export class SyncEventHub {
  private readonly listeners = new Set<SyncEventListener>()

  constructor(private readonly logger: Logger) {}

  readonly emit = (event: SyncEvent): void => {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (err) {
        this.logger.warn({ err: String(err) }, 'sync event listener threw')
      }
    }
  }

  /** returns the function that stops the listener */
  readonly on = (listener: SyncEventListener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
