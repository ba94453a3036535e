CREATE TABLE `password_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pool_id` text NOT NULL,
	`sub` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `password_history_user` ON `password_history` (`pool_id`,`sub`,`id`);--> statement-breakpoint
ALTER TABLE `users` ADD `pending_attributes` text;