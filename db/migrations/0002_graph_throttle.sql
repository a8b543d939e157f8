CREATE TABLE `graph_request_grants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_key` text NOT NULL,
	`counted_at` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `grants_tenant_counted_idx` ON `graph_request_grants` (`tenant_key`,`counted_at`);--> statement-breakpoint
CREATE TABLE `graph_throttle` (
	`tenant_key` text PRIMARY KEY NOT NULL,
	`not_before` integer NOT NULL
);
