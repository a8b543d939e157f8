/**
 * Reads a response body up to a byte limit: stops (and cancels the stream) at the first chunk that passes
 * it, so a hostile or runaway body never sits in memory whole. `overLimit` says whether it was cut; `bytes`
 * holds what was read (the first chunk past the limit included).
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number
): Promise<{ bytes: Buffer; overLimit: boolean }> {
  if (!body) return { bytes: Buffer.alloc(0), overLimit: false }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      return { bytes: Buffer.concat(chunks, total), overLimit: true }
    }
  }
  return { bytes: Buffer.concat(chunks, total), overLimit: false }
}
