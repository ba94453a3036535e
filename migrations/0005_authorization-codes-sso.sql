CREATE TABLE `authorization_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`client_id` text NOT NULL,
	`sub` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`scope` text NOT NULL,
	`nonce` text,
	`code_challenge` text,
	`auth_time` integer NOT NULL,
	`family_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer
);
--> statement-breakpoint
CREATE TABLE `sso_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`sub` text NOT NULL,
	`auth_time` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sso_sessions_user` ON `sso_sessions` (`pool_id`,`sub`);