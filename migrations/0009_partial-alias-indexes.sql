DROP INDEX `users_pool_phone`;--> statement-breakpoint
DROP INDEX `users_pool_preferred`;--> statement-breakpoint
CREATE INDEX `users_pool_phone` ON `users` (`pool_id`,`phone`) WHERE "users"."phone" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `users_pool_preferred` ON `users` (`pool_id`,`preferred_username`) WHERE "users"."preferred_username" IS NOT NULL;