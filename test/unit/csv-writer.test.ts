import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import v8 from 'node:v8'
import vm from 'node:vm'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeCsv, writeCsvFile } from '../../main/export/csv-writer'
import type { CsvColumn } from '../../main/export/csv-writer'
import { formatCell, neutralizeFormula, restoreNeutralized } from '../../main/export/sanitize-cell'

const BOM = Buffer.from([0xef, 0xbb, 0xbf])

interface Sample {
  name: string | null | undefined
  count: number | null
  ok: boolean
}

const SAMPLE_COLUMNS: readonly CsvColumn<Sample>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'count', kind: 'number', value: (r) => r.count },
  { header: 'ok', kind: 'boolean', value: (r) => r.ok }
]

/** A Writable that keeps everything it receives. */
function memorySink(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = []
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk)
      cb()
    }
  })
  return { out, bytes: () => Buffer.concat(chunks) }
}

async function csvOf<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): Promise<Buffer> {
  const sink = memorySink()
  await writeCsv({ columns, rows, out: sink.out })
  return sink.bytes()
}

function parseCsv(buf: Buffer): string[][] {
  return parse(buf, { bom: true, relax_column_count: false }) as string[][]
}

function countOccurrences(haystack: Buffer, needle: Buffer): number {
  let n = 0
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) n++
  return n
}

describe('neutralizeFormula / formatCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', "'\r=1"],
    ['   =1+1', "'   =1+1"],
    ['\n@x', "'\n@x"],
    ['\u00a0-1', "'\u00a0-1"],
    ['\uff1d1+1', "'\uff1d1+1"],
    ['Baseline - Windows', 'Baseline - Windows'],
    ['a=b', 'a=b'],
    ["'quoted", "''quoted"],
    [" 'spaced", " 'spaced"],
    ['', '']
  ])('%j becomes %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected)
  })

  it('never leaves a formula trigger first (after whitespace), adds at most one quote, and is reversible', () => {
    const trigger = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\0', ' ', '\n', 'a', '\uff20', "'")
    const hostile = fc.tuple(fc.array(trigger, { maxLength: 4 }), fc.string()).map(([p, s]) => p.join('') + s)
    fc.assert(
      fc.property(fc.oneof(fc.string(), hostile), (s) => {
        const out = neutralizeFormula(s)
        expect(out === s || out === "'" + s).toBe(true)
        expect(/^[=+\-@\t\r\0\uff1d\uff0b\uff0d\uff20]/.test(out.trimStart())).toBe(false)
        // a reader can always get the tenant's text back, even for texts that start with a quote
        expect(restoreNeutralized(out)).toBe(s)
      }),
      { numRuns: 2000 }
    )
  })

  it('does not prefix genuine numbers in number columns, but does in text columns', () => {
    expect(formatCell(-2, 'number')).toBe('-2')
    expect(formatCell(0, 'number')).toBe('0')
    expect(formatCell(-2, 'text')).toBe("'-2")
    expect(formatCell('-2', 'number')).toBe("'-2")
    expect(formatCell(Number.NaN, 'number')).toBe('')
    expect(formatCell(true, 'boolean')).toBe('true')
    expect(formatCell(false)).toBe('false')
    expect(formatCell(null)).toBe('')
    expect(formatCell(undefined, 'timestamp')).toBe('')
  })
})

