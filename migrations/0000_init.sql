CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pool_id` text NOT NULL,
	`type` text NOT NULL,
	`sub` text,
	`client_id` text,
	`detail` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_pool` ON `audit_events` (`pool_id`,`id`);--> statement-breakpoint
CREATE TABLE `auth_sessions` (
	`session_hash` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`client_id` text NOT NULL,
	`sub` text NOT NULL,
	`challenge` text NOT NULL,
	`state` text,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `clients` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`name` text NOT NULL,
	`secret_enc` text,
	`config` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `clients_pool` ON `clients` (`pool_id`,`id`);--> statement-breakpoint
CREATE TABLE `codes` (
	`pool_id` text NOT NULL,
	`sub` text NOT NULL,
	`purpose` text NOT NULL,
	`code_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`pool_id`, `sub`, `purpose`)
);
--> statement-breakpoint
CREATE TABLE `groups` (
	`pool_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`role_arn` text,
	`precedence` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`pool_id`, `name`)
);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`pool_id` text NOT NULL,
	`group_name` text NOT NULL,
	`sub` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`pool_id`, `group_name`, `sub`)
);
--> statement-breakpoint
CREATE INDEX `memberships_user` ON `memberships` (`pool_id`,`sub`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pool_id` text NOT NULL,
	`channel` text NOT NULL,
	`destination` text NOT NULL,
	`username` text NOT NULL,
	`trigger_source` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `messages_pool` ON `messages` (`pool_id`,`id`);--> statement-breakpoint
CREATE TABLE `pools` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`config` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`family_id` text NOT NULL,
	`pool_id` text NOT NULL,
	`client_id` text NOT NULL,
	`sub` text NOT NULL,
	`auth_time` integer NOT NULL,
	`scope` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`replaced_at` integer
);
--> statement-breakpoint
CREATE INDEX `refresh_family` ON `refresh_tokens` (`family_id`);--> statement-breakpoint
CREATE INDEX `refresh_user` ON `refresh_tokens` (`pool_id`,`sub`);--> statement-breakpoint
CREATE TABLE `revoked_families` (
	`family_id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`revoked_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`alg` text NOT NULL,
	`public_jwk` text NOT NULL,
	`private_jwk_enc` text NOT NULL,
	`created_at` integer NOT NULL,
	`activates_at` integer NOT NULL,
	`retires_at` integer,
	`expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `signing_keys_pool` ON `signing_keys` (`pool_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`row_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pool_id` text NOT NULL,
	`sub` text NOT NULL,
	`username` text NOT NULL,
	`username_key` text NOT NULL,
	`email` text,
	`phone` text,
	`preferred_username` text,
	`attributes` text NOT NULL,
	`password_hash` text,
	`password_set_at` integer,
	`status` text NOT NULL,
	`enabled` integer NOT NULL,
	`tokens_valid_after` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_pool_username` ON `users` (`pool_id`,`username_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_pool_sub` ON `users` (`pool_id`,`sub`);--> statement-breakpoint
CREATE INDEX `users_pool_email` ON `users` (`pool_id`,`email`);--> statement-breakpoint
CREATE INDEX `users_pool_phone` ON `users` (`pool_id`,`phone`);--> statement-breakpoint
CREATE INDEX `users_pool_preferred` ON `users` (`pool_id`,`preferred_username`);