ALTER TABLE `inventory_items` ADD `changed_run_id` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `last_visit_run_id` integer;