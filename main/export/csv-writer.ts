/**
 * Streaming CSV writer shared by the CLI and the desktop app.
 *
 * Exports can hold hundreds of thousands of rows, so nothing here holds the file in memory: rows are pulled
 * one at a time from a (lazy, DB-backed) iterable, encoded by csv-stringify, and written to the output while
 * honouring its backpressure. A slow disk therefore slows the DB cursor down instead of growing the heap.
 *
 * Encoding (the public contract is docs/csv-format.md): RFC 4180 quoting, CRLF record separators, UTF-8
 * with a BOM (so Excel does not read the file as ANSI), header row first, formula injection neutralised
 * per cell by sanitize-cell.ts.
 */
import { createWriteStream } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import { AtlasError } from '../../domain/error-codes'
import { formatCell } from './sanitize-cell'
import type { CellKind, CellValue } from './sanitize-cell'
import { makePrivate, PRIVATE_FILE_MODE } from '../util/private-files'

export interface CsvColumn<Row> {
  header: string
  value: (row: Row) => CellValue
  /** defaults to 'text'; only 'number' columns skip formula neutralisation (see sanitize-cell.ts) */
  kind?: CellKind
}

export interface CsvWriteResult {
  /** data rows written, header excluded */
  rows: number
  /** bytes handed to the output, BOM and header included */
  bytes: number
}

export interface WriteCsvOptions<Row> {
  columns: readonly CsvColumn<Row>[]
  rows: Iterable<Row> | AsyncIterable<Row>
  /**
   * Not ended by writeCsv: the caller owns it (it may be stdout, or a file that writeCsvFile still has to
   * flush and rename).
   */
  out: NodeJS.WritableStream
  signal?: AbortSignal
}

export interface WriteCsvFileOptions<Row> {
  columns: readonly CsvColumn<Row>[]
  rows: Iterable<Row> | AsyncIterable<Row>
  path: string
  signal?: AbortSignal
}

const CRLF = '\r\n'

export async function writeCsv<Row>(opts: WriteCsvOptions<Row>): Promise<CsvWriteResult> {
  const { columns, rows, out, signal } = opts
  assertColumns(columns)
  if (signal?.aborted) throw cancelled()

  let rowCount = 0
  let bytes = 0

  // The header is written as the first record, so the BOM (emitted before the first record) is there even
  // when there are no rows, and a header cell gets the same RFC 4180 quoting as any other cell.
  async function* records(): AsyncGenerator<string[]> {
    yield columns.map((c) => c.header)
    for await (const row of rows) {
      yield columns.map((c) => formatCell(c.value(row), c.kind))
      rowCount++
    }
  }

  const encoder = stringify({
    bom: true,
    record_delimiter: CRLF,
    // csv-stringify stops quoting lone CR / LF once record_delimiter is set; RFC 4180 requires it.
    quote_record_delimiter: true,
    eof: true
  })

  // The output's own 'error' must fail the export (and not crash the process for lack of a listener).
  const outFailed = new AbortController()
  const onOutError = (err: unknown): void => outFailed.abort(err)
  out.on('error', onOutError)

  const stop = signal ? AbortSignal.any([signal, outFailed.signal]) : outFailed.signal

  // pipeline passes its own signal, which also fires when another stage fails: a sink parked on 'drain'
  // must not outlive the export. (@types/node does not declare the second argument.)
  async function sink(chunks: AsyncIterable<Buffer | string>, ctx?: { signal?: AbortSignal }): Promise<void> {
    const halt = ctx?.signal ?? stop
    for await (const chunk of chunks) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
      bytes += buf.length
      if (!out.write(buf)) await drained(out, halt)
    }
  }

  try {
    await pipeline(records, encoder, sink, { signal: stop })
  } catch (err) {
    if (outFailed.signal.aborted) throw outFailed.signal.reason
    if (signal?.aborted) throw cancelled()
    throw err
  } finally {
    out.removeListener('error', onOutError)
  }
  return { rows: rowCount, bytes }
}

/**
 * Writes to `${path}.partial`, fsyncs, then renames over `path`. A failed or cancelled export therefore never
 * leaves a truncated file under the final name, and a previous export at `path` survives the failure.
 * The partial file is removed on every failure path.
 */
export async function writeCsvFile<Row>(
  opts: WriteCsvFileOptions<Row>
): Promise<CsvWriteResult & { path: string }> {
  const partialPath = `${opts.path}.partial`
  // flush: fsync before close, so the rename cannot expose an empty file after a power loss.
  // owner-only whatever the umask: an export is a client's inventory (private-files.ts)
  const file = createWriteStream(partialPath, { flush: true, mode: PRIVATE_FILE_MODE })
  // Kept for the whole lifetime of the stream: an error raised while it is being ended (ENOSPC on the last
  // write, a failed fsync) must fail the export, not be lost between writeCsv returning and the close.
  let fileError: unknown
  file.on('error', (err) => {
    fileError ??= err
  })
  try {
    // open first: an unwritable destination fails before any row is read, and the partial file exists
    // for the whole export
    await new Promise<void>((resolve, reject) => {
      file.once('ready', () => resolve())
      file.once('error', reject)
    })
    // a leftover .partial keeps its old mode when reopened: set it explicitly
    makePrivate(partialPath)
    const result = await writeCsv({ columns: opts.columns, rows: opts.rows, out: file, signal: opts.signal })
    await endAndClose(file)
    if (fileError !== undefined) throw fileError
    await rename(partialPath, opts.path)
    return { ...result, path: opts.path }
  } catch (err) {
    await destroyAndWait(file)
    // On Windows the fd must be closed (above) before the file can be deleted.
    await rm(partialPath, { force: true }).catch(() => undefined)
    throw err
  }
}

function assertColumns<Row>(columns: readonly CsvColumn<Row>[]): void {
  if (columns.length === 0) throw new AtlasError('INVALID_INPUT', 'CSV export needs at least one column')
  const seen = new Set<string>()
  for (const c of columns) {
    if (seen.has(c.header)) {
      throw new AtlasError('INVALID_INPUT', `CSV export has a duplicate column: ${c.header}`)
    }
    seen.add(c.header)
  }
}

function cancelled(): AtlasError {
  return new AtlasError('CANCELLED', 'CSV export was cancelled')
}

/** Resolves on 'drain'; rejects if the output closes first or the export is stopped meanwhile. */
function drained(out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      out.removeListener('drain', onDrain)
      out.removeListener('close', onClose)
      signal.removeEventListener('abort', onAbort)
    }
    const onDrain = (): void => {
      cleanup()
      resolve()
    }
    const onClose = (): void => {
      cleanup()
      reject(new Error('CSV output closed before the export finished'))
    }
    const onAbort = (): void => {
      cleanup()
      reject(signal.reason)
    }
    if (signal.aborted) return reject(signal.reason)
    out.on('drain', onDrain)
    out.on('close', onClose)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Ends the stream and waits for the fd to be closed (after the fsync that `flush` asks for). */
function endAndClose(file: WriteStream): Promise<void> {
  if (file.closed) return Promise.resolve()
  return new Promise<void>((resolve) => {
    file.once('close', () => resolve())
    file.end()
  })
}

function destroyAndWait(file: WriteStream): Promise<void> {
  if (file.closed) return Promise.resolve()
  return new Promise<void>((resolve) => {
    file.once('close', () => resolve())
    file.destroy()
  })
}
