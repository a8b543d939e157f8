/**
 * The three CSV views and their column order.
 *
 * The order is a PUBLIC CONTRACT: consultants build spreadsheets, Power Query steps and scripts on these
 * files by position as often as by name. Changes are append-only: a new column goes at the very end of its
 * view (after app_version), and no column is ever renamed, moved or removed, so every existing position
 * keeps its meaning. docs/csv-format.md documents every column; a unit test checks that the document and
 * these arrays agree.
 *
 * Provenance closes every view with the same six columns in the same order, so "which run does this row
 * come from, and how far can I trust it" reads the same whatever the view.
 */
import type { Category, Platform } from '../../domain/policy-type'
import type { RunStatus, RunTrigger } from '../../domain/run'
import type { CsvColumn } from './csv-writer'

/** Where a row comes from and how far it can be trusted; identical trailing columns in every view. */
export interface Provenance {
  /** ISO 8601 UTC time the export started (same for every row of one file) */
  exportedAt: string
  appVersion: string
  /** the run the row's data was last confirmed by; null when no run backs it */
  sourceRunId: number | null
  sourceRunStatus: string | null
  sourceRunFinishedAt: string | null
  /** 'low' when the source run was partial, failed or had errors, or there is no such run */
  confidence: 'high' | 'low'
}

export interface InventoryExportRow {
  tenantId: string
  tenantName: string
  policyType: string
  policyTypeLabel: string
  category: Category
  platform: Platform
  externalId: string
  /** null when Graph sent no name for the item */
  displayName: string | null
  firstSeenAt: string
  /** null once that run has been deleted (the item outlives pruned run history) */
  firstSeenRunId: number | null
  lastSeenAt: string
  lastSeenRunId: number | null
  /** the stored whitelisted meta object, as JSON text */
  metaJson: string
  provenance: Provenance
}

export interface MissingExportRow {
  tenantId: string
  tenantName: string
  policyType: string
  policyTypeLabel: string
  category: Category
  platform: Platform
  externalId: string
  displayName: string | null
  reason: 'absent' | 'not_collected'
  firstSeenAt: string
  lastSeenAt: string
  missingSince: string | null
  lowConfidence: boolean
  judgedByRunId: number | null
  judgedByRunStatus: string | null
  /** complete runs since it was last seen that confirmed it gone (0 when not collected) */
  absentInCompleteRuns: number
  provenance: Provenance
}

export interface RunExportRow {
  tenantId: string
  tenantName: string
  runId: number
  status: RunStatus
  hadErrors: boolean
  errorCodes: readonly string[]
  itemsObservedCount: number
  itemsUpsertedCount: number
  errorsCount: number
  /** policy types whose enumeration completed in the run */
  typesComplete: number
  /** policy types that failed or were skipped in the run */
  typesFailed: number
  /** registry types the run did not set out to read (not in its selection, or excluded for the tenant) */
  typesOutOfSelection: number
  trigger: RunTrigger
  correlationId: string
  startedAt: string
  finishedAt: string | null
  selectionHash: string
  provenance: Provenance
}

/** Separator for list cells (error_codes). Not a comma, so the cell needs no quoting in the common case. */
export const LIST_SEPARATOR = ';'

function provenanceColumns<Row extends { provenance: Provenance }>(): CsvColumn<Row>[] {
  return [
    { header: 'source_run_id', kind: 'number', value: (r) => r.provenance.sourceRunId },
    { header: 'source_run_status', value: (r) => r.provenance.sourceRunStatus },
    { header: 'source_run_finished_at', kind: 'timestamp', value: (r) => r.provenance.sourceRunFinishedAt },
    { header: 'confidence', value: (r) => r.provenance.confidence },
    { header: 'exported_at', kind: 'timestamp', value: (r) => r.provenance.exportedAt },
    { header: 'app_version', value: (r) => r.provenance.appVersion }
  ]
}

/** The identity of an inventory object; the first eight columns of the inventory and missing views. */
export type ExportedObject = Pick<
  InventoryExportRow,
  | 'tenantId'
  | 'tenantName'
  | 'policyType'
  | 'policyTypeLabel'
  | 'category'
  | 'platform'
  | 'externalId'
  | 'displayName'
>

function objectColumns<Row extends ExportedObject>(): CsvColumn<Row>[] {
  return [
    { header: 'tenant_id', value: (r) => r.tenantId },
    { header: 'tenant_name', value: (r) => r.tenantName },
    { header: 'policy_type', value: (r) => r.policyType },
    { header: 'policy_type_label', value: (r) => r.policyTypeLabel },
    { header: 'category', value: (r) => r.category },
    { header: 'platform', value: (r) => r.platform },
    { header: 'external_id', value: (r) => r.externalId },
    { header: 'display_name', value: (r) => r.displayName }
  ]
}

function freeze<Row>(columns: CsvColumn<Row>[]): readonly CsvColumn<Row>[] {
  return Object.freeze(columns.map((c) => Object.freeze(c)))
}

