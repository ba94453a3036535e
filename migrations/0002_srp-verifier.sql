ALTER TABLE `users` ADD `srp_salt` text;--> statement-breakpoint
ALTER TABLE `users` ADD `srp_verifier` text;