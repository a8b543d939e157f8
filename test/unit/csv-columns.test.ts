import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { CSV_VIEWS, INVENTORY_COLUMNS, MISSING_COLUMNS, RUN_COLUMNS } from '../../main/export/csv-columns'
import type {
  InventoryExportRow,
  MissingExportRow,
  Provenance,
  RunExportRow
} from '../../main/export/csv-columns'
import { writeCsv } from '../../main/export/csv-writer'
import type { CsvColumn } from '../../main/export/csv-writer'

const DOC_PATH = join(__dirname, '..', '..', 'docs', 'csv-format.md')

interface DocumentedColumn {
  position: number
  header: string
  kind: string
}

/** Reads the `## View \`name\`` sections of docs/csv-format.md and their column tables. */
function documentedViews(): Map<string, DocumentedColumn[]> {
  const text = readFileSync(DOC_PATH, 'utf8')
  const views = new Map<string, DocumentedColumn[]>()
  const sections = text.split(/^## /m).slice(1)
  for (const section of sections) {
    const title = /^View `([a-z_]+)`/.exec(section)
    if (!title?.[1]) continue
    const columns: DocumentedColumn[] = []
    for (const line of section.split('\n')) {
      const m = /^\|\s*(\d+)\s*\|\s*`([^`]+)`\s*\|\s*([a-z]+)\s*\|/.exec(line)
      if (m?.[1] && m[2] && m[3]) columns.push({ position: Number(m[1]), header: m[2], kind: m[3] })
    }
    views.set(title[1], columns)
  }
  return views
}

async function writeToString<Row>(columns: readonly CsvColumn<Row>[], rows: Row[]): Promise<Buffer> {
  const chunks: Buffer[] = []
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk)
      cb()
    }
  })
  await writeCsv({ columns, rows, out })
  return Buffer.concat(chunks)
}

async function recordsOf<Row>(
  columns: readonly CsvColumn<Row>[],
  rows: Row[]
): Promise<Record<string, string>[]> {
  return parse(await writeToString(columns, rows), { bom: true, columns: true }) as Record<string, string>[]
}

const PROVENANCE_ORDER = [
  'source_run_id',
  'source_run_status',
  'source_run_finished_at',
  'confidence',
  'exported_at',
  'app_version'
]

const provenance: Provenance = {
  exportedAt: '2026-03-01T10:00:00.000Z',
  appVersion: '0.1.0',
  sourceRunId: 42,
  sourceRunStatus: 'partial',
  sourceRunFinishedAt: '2026-02-28T09:00:00.000Z',
  confidence: 'low'
}

describe('documented column order (docs/csv-format.md is the public contract)', () => {
  const docs = documentedViews()

  it('documents exactly the views the code exports', () => {
    expect([...docs.keys()].sort()).toEqual(Object.keys(CSV_VIEWS).sort())
  })

  it.each(Object.entries(CSV_VIEWS))(
    'view %s: documented headers, positions and types match',
    (name, cols) => {
      const documented = docs.get(name) ?? []
      expect(documented.map((d) => d.position)).toEqual(documented.map((_, i) => i + 1))
      expect(cols.map((c) => c.header)).toEqual(documented.map((d) => d.header))
      expect(cols.map((c) => c.kind ?? 'text')).toEqual(documented.map((d) => d.kind))
    }
  )

  it.each(Object.entries(CSV_VIEWS))(
    'view %s: the written header row is the documented order',
    async (name, cols) => {
      const buf = await writeToString(cols as readonly CsvColumn<unknown>[], [])
      const [header] = parse(buf, { bom: true }) as string[][]
      expect(header).toEqual((docs.get(name) ?? []).map((d) => d.header))
    }
  )

  // Columns added after a view was published go after app_version (append-only), never before it.
  const APPENDED: Record<string, string[]> = {
    inventory: [],
    missing: ['absent_in_complete_runs'],
    runs: ['types_out_of_selection']
  }

  it.each(Object.entries(CSV_VIEWS))(
    'view %s: snake_case, unique, provenance block then appended columns only',
    (name, cols) => {
      const headers = cols.map((c) => c.header)
      for (const h of headers) expect(h).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/)
      expect(new Set(headers).size).toBe(headers.length)
      const appended = APPENDED[name]!
      const beforeAppended = headers.slice(0, headers.length - appended.length)
      expect(beforeAppended.slice(-PROVENANCE_ORDER.length)).toEqual(PROVENANCE_ORDER)
      expect(headers.slice(beforeAppended.length)).toEqual(appended)
    }
  )

  it('column definitions cannot be reordered or edited at runtime', () => {
    for (const cols of Object.values(CSV_VIEWS)) {
      expect(Object.isFrozen(cols)).toBe(true)
      expect(cols.every((c) => Object.isFrozen(c))).toBe(true)
    }
  })
})

describe('view mappings', () => {
  it('inventory: each column carries its own field', async () => {
    const row: InventoryExportRow = {
      tenantId: '11111111-2222-3333-4444-555555555555',
      tenantName: 'Contoso, Ltd',
      policyType: 'deviceConfiguration',
      policyTypeLabel: 'Device configuration',
      category: 'configuration',
      platform: 'windows',
      externalId: 'ext-1',
      displayName: '=HYPERLINK("http://x","y")',
      firstSeenAt: '2026-01-01T00:00:00.000Z',
      firstSeenRunId: 7,
      lastSeenAt: '2026-02-01T00:00:00.000Z',
      lastSeenRunId: 9,
      metaJson: '{"version":3,"description":"a, \\"b\\""}',
      provenance
    }
    const [record] = await recordsOf(INVENTORY_COLUMNS, [row])
    expect(record).toEqual({
      tenant_id: '11111111-2222-3333-4444-555555555555',
      tenant_name: 'Contoso, Ltd',
      policy_type: 'deviceConfiguration',
      policy_type_label: 'Device configuration',
      category: 'configuration',
      platform: 'windows',
      external_id: 'ext-1',
      display_name: '\'=HYPERLINK("http://x","y")',
      first_seen_at: '2026-01-01T00:00:00.000Z',
      first_seen_run_id: '7',
      last_seen_at: '2026-02-01T00:00:00.000Z',
      last_seen_run_id: '9',
      meta_json: '{"version":3,"description":"a, \\"b\\""}',
      source_run_id: '42',
      source_run_status: 'partial',
      source_run_finished_at: '2026-02-28T09:00:00.000Z',
      confidence: 'low',
      exported_at: '2026-03-01T10:00:00.000Z',
      app_version: '0.1.0'
    })
  })

  it('missing: reason, nullable judging run and low confidence', async () => {
    const row: MissingExportRow = {
      tenantId: 't-1',
      tenantName: 'Fabrikam',
      policyType: 'compliancePolicy',
      policyTypeLabel: 'Compliance policy',
      category: 'compliance',
      platform: 'ios',
      externalId: 'ext-2',
      displayName: null,
      reason: 'not_collected',
      firstSeenAt: '2026-01-02T00:00:00.000Z',
      lastSeenAt: '2026-01-03T00:00:00.000Z',
      missingSince: null,
      lowConfidence: true,
      judgedByRunId: null,
      judgedByRunStatus: null,
      absentInCompleteRuns: 0,
      provenance: { ...provenance, sourceRunId: null, sourceRunStatus: null, sourceRunFinishedAt: null }
    }
    const [record] = await recordsOf(MISSING_COLUMNS, [row])
    expect(record).toEqual({
      tenant_id: 't-1',
      tenant_name: 'Fabrikam',
      policy_type: 'compliancePolicy',
      policy_type_label: 'Compliance policy',
      category: 'compliance',
      platform: 'ios',
      external_id: 'ext-2',
      display_name: '',
      reason: 'not_collected',
      first_seen_at: '2026-01-02T00:00:00.000Z',
      last_seen_at: '2026-01-03T00:00:00.000Z',
      missing_since: '',
      low_confidence: 'true',
      judged_by_run_id: '',
      judged_by_run_status: '',
      source_run_id: '',
      source_run_status: '',
      source_run_finished_at: '',
      confidence: 'low',
      exported_at: '2026-03-01T10:00:00.000Z',
      app_version: '0.1.0',
      absent_in_complete_runs: '0'
    })
  })

  it('runs: counts stay numbers (even negative), error codes are joined with ";"', async () => {
    const base: RunExportRow = {
      tenantId: 't-1',
      tenantName: '+Tenant',
      runId: 42,
      status: 'partial',
      hadErrors: true,
      errorCodes: ['GRAPH_THROTTLED', 'GRAPH_FORBIDDEN'],
      itemsObservedCount: 120,
      itemsUpsertedCount: 3,
      errorsCount: -2,
      typesComplete: 10,
      typesFailed: 2,
      typesOutOfSelection: 27,
      trigger: 'cli',
      correlationId: 'c0ffee00-0000-4000-8000-000000000000',
      startedAt: '2026-02-28T08:59:00.000Z',
      finishedAt: '2026-02-28T09:00:00.000Z',
      selectionHash: 'ab'.repeat(32),
      provenance: { ...provenance, confidence: 'high', sourceRunStatus: 'success' }
    }
    const [first, second] = await recordsOf(RUN_COLUMNS, [
      base,
      { ...base, errorCodes: [], hadErrors: false, finishedAt: null, status: 'running' }
    ])
    expect(first).toEqual({
      tenant_id: 't-1',
      tenant_name: "'+Tenant",
      run_id: '42',
      status: 'partial',
      had_errors: 'true',
      error_codes: 'GRAPH_THROTTLED;GRAPH_FORBIDDEN',
      items_observed_count: '120',
      items_upserted_count: '3',
      errors_count: '-2',
      types_complete: '10',
      types_failed: '2',
      trigger: 'cli',
      correlation_id: 'c0ffee00-0000-4000-8000-000000000000',
      started_at: '2026-02-28T08:59:00.000Z',
      finished_at: '2026-02-28T09:00:00.000Z',
      selection_hash: 'ab'.repeat(32),
      source_run_id: '42',
      source_run_status: 'success',
      source_run_finished_at: '2026-02-28T09:00:00.000Z',
      confidence: 'high',
      exported_at: '2026-03-01T10:00:00.000Z',
      app_version: '0.1.0',
      types_out_of_selection: '27'
    })
    expect(second).toMatchObject({ error_codes: '', had_errors: 'false', finished_at: '', status: 'running' })
  })
})
