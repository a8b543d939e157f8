import { describe, expect, it } from 'vitest'
import { SyncEventHub } from '../../main/inventory/sync-event-hub'
import type { SyncEvent } from '../../main/inventory/sync-events'
import type { Logger } from '../../main/util/logger'

const queued = (requestId: string): SyncEvent => ({ kind: 'queued', requestId, tenantId: 't1', position: 1 })

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  const none = (): void => {}
  return { warnings, debug: none, info: none, error: none, warn: (_obj, msg) => warnings.push(msg ?? '') }
}

describe('SyncEventHub', () => {
  it('gives every event to every listener until it stops listening', () => {
    const hub = new SyncEventHub(recordingLogger())
    const a: string[] = []
    const b: string[] = []
    const stopA = hub.on((e) => a.push(e.requestId))
    hub.on((e) => b.push(e.requestId))
    hub.emit(queued('r1'))
    stopA()
    hub.emit(queued('r2'))
    expect(a).toEqual(['r1'])
    expect(b).toEqual(['r1', 'r2'])
  })

  it('logs a listener that throws and still reaches the others', () => {
    const logger = recordingLogger()
    const hub = new SyncEventHub(logger)
    const seen: string[] = []
    hub.on(() => {
      throw new Error('broken window')
    })
    hub.on((e) => seen.push(e.requestId))
    expect(() => hub.emit(queued('r1'))).not.toThrow()
    expect(seen).toEqual(['r1'])
    expect(logger.warnings).toEqual(['sync event listener threw'])
  })
})
