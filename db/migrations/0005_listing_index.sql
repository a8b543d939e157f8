DROP INDEX `items_tenant_type_name_idx`;--> statement-breakpoint
DROP INDEX `items_tenant_name_idx`;--> statement-breakpoint
CREATE INDEX `items_listing_idx` ON `inventory_items` (`tenant_id`,`policy_type`,"display_name" COLLATE NOCASE,`external_id`);