import type { PoolConfig } from '../../ports.js';
import type { SchemaAttribute } from './schema-attributes.js';

/** Typed views over the Cognito-shaped JSON kept for each pool. */
export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
  PasswordHistorySize?: number;
}

export interface MessageTemplate {
  EmailMessage?: string;
  EmailSubject?: string;
  SMSMessage?: string;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

export function passwordPolicy(config: PoolConfig): PasswordPolicy {
  const policies = config.Policies as { PasswordPolicy?: Partial<PasswordPolicy> } | undefined;
  return { ...DEFAULT_PASSWORD_POLICY, ...(policies?.PasswordPolicy ?? {}) };
}

export function schemaOf(config: PoolConfig): SchemaAttribute[] {
  return (config.SchemaAttributes as SchemaAttribute[] | undefined) ?? [];
}

export function usernameAttributes(config: PoolConfig): string[] {
  return (config.UsernameAttributes as string[] | undefined) ?? [];
}

export function aliasAttributes(config: PoolConfig): string[] {
  return (config.AliasAttributes as string[] | undefined) ?? [];
}

export function autoVerifiedAttributes(config: PoolConfig): string[] {
  return (config.AutoVerifiedAttributes as string[] | undefined) ?? [];
}

export function isCaseSensitive(config: PoolConfig): boolean {
  return (config.UsernameConfiguration as { CaseSensitive?: boolean } | undefined)?.CaseSensitive === true;
}

export function allowAdminCreateUserOnly(config: PoolConfig): boolean {
  return (config.AdminCreateUserConfig as { AllowAdminCreateUserOnly?: boolean } | undefined)?.AllowAdminCreateUserOnly === true;
}

export function inviteTemplate(config: PoolConfig): MessageTemplate {
  return (config.AdminCreateUserConfig as { InviteMessageTemplate?: MessageTemplate } | undefined)?.InviteMessageTemplate ?? {};
}

export function verificationTemplate(config: PoolConfig): MessageTemplate & { SmsMessage?: string } {
  return (config.VerificationMessageTemplate as MessageTemplate & { SmsMessage?: string }) ?? {};
}

export function usernameKeyOf(config: PoolConfig, username: string): string {
  return isCaseSensitive(config) ? username : username.toLowerCase();
}
