CREATE TABLE `devices` (
	`row_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pool_id` text NOT NULL,
	`sub` text NOT NULL,
	`device_key` text NOT NULL,
	`group_key` text NOT NULL,
	`salt` text,
	`verifier` text,
	`name` text,
	`status` text NOT NULL,
	`confirmed` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_auth_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_key` ON `devices` (`pool_id`,`device_key`);--> statement-breakpoint
CREATE INDEX `devices_user` ON `devices` (`pool_id`,`sub`,`row_id`);