import { FeatureUnavailableInTierError, InvalidParameterError } from '../../errors.js';
import type { MfaFactor, PoolConfig } from '../../ports.js';
import type { Core } from '../context.js';
import { throwIfProblems } from '../directory/pool-input.js';
import { emailMfaConfig, ENABLED_MFAS_KEY, mfaMode, poolFactors } from '../mfa/factors.js';
import { optionalEnum, optionalObject, poolIdOf, type Input } from './input.js';
import { loadPool } from './pools.js';

/** Checks an optional string member of a nested object, collecting problems with their path. */
function text(object: Input, path: string, key: string, problems: string[], rule: { min: number; max: number; code?: boolean }): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length < rule.min || value.length > rule.max) {
    problems.push(`${path}.${key} must be a string of ${rule.min} to ${rule.max} characters`);
    return undefined;
  }
  if (rule.code && !value.includes('{####}')) problems.push(`${path}.${key} must contain {####}`);
  return value;
}

function smsSettings(sms: Input, config: PoolConfig, problems: string[]): PoolConfig {
  const message = text(sms, 'SmsMfaConfiguration', 'SmsAuthenticationMessage', problems, { min: 6, max: 140, code: true });
  const smsConfiguration = sms.SmsConfiguration;
  if (smsConfiguration !== undefined && smsConfiguration !== null) {
    const arn = (smsConfiguration as Input).SnsCallerArn;
    if (typeof smsConfiguration !== 'object' || typeof arn !== 'string' || arn.length < 20 || arn.length > 2048) {
      problems.push('SmsMfaConfiguration.SmsConfiguration.SnsCallerArn must be a string of 20 to 2048 characters');
    }
  }
  return {
    SmsAuthenticationMessage: message ?? config.SmsAuthenticationMessage,
    SmsConfiguration: (smsConfiguration as Input | undefined) ?? config.SmsConfiguration,
  };
}

/** GetUserPoolMfaConfig's answer, also SetUserPoolMfaConfig's. */
function mfaConfigShape(config: PoolConfig) {
  const factors = poolFactors(config);
  const sms = {
    ...(config.SmsAuthenticationMessage ? { SmsAuthenticationMessage: config.SmsAuthenticationMessage } : {}),
    ...(config.SmsConfiguration ? { SmsConfiguration: config.SmsConfiguration } : {}),
  };
  return {
    ...(factors.includes('SMS_MFA') ? { SmsMfaConfiguration: sms } : {}),
    SoftwareTokenMfaConfiguration: { Enabled: factors.includes('SOFTWARE_TOKEN_MFA') },
    ...(factors.includes('EMAIL_OTP') ? { EmailMfaConfiguration: emailMfaConfig(config) ?? {} } : {}),
    MfaConfiguration: mfaMode(config),
  };
}

export async function getUserPoolMfaConfig(core: Core, input: Input) {
  return mfaConfigShape((await loadPool(core, poolIdOf(input))).config);
}

/**
 * SetUserPoolMfaConfig: the factors named in the call are the ones the pool offers from now
 * on (a factor left out is turned off); MfaConfiguration, when left out, stays as it was.
 */
export async function setUserPoolMfaConfig(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const sms = optionalObject(input, 'SmsMfaConfiguration');
  const totp = optionalObject(input, 'SoftwareTokenMfaConfiguration');
  const email = optionalObject(input, 'EmailMfaConfiguration');
  const mode = optionalEnum(input, 'MfaConfiguration', ['OFF', 'ON', 'OPTIONAL']) ?? mfaMode(pool.config);
  const problems: string[] = [];
  if (totp && totp.Enabled !== undefined && typeof totp.Enabled !== 'boolean') problems.push('SoftwareTokenMfaConfiguration.Enabled must be a boolean');
  const smsConfig = sms ? smsSettings(sms, pool.config, problems) : {};
  const emailConfig = email && {
    Message: text(email, 'EmailMfaConfiguration', 'Message', problems, { min: 6, max: 20000, code: true }),
    Subject: text(email, 'EmailMfaConfiguration', 'Subject', problems, { min: 1, max: 140 }),
  };
  throwIfProblems(problems);

  const factors: MfaFactor[] = [];
  if (sms) factors.push('SMS_MFA');
  if (totp?.Enabled === true) factors.push('SOFTWARE_TOKEN_MFA');
  if (email) factors.push('EMAIL_OTP');
  if (email && pool.config.UserPoolTier === 'LITE') {
    throw new FeatureUnavailableInTierError('Email MFA requires the Essentials or Plus feature plan.');
  }
  if (mode !== 'OFF' && factors.length === 0) {
    throw new InvalidParameterError("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");
  }
  const { EmailMfaConfiguration: _old, ...rest } = pool.config;
  const config: PoolConfig = {
    ...rest,
    ...smsConfig,
    ...(emailConfig ? { EmailMfaConfiguration: JSON.parse(JSON.stringify(emailConfig)) as Input } : {}),
    [ENABLED_MFAS_KEY]: factors,
    MfaConfiguration: mode,
  };
  await core.store.pools.update({ ...pool, config, updatedAt: core.clock.now() });
  return mfaConfigShape(config);
}
