import { describe, expect, it } from 'vitest'
import { AtlasError } from '../../domain/error-codes'
import {
  bridgedFetch,
  deserializeError,
  PendingCalls,
  performFetch,
  serializeError
} from '../../main/sync-worker/bridge'
import type { FetchReply } from '../../main/sync-worker/protocol'

describe('sync worker bridge', () => {
  it('errors keep their code, name and network cause across the thread boundary', () => {
    const atlas = deserializeError(serializeError(new AtlasError('AUTH_SECRET_EXPIRED', 'expired')))
    expect(atlas).toBeInstanceOf(AtlasError)
    expect(atlas).toMatchObject({ code: 'AUTH_SECRET_EXPIRED', message: 'expired' })

    const net = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' })
    })
    const back = deserializeError(serializeError(net))
    expect(back).not.toBeInstanceOf(AtlasError)
    expect(back.name).toBe('TypeError')
    expect((back.cause as { code: string }).code).toBe('ECONNRESET')

    // an unknown code (another build's worker) is not trusted as an AtlasError
    const odd = deserializeError({ code: 'NOPE' as never, name: 'Error', message: 'm' })
    expect(odd).not.toBeInstanceOf(AtlasError)
    expect(serializeError('plain')).toEqual({ name: 'Error', message: 'plain' })
  })

  it('the API thread reads at most maxBytes + 1 bytes of a body and passes status and headers through', async () => {
    // ten chunks of 1000 bytes, as a network stream delivers them
    const chunk = new TextEncoder().encode('x'.repeat(1000))
    const stream = (): ReadableStream<Uint8Array> => {
      let sent = 0
      return new ReadableStream({
        pull(c) {
          if (sent++ < 10) c.enqueue(chunk)
          else c.close()
        }
      })
    }
    const fetchImpl = async (): Promise<Response> =>
      new Response(stream(), {
        status: 200,
        headers: { 'request-id': 'r-1', 'content-type': 'application/json' }
      })
    const small = await performFetch(
      fetchImpl,
      { url: 'https://g/x', method: 'GET', headers: {} },
      100_000,
      new AbortController().signal
    )
    expect(small.reply.status).toBe(200)
    expect(new Map(small.reply.headers).get('request-id')).toBe('r-1')
    expect(small.reply.body!.byteLength).toBe(10_000)
    expect(small.transfer).toEqual([small.reply.body])

    const capped = await performFetch(
      fetchImpl,
      { url: 'https://g/x', method: 'GET', headers: {} },
      1000,
      new AbortController().signal
    )
    // the reading stops at the first chunk past the limit: enough for the worker to see "too large"
    expect(capped.reply.body!.byteLength).toBe(2000)
  })

  it('the worker side rebuilds a Response, keeps null-body statuses bodiless, and forwards aborts', async () => {
    const calls = new PendingCalls<FetchReply>()
    const posted: Array<{ t: string; callId: number }> = []
    const f = bridgedFetch(calls, (m) => posted.push(m), 1000)

    const ok = f('https://g/a', { method: 'GET', headers: { authorization: 'Bearer t' } })
    const body = new TextEncoder().encode('{"value":[]}').buffer
    calls.settle(posted[0]!.callId, {
      value: { status: 200, statusText: 'OK', headers: [['retry-after', '3']], body }
    })
    const res = await ok
    expect(res.status).toBe(200)
    expect(res.headers.get('retry-after')).toBe('3')
    expect(await res.json()).toEqual({ value: [] })

    const empty = f('https://g/b', { method: 'GET', headers: {} })
    calls.settle(posted[1]!.callId, {
      value: { status: 204, statusText: '', headers: [], body: new ArrayBuffer(0) }
    })
    expect((await empty).status).toBe(204)

    const failed = f('https://g/c', { method: 'GET', headers: {} })
    calls.settle(posted[2]!.callId, {
      error: { name: 'TypeError', message: 'fetch failed', causeCode: 'ENOTFOUND' }
    })
    await expect(failed).rejects.toThrow('fetch failed')

    const controller = new AbortController()
    const aborted = f('https://g/d', { method: 'GET', headers: {}, signal: controller.signal })
    controller.abort(new AtlasError('CANCELLED', 'stop'))
    await expect(aborted).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(posted.at(-1)).toEqual({ t: 'fetch-abort', callId: posted[3]!.callId })
    // a late answer for the aborted call is dropped
    expect(() => calls.settle(posted[3]!.callId, { error: { name: 'Error', message: 'late' } })).not.toThrow()
  })
})
