CREATE TABLE `inventory_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`policy_type` text NOT NULL,
	`external_id` text NOT NULL,
	`display_name` text NOT NULL,
	`category` text NOT NULL,
	`platform` text NOT NULL,
	`meta_json` text NOT NULL,
	`first_seen_at` text NOT NULL,
	`first_seen_run_id` integer,
	`last_seen_at` text NOT NULL,
	`last_seen_run_id` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`first_seen_run_id`) REFERENCES `inventory_sync_runs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`last_seen_run_id`) REFERENCES `inventory_sync_runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_tenant_type_external_unique` ON `inventory_items` (`tenant_id`,`policy_type`,`external_id`);--> statement-breakpoint
CREATE INDEX `items_tenant_type_name_idx` ON `inventory_items` (`tenant_id`,`policy_type`,`display_name`);--> statement-breakpoint
CREATE INDEX `items_tenant_name_idx` ON `inventory_items` (`tenant_id`,`display_name`);--> statement-breakpoint
CREATE TABLE `inventory_observations` (
	`item_id` integer NOT NULL,
	`selection_hash` text NOT NULL,
	`tenant_id` text NOT NULL,
	`last_observed_run_id` integer NOT NULL,
	`last_observed_at` text NOT NULL,
	PRIMARY KEY(`selection_hash`, `item_id`),
	FOREIGN KEY (`item_id`) REFERENCES `inventory_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `observations_tenant_selection_run_idx` ON `inventory_observations` (`tenant_id`,`selection_hash`,`last_observed_run_id`);--> statement-breakpoint
CREATE TABLE `inventory_sync_locks` (
	`tenant_id` text NOT NULL,
	`selection_hash` text NOT NULL,
	`holder_run_id` integer,
	`owner` text NOT NULL,
	`fencing_token` integer NOT NULL,
	`acquired_at` text NOT NULL,
	`heartbeat_at` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `selection_hash`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inventory_sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`selection_hash` text NOT NULL,
	`selection_payload` text NOT NULL,
	`status` text NOT NULL,
	`had_errors` integer DEFAULT false NOT NULL,
	`error_codes` text DEFAULT '[]' NOT NULL,
	`error_context` text DEFAULT '{}' NOT NULL,
	`items_observed_count` integer DEFAULT 0 NOT NULL,
	`items_upserted_count` integer DEFAULT 0 NOT NULL,
	`errors_count` integer DEFAULT 0 NOT NULL,
	`type_outcomes` text DEFAULT '{}' NOT NULL,
	`correlation_id` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `runs_tenant_selection_idx` ON `inventory_sync_runs` (`tenant_id`,`selection_hash`,`finished_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_tenant_started_idx` ON `inventory_sync_runs` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `inventory_sync_runs` (`status`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`azure_tenant_id` text NOT NULL,
	`cloud` text NOT NULL,
	`authority_host` text,
	`graph_endpoint` text,
	`client_id` text NOT NULL,
	`auth_method` text NOT NULL,
	`secret_ref` text,
	`certificate_thumbprint` text,
	`is_demo` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_display_name_unique` ON `tenants` (`display_name`);