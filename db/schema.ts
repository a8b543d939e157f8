import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Schema of the Tenant Atlas database. Timestamps are UTC ISO-8601 text (sortable as text).
 * Change it only through `npm run db:generate` so a checked-in migration goes with every change.
 */

export const tenants = sqliteTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    displayName: text('display_name').notNull(),
    azureTenantId: text('azure_tenant_id').notNull(),
    cloud: text('cloud').notNull(),
    /** only for cloud = 'custom' */
    authorityHost: text('authority_host'),
    graphEndpoint: text('graph_endpoint'),
    clientId: text('client_id').notNull(),
    authMethod: text('auth_method').notNull(),
    /** a reference into the secret vault, never the secret itself */
    secretRef: text('secret_ref'),
    certificateThumbprint: text('certificate_thumbprint'),
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
    /**
     * JSON array of policy type keys this tenant never syncs (a feature it has no licence for answers 403
     * for ever): they are "out of selection" in every run, not failures.
     */
    excludedTypes: text('excluded_types').notNull().default('[]'),
    /**
     * The run the user marked as "my last visit": changes are counted since it on the tenants list. A plain
     * id (no foreign key) so a run removed with its tenant leaves nothing dangling elsewhere.
     */
    lastVisitRunId: integer('last_visit_run_id'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull()
  },
  (t) => [uniqueIndex('tenants_display_name_unique').on(t.displayName)]
)

export const inventorySyncRuns = sqliteTable(
  'inventory_sync_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    selectionHash: text('selection_hash').notNull(),
    selectionPayload: text('selection_payload').notNull(),
    status: text('status').notNull(),
    hadErrors: integer('had_errors', { mode: 'boolean' }).notNull().default(false),
    errorCodes: text('error_codes').notNull().default('[]'),
    errorContext: text('error_context').notNull().default('{}'),
    itemsObservedCount: integer('items_observed_count').notNull().default(0),
    itemsUpsertedCount: integer('items_upserted_count').notNull().default(0),
    errorsCount: integer('errors_count').notNull().default(0),
    /** JSON: { [policyType]: TypeOutcome } — updated in the same transaction as each stored page */
    typeOutcomes: text('type_outcomes').notNull().default('{}'),
    correlationId: text('correlation_id').notNull(),
    trigger: text('trigger').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at')
  },
  (t) => [
    index('runs_tenant_selection_idx').on(t.tenantId, t.selectionHash, t.finishedAt, t.id),
    index('runs_tenant_started_idx').on(t.tenantId, t.startedAt),
    index('runs_status_idx').on(t.status)
  ]
)

export const inventoryItems = sqliteTable(
  'inventory_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    policyType: text('policy_type').notNull(),
    externalId: text('external_id').notNull(),
    displayName: text('display_name').notNull(),
    category: text('category').notNull(),
    platform: text('platform').notNull(),
    metaJson: text('meta_json').notNull(),
    firstSeenAt: text('first_seen_at').notNull(),
    firstSeenRunId: integer('first_seen_run_id').references(() => inventorySyncRuns.id, {
      onDelete: 'set null'
    }),
    lastSeenAt: text('last_seen_at').notNull(),
    lastSeenRunId: integer('last_seen_run_id').references(() => inventorySyncRuns.id, {
      onDelete: 'set null'
    }),
    /**
     * The last run that stored different properties for the item (name, category, platform or meta other
     * than volatile keys such as lastModifiedDateTime); null while unchanged since first seen.
     */
    changedRunId: integer('changed_run_id'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull()
  },
  (t) => [
    uniqueIndex('items_tenant_type_external_unique').on(t.tenantId, t.policyType, t.externalId),
    // In the listing's own order (LISTING_ORDER in inventory-repo.ts), so the grid's first page is read
    // from the index without sorting the tenant; it also covers facet, count, search and cross-tenant
    // reads of type and name. One index instead of two: a sync writes every index of every new item.
    index('items_listing_idx').on(
      t.tenantId,
      t.policyType,
      sql`${t.displayName} COLLATE NOCASE`,
      t.externalId
    )
  ]
)

/**
 * Which run of which selection last observed an item. Missing is judged per selection from this table
 * alone, so runs of other (even overlapping) selections never change a selection's answer.
 */
export const inventoryObservations = sqliteTable(
  'inventory_observations',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => inventoryItems.id, { onDelete: 'cascade' }),
    selectionHash: text('selection_hash').notNull(),
    tenantId: text('tenant_id').notNull(),
    lastObservedRunId: integer('last_observed_run_id').notNull(),
    lastObservedAt: text('last_observed_at').notNull()
  },
  (t) => [
    primaryKey({ columns: [t.selectionHash, t.itemId] }),
    index('observations_tenant_selection_run_idx').on(t.tenantId, t.selectionHash, t.lastObservedRunId)
  ]
)

/**
 * One live run per (tenant, selection): lease + fencing token; heartbeats extend expires_at.
 * Rows are never deleted on release (expires_at is set to the release time), so the fencing token keeps
 * growing across acquisitions.
 */
export const inventorySyncLocks = sqliteTable(
  'inventory_sync_locks',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    selectionHash: text('selection_hash').notNull(),
    holderRunId: integer('holder_run_id'),
    /** JSON { host, pid, instance } of the holding process, used to reclaim locks of dead processes */
    owner: text('owner').notNull(),
    fencingToken: integer('fencing_token').notNull(),
    acquiredAt: text('acquired_at').notNull(),
    heartbeatAt: text('heartbeat_at').notNull(),
    expiresAt: text('expires_at').notNull()
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.selectionHash] })]
)

/** The tables a sync writes (the guardrail test forbids writes to any other). */
export const INVENTORY_TABLES = [
  'inventory_items',
  'inventory_observations',
  'inventory_sync_runs',
  'inventory_sync_locks',
  'graph_throttle',
  'graph_request_grants'
] as const

/**
 * Graph throttling shared by every process on this database (the app and a scheduled CLI sync of the same
 * tenant): a Retry-After pause one of them received holds back the others' requests too.
 * Times are epoch ms (integers) because the hot path compares them with the clock on every request.
 */
export const graphThrottle = sqliteTable('graph_throttle', {
  /** the tenant's key in the Graph client (the tenant id) */
  tenantKey: text('tenant_key').primaryKey(),
  /** no request of this tenant may start before this time */
  notBefore: integer('not_before').notNull()
})

/**
 * The per-tenant request budget, spent in grants: a process reserves a few request starts at once and
 * counts them at the END of the grant's validity (later than any of them really starts), so the sum of the
 * grants in any window never undercounts the starts in it. What a grant left unused is given back.
 */
export const graphRequestGrants = sqliteTable(
  'graph_request_grants',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantKey: text('tenant_key').notNull(),
    countedAt: integer('counted_at').notNull(),
    count: integer('count').notNull()
  },
  (t) => [index('grants_tenant_counted_idx').on(t.tenantKey, t.countedAt)]
)

/**
 * The user's local preferences and saved views: one JSON value per key (db/repositories/settings-repo.ts
 * bounds and checks them). Not written by syncs.
 */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
  updatedAt: text('updated_at').notNull()
})