describe('writeCsv encoding', () => {
  it('round-trips hostile values through csv-parse with injection neutralised and RFC 4180 quoting', async () => {
    const cases: Array<[Sample['name'], string]> = [
      ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
      ['+1', "'+1"],
      ['-2+3', "'-2+3"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tleading tab', "'\tleading tab"],
      ['a, b, c', 'a, b, c'],
      ['say "hi"', 'say "hi"'],
      ['line1\r\nline2', 'line1\r\nline2'],
      ['lf\nonly', 'lf\nonly'],
      ['cr\ronly', 'cr\ronly'],
      ['🛡️ Baseline 𝔘𝔫𝔦 — ÆØÅ 中文', '🛡️ Baseline 𝔘𝔫𝔦 — ÆØÅ 中文'],
      [null, ''],
      [undefined, '']
    ]
    const rows: Sample[] = cases.map(([name], i) => ({ name, count: i - 3, ok: i % 2 === 0 }))
    const parsed = parseCsv(await csvOf(SAMPLE_COLUMNS, rows))

    expect(parsed[0]).toEqual(['name', 'count', 'ok'])
    expect(parsed).toHaveLength(cases.length + 1)
    cases.forEach(([, expected], i) => {
      expect(parsed[i + 1]).toEqual([expected, String(i - 3), i % 2 === 0 ? 'true' : 'false'])
    })
  })

  it('writes the BOM exactly once, CRLF record separators and quotes only where RFC 4180 requires', async () => {
    const buf = await csvOf(SAMPLE_COLUMNS, [
      { name: 'plain', count: 1, ok: true },
      { name: 'x\ny', count: null, ok: false },
      { name: 'q"q', count: 2, ok: true }
    ])
    expect(buf.subarray(0, 3).equals(BOM)).toBe(true)
    expect(countOccurrences(buf, BOM)).toBe(1)
    expect(buf.subarray(3).toString('utf8')).toBe(
      'name,count,ok\r\nplain,1,true\r\n"x\ny",,false\r\n"q""q",2,true\r\n'
    )
  })

  it('writes BOM and header even when there are no rows', async () => {
    const buf = await csvOf(SAMPLE_COLUMNS, [])
    expect(buf.equals(Buffer.concat([BOM, Buffer.from('name,count,ok\r\n')]))).toBe(true)
  })

  it('accepts async iterables and reports rows and bytes', async () => {
    async function* rows(): AsyncGenerator<Sample> {
      for (let i = 0; i < 5; i++) yield { name: `n${i}`, count: i, ok: true }
    }
    const sink = memorySink()
    const result = await writeCsv({ columns: SAMPLE_COLUMNS, rows: rows(), out: sink.out })
    expect(result).toEqual({ rows: 5, bytes: sink.bytes().length })
    expect(parseCsv(sink.bytes())).toHaveLength(6)
  })

  it('does not end the output stream it was given', async () => {
    const sink = memorySink()
    await writeCsv({ columns: SAMPLE_COLUMNS, rows: [], out: sink.out })
    expect(sink.out.writableEnded).toBe(false)
  })

  it('rejects duplicate headers before writing anything', async () => {
    const sink = memorySink()
    const columns: CsvColumn<Sample>[] = [
      { header: 'a', value: (r) => r.name },
      { header: 'a', value: (r) => r.count }
    ]
    await expect(writeCsv({ columns, rows: [], out: sink.out })).rejects.toMatchObject({
      code: 'INVALID_INPUT'
    })
    expect(sink.bytes().length).toBe(0)
  })

  it('fails with the output error and closes the row source when the output breaks', async () => {
    let closed = false
    let pulled = 0
    function* rows(): Generator<Sample> {
      try {
        for (let i = 0; i < 100_000; i++) {
          pulled++
          yield { name: `row ${i} ${'y'.repeat(200)}`, count: i, ok: true }
        }
      } finally {
        closed = true
      }
    }
    let received = 0
    const out = new Writable({
      highWaterMark: 256,
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length
        if (received > 4096) cb(new Error('disk full'))
        else setImmediate(cb)
      }
    })
    await expect(writeCsv({ columns: SAMPLE_COLUMNS, rows: rows(), out })).rejects.toThrow('disk full')
    expect(closed).toBe(true)
    // stopped within a few stream buffers (~64 KiB, ~300 rows), not after draining the whole source
    expect(pulled).toBeLessThan(2000)
  })
})

