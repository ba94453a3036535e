import type { MfaFactor, PoolConfig, UserMfa, UserRecord } from '../../ports.js';

/** Cognito's order, also the order MFAS_CAN_CHOOSE and MFAS_CAN_SETUP list factors in. */
export const MFA_FACTORS: readonly MfaFactor[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];

export type MfaMode = 'OFF' | 'ON' | 'OPTIONAL';

/**
 * The factors a pool offers are kept under CloudFormation's name for them; SetUserPoolMfaConfig
 * writes the key. Only GetUserPoolMfaConfig shows them, as in Cognito.
 */
export const ENABLED_MFAS_KEY = 'EnabledMfas';

/** Pool settings only GetUserPoolMfaConfig shows: Cognito's UserPoolType has no field for them. */
export function withoutMfaFactorSettings(config: PoolConfig): PoolConfig {
  const { [ENABLED_MFAS_KEY]: _factors, EmailMfaConfiguration: _email, ...rest } = config;
  return rest;
}

export interface EmailMfaConfig {
  Message?: string;
  Subject?: string;
}

export function mfaMode(config: PoolConfig): MfaMode {
  const mode = config.MfaConfiguration;
  return mode === 'ON' || mode === 'OPTIONAL' ? mode : 'OFF';
}

export function poolFactors(config: PoolConfig): MfaFactor[] {
  const enabled = config[ENABLED_MFAS_KEY] as MfaFactor[] | undefined;
  if (enabled) return MFA_FACTORS.filter((f) => enabled.includes(f));
  // Until SetUserPoolMfaConfig runs, MFA turned on by CreateUserPool/UpdateUserPool is SMS:
  // the only factor those operations can configure.
  return mfaMode(config) === 'OFF' ? [] : ['SMS_MFA'];
}

export function emailMfaConfig(config: PoolConfig): EmailMfaConfig | undefined {
  return config.EmailMfaConfiguration as EmailMfaConfig | undefined;
}

/** The texts of CustomMessage_Authentication (MFA codes), from the pool's MFA settings. */
export function authenticationMessage(config: PoolConfig, channel: 'email' | 'sms'): { subject: string | null; body: string } {
  if (channel === 'sms') {
    return { subject: null, body: (config.SmsAuthenticationMessage as string | undefined) ?? 'Your authentication code is {####}.' };
  }
  const email = emailMfaConfig(config) ?? {};
  return { subject: email.Subject ?? 'Your authentication code', body: email.Message ?? 'Your authentication code is {####}.' };
}

export function userFactors(user: UserRecord): MfaFactor[] {
  return user.mfa?.enabled ?? [];
}

/** Whether the user can be challenged with `factor` now: the pool offers it and the user has where to send it. */
export function usable(config: PoolConfig, user: UserRecord, factor: MfaFactor): boolean {
  if (!poolFactors(config).includes(factor)) return false;
  if (factor === 'SMS_MFA') return Boolean(user.attributes.phone_number);
  if (factor === 'EMAIL_OTP') return Boolean(user.attributes.email);
  return user.totpSecretEnc !== null;
}

export type MfaDecision =
  | { kind: 'none' }
  | { kind: 'challenge'; factor: MfaFactor }
  | { kind: 'select'; factors: MfaFactor[] }
  | { kind: 'setup'; factors: MfaFactor[] };

function pick(factors: MfaFactor[], preferred: MfaFactor | undefined): MfaDecision {
  if (preferred && factors.includes(preferred)) return { kind: 'challenge', factor: preferred };
  if (factors.length === 1) return { kind: 'challenge', factor: factors[0]! };
  return { kind: 'select', factors };
}

/**
 * What follows a correct password. OPTIONAL pools challenge users who turned a factor on;
 * ON pools challenge everyone, using a factor the user has even if not turned on (a phone
 * or email to send to, a verified authenticator), as Cognito does, and otherwise ask for
 * MFA_SETUP.
 */
export function mfaDecision(config: PoolConfig, user: UserRecord): MfaDecision {
  const mode = mfaMode(config);
  if (mode === 'OFF') return { kind: 'none' };
  const chosen = MFA_FACTORS.filter((f) => userFactors(user).includes(f) && usable(config, user, f));
  if (chosen.length > 0) return pick(chosen, user.mfa?.preferred);
  if (mode === 'OPTIONAL') return { kind: 'none' };
  const available = MFA_FACTORS.filter((f) => usable(config, user, f));
  if (available.length > 0) return pick(available, undefined);
  return { kind: 'setup', factors: poolFactors(config) };
}

export function mfaApplies(config: PoolConfig, user: UserRecord): boolean {
  return mfaDecision(config, user).kind !== 'none';
}

/** GetUser / AdminGetUser fields; each is left out when there is nothing to show. */
export function mfaSummary(user: UserRecord) {
  const list = userFactors(user);
  return {
    ...(list.includes('SMS_MFA') ? { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] } : {}),
    ...(user.mfa?.preferred ? { PreferredMfaSetting: user.mfa.preferred } : {}),
    ...(list.length > 0 ? { UserMFASettingList: [...list] } : {}),
  };
}

/** A user's MFA choices with `factor` turned on or off; turning the preferred one off clears the preference. */
export function withFactor(mfa: UserMfa | null, factor: MfaFactor, on: boolean): UserMfa {
  const enabled = MFA_FACTORS.filter((f) => (f === factor ? on : (mfa?.enabled ?? []).includes(f)));
  const { preferred, ...rest } = mfa ?? { enabled: [] };
  return { ...rest, enabled, ...(preferred && enabled.includes(preferred) ? { preferred } : {}) };
}