export const INVENTORY_COLUMNS: readonly CsvColumn<InventoryExportRow>[] = freeze<InventoryExportRow>([
  ...objectColumns<InventoryExportRow>(),
  { header: 'first_seen_at', kind: 'timestamp', value: (r) => r.firstSeenAt },
  { header: 'first_seen_run_id', kind: 'number', value: (r) => r.firstSeenRunId },
  { header: 'last_seen_at', kind: 'timestamp', value: (r) => r.lastSeenAt },
  { header: 'last_seen_run_id', kind: 'number', value: (r) => r.lastSeenRunId },
  { header: 'meta_json', value: (r) => r.metaJson },
  ...provenanceColumns<InventoryExportRow>()
])

export const MISSING_COLUMNS: readonly CsvColumn<MissingExportRow>[] = freeze<MissingExportRow>([
  ...objectColumns<MissingExportRow>(),
  { header: 'reason', value: (r) => r.reason },
  { header: 'first_seen_at', kind: 'timestamp', value: (r) => r.firstSeenAt },
  { header: 'last_seen_at', kind: 'timestamp', value: (r) => r.lastSeenAt },
  { header: 'missing_since', kind: 'timestamp', value: (r) => r.missingSince },
  { header: 'low_confidence', kind: 'boolean', value: (r) => r.lowConfidence },
  { header: 'judged_by_run_id', kind: 'number', value: (r) => r.judgedByRunId },
  { header: 'judged_by_run_status', value: (r) => r.judgedByRunStatus },
  ...provenanceColumns<MissingExportRow>(),
  // appended after the provenance block: the column order is append-only (see the file comment)
  { header: 'absent_in_complete_runs', kind: 'number', value: (r) => r.absentInCompleteRuns }
])

export const RUN_COLUMNS: readonly CsvColumn<RunExportRow>[] = freeze<RunExportRow>([
  { header: 'tenant_id', value: (r) => r.tenantId },
  { header: 'tenant_name', value: (r) => r.tenantName },
  { header: 'run_id', kind: 'number', value: (r) => r.runId },
  { header: 'status', value: (r) => r.status },
  { header: 'had_errors', kind: 'boolean', value: (r) => r.hadErrors },
  { header: 'error_codes', value: (r) => r.errorCodes.join(LIST_SEPARATOR) },
  { header: 'items_observed_count', kind: 'number', value: (r) => r.itemsObservedCount },
  { header: 'items_upserted_count', kind: 'number', value: (r) => r.itemsUpsertedCount },
  { header: 'errors_count', kind: 'number', value: (r) => r.errorsCount },
  { header: 'types_complete', kind: 'number', value: (r) => r.typesComplete },
  { header: 'types_failed', kind: 'number', value: (r) => r.typesFailed },
  { header: 'trigger', value: (r) => r.trigger },
  { header: 'correlation_id', value: (r) => r.correlationId },
  { header: 'started_at', kind: 'timestamp', value: (r) => r.startedAt },
  { header: 'finished_at', kind: 'timestamp', value: (r) => r.finishedAt },
  { header: 'selection_hash', value: (r) => r.selectionHash },
  ...provenanceColumns<RunExportRow>(),
  // appended after the provenance block: the column order is append-only (see the file comment)
  { header: 'types_out_of_selection', kind: 'number', value: (r) => r.typesOutOfSelection }
])

/** View name (as used by the CLI `export --view` and the app) → its columns. */
export const CSV_VIEWS = Object.freeze({
  inventory: INVENTORY_COLUMNS,
  missing: MISSING_COLUMNS,
  runs: RUN_COLUMNS
})

export type CsvViewName = keyof typeof CSV_VIEWS

/** One policy type of one run, as the run's ledger records it (the audit pack's ledger.csv). */
export interface LedgerExportRow {
  tenantId: string
  tenantName: string
  runId: number
  runStatus: RunStatus
  policyType: string
  policyTypeLabel: string
  category: string
  /** complete / not_collected / not_selected / pending / running */
  state: string
  observed: number
  pages: number
  errorCode: string | null
  errorMessage: string | null
  requestId: string | null
  missingScopes: string[]
}

export const LEDGER_COLUMNS: readonly CsvColumn<LedgerExportRow>[] = freeze<LedgerExportRow>([
  { header: 'tenant_id', value: (r) => r.tenantId },
  { header: 'tenant_name', value: (r) => r.tenantName },
  { header: 'run_id', kind: 'number', value: (r) => r.runId },
  { header: 'run_status', value: (r) => r.runStatus },
  { header: 'policy_type', value: (r) => r.policyType },
  { header: 'policy_type_label', value: (r) => r.policyTypeLabel },
  { header: 'category', value: (r) => r.category },
  { header: 'state', value: (r) => r.state },
  { header: 'observed', kind: 'number', value: (r) => r.observed },
  { header: 'pages', kind: 'number', value: (r) => r.pages },
  { header: 'error_code', value: (r) => r.errorCode },
  { header: 'error_message', value: (r) => r.errorMessage },
  { header: 'graph_request_id', value: (r) => r.requestId },
  { header: 'missing_scopes', value: (r) => r.missingScopes.join(LIST_SEPARATOR) }
])