describe('writeCsv streaming', () => {
  /** A real, forced GC so heap samples measure what is retained, not garbage awaiting collection. */
  function forceGc(): () => void {
    v8.setFlagsFromString('--expose-gc')
    return vm.runInNewContext('gc') as () => void
  }

  it('streams 200k rows from a generator with flat memory, pulling rows only as the writer drains', async () => {
    const gc = forceGc()
    const TOTAL = 200_000
    const filler = 'x'.repeat(400)
    const CRLF = Buffer.from('\r\n')

    let pulled = 0
    let recordsWritten = 0 // header included
    let maxLead = 0
    function* rows(): Generator<Sample> {
      for (let i = 0; i < TOTAL; i++) {
        pulled++
        maxLead = Math.max(maxLead, pulled - (recordsWritten - 1))
        // unique text per row, ~450 bytes encoded: 200k of them buffered would be ~90 MB
        yield { name: `policy ${i} ${filler}`, count: i, ok: i % 3 === 0 }
      }
    }

    const samples: number[] = []
    const retained = (): number => {
      gc()
      const m = process.memoryUsage()
      return m.heapUsed + m.external
    }
    const baseline = retained()
    let bytesSeen = 0
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        bytesSeen += chunk.length
        const before = recordsWritten
        recordsWritten += countOccurrences(chunk, CRLF)
        if (Math.floor(before / 20_000) !== Math.floor(recordsWritten / 20_000)) samples.push(retained())
        // a slow consumer: completes on a later turn, so the writer has to wait for 'drain'
        setImmediate(cb)
      }
    })

    const result = await writeCsv({ columns: SAMPLE_COLUMNS, rows: rows(), out })

    expect(result.rows).toBe(TOTAL)
    expect(result.bytes).toBe(bytesSeen)
    expect(result.bytes).toBeGreaterThan(TOTAL * 400)
    expect(recordsWritten).toBe(TOTAL + 1)
    expect(samples.length).toBeGreaterThanOrEqual(9)
    const growthMb = (Math.max(...samples) - baseline) / 1024 / 1024
    expect(growthMb).toBeLessThan(40)
    // Backpressure: the source runs only the stream buffers ahead of the slow writer (the encoder's 64 KiB
    // readable buffer is ~150 rows of this size), never thousands of rows.
    expect(maxLead).toBeLessThan(1000)
    console.info(`csv stream: max lead ${maxLead} rows, peak retained growth ${growthMb.toFixed(1)} MB`)
  })
})

describe('writeCsvFile', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atlas-csv-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes the complete file under the final name and leaves no partial file', async () => {
    const path = join(dir, 'inventory.csv')
    const rows: Sample[] = [
      { name: '=1+1', count: 3, ok: true },
      { name: 'plain', count: null, ok: false }
    ]
    const result = await writeCsvFile({ columns: SAMPLE_COLUMNS, rows, path })
    expect(result.path).toBe(path)
    expect(result.rows).toBe(2)
    expect((await stat(path)).size).toBe(result.bytes)
    expect(parseCsv(await readFile(path))).toEqual([
      ['name', 'count', 'ok'],
      ["'=1+1", '3', 'true'],
      ['plain', '', 'false']
    ])
    expect(await readdir(dir)).toEqual(['inventory.csv'])
  })

  it('on abort mid-stream removes the partial file, never creates the final one, and closes the source', async () => {
    const path = join(dir, 'missing.csv')
    const controller = new AbortController()
    let partialSeenDuringExport = false
    let closed = false
    async function* rows(): AsyncGenerator<Sample> {
      try {
        for (let i = 0; i < 50_000; i++) {
          if (i === 5_000) {
            partialSeenDuringExport = existsSync(`${path}.partial`)
            controller.abort()
          }
          yield { name: `row ${i}`, count: i, ok: true }
        }
      } finally {
        closed = true
      }
    }
    await expect(
      writeCsvFile({ columns: SAMPLE_COLUMNS, rows: rows(), path, signal: controller.signal })
    ).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(partialSeenDuringExport).toBe(true)
    expect(closed).toBe(true)
    expect(existsSync(path)).toBe(false)
    expect(existsSync(`${path}.partial`)).toBe(false)
  })

  it('keeps the previous export intact when the row source fails', async () => {
    const path = join(dir, 'runs.csv')
    await writeFile(path, 'previous export')
    function* rows(): Generator<Sample> {
      for (let i = 0; i < 3000; i++) yield { name: `row ${i}`, count: i, ok: true }
      throw new Error('database is locked')
    }
    await expect(writeCsvFile({ columns: SAMPLE_COLUMNS, rows: rows(), path })).rejects.toThrow(
      'database is locked'
    )
    expect(await readFile(path, 'utf8')).toBe('previous export')
    expect(await readdir(dir)).toEqual(['runs.csv'])
  })

  it('rejects an already aborted export without leaving any file', async () => {
    const path = join(dir, 'x.csv')
    await expect(
      writeCsvFile({ columns: SAMPLE_COLUMNS, rows: [], path, signal: AbortSignal.abort() })
    ).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(await readdir(dir)).toEqual([])
  })

  it('fails cleanly when the target directory does not exist', async () => {
    const path = join(dir, 'nope', 'x.csv')
    await expect(writeCsvFile({ columns: SAMPLE_COLUMNS, rows: [], path })).rejects.toMatchObject({
      code: 'ENOENT'
    })
    expect(await readdir(dir)).toEqual([])
  })
})
