import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LockLostError, type PageWrite } from '../../db/repositories/inventory-repo'
import { AtlasError } from '../../domain/error-codes'
import { ThreadPageWriter } from '../../main/sync-worker/thread-page-writer'

/**
 * The engine's side of the page-writer thread, against a stand-in writer script: answers by the number of
 * items (0 → the lock was lost, 1 → committed, 2 → a malformed answer, more → the thread dies mid-write).
 */
const dir = mkdtempSync(join(tmpdir(), 'atlas-writer-'))
const entry = join(dir, 'writer.mjs')
writeFileSync(
  entry,
  `import { parentPort } from 'node:worker_threads'
parentPort.postMessage({ t: 'ready' })
parentPort.on('message', (m) => {
  if (m.t === 'close') { parentPort.postMessage({ t: 'closed' }); parentPort.close(); return }
  const n = m.page.items.length
  const answer = (a) => parentPort.postMessage({ t: 'answer', callId: m.callId, ...a })
  if (n === 0) answer({ error: { name: 'LockLostError', message: 'lost' } })
  else if (n === 1) answer({ value: { upserted: 7 } })
  else if (n === 2) answer({ value: { upserted: -1 } })
  else process.exit(3)
})
`
)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const page = (items: number): PageWrite => ({
  tenantId: 't',
  selectionHash: 'h',
  runId: 1,
  nowIso: '2026-11-30T00:00:00.000Z',
  items: Array.from({ length: items }, (_, i) => ({
    policyType: 'mobileApp',
    externalId: `id-${i}`,
    displayName: `App ${i}`,
    category: 'apps',
    platform: 'all',
    metaJson: '{}'
  })),
  lock: { token: 1, expiresIso: '2026-11-30T00:02:00.000Z' },
  progress: { itemsObserved: items, itemsUpserted: 0, typeOutcomesJson: '{}' }
})

describe('ThreadPageWriter', () => {
  it('resolves commits, keeps a lost lock a LockLostError, refuses a malformed answer, survives its thread dying', async () => {
    const writer = new ThreadPageWriter(entry, join(dir, 'unused.db'))
    await writer.ready()
    await expect(writer.write(page(1))).resolves.toEqual({ upserted: 7 })
    await expect(writer.write(page(0))).rejects.toBeInstanceOf(LockLostError)
    await expect(writer.write(page(2))).rejects.toThrow("Malformed answer to 'write' at upserted")

    const dying = writer.write(page(5))
    await expect(dying).rejects.toBeInstanceOf(AtlasError)
    await expect(dying).rejects.toMatchObject({ code: 'INTERNAL' })
    // the next commit starts a new writer thread
    await expect(writer.write(page(1))).resolves.toEqual({ upserted: 7 })

    await writer.close()
    await expect(writer.write(page(1))).rejects.toMatchObject({ code: 'INTERNAL' })
  })
})
