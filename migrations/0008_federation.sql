CREATE TABLE `federated_identities` (
	`pool_id` text NOT NULL,
	`provider_name` text NOT NULL,
	`issuer` text NOT NULL,
	`subject` text NOT NULL,
	`sub` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`pool_id`, `provider_name`, `issuer`, `subject`)
);
--> statement-breakpoint
CREATE INDEX `federated_identities_user` ON `federated_identities` (`pool_id`,`sub`);--> statement-breakpoint
CREATE TABLE `federation_states` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`provider_name` text NOT NULL,
	`browser_hash` text NOT NULL,
	`authorize_query` text NOT NULL,
	`kept` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `identity_providers` (
	`pool_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`details` text NOT NULL,
	`secrets_enc` text,
	`attribute_mapping` text NOT NULL,
	`idp_identifiers` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`pool_id`, `name`)
);
--> statement-breakpoint
CREATE TABLE `saml_certificates` (
	`pool_id` text PRIMARY KEY NOT NULL,
	`certificate` text NOT NULL,
	`private_key_enc` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `used_once_ids` (
	`scope` text NOT NULL,
	`id` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `id`)
);
