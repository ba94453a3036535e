import { InvalidParameterError } from '../../errors.js';
import type { MfaFactor, PoolRecord, UserMfa, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { configuredAuthFactors } from '../directory/first-factors.js';
import { mfaSummary, poolFactors, withFactor } from '../mfa/factors.js';
import { optionalObject, poolIdOf, requiredString, USERNAME, type Input } from './input.js';
import { loadPool } from './pools.js';
import { loadUser } from './users-admin.js';
import { selfService } from './users-public.js';

/** The request member that carries each factor's settings. */
const SETTINGS: [MfaFactor, string][] = [
  ['SMS_MFA', 'SMSMfaSettings'],
  ['SOFTWARE_TOKEN_MFA', 'SoftwareTokenMfaSettings'],
  ['EMAIL_OTP', 'EmailMfaSettings'],
];

function flag(settings: Input, name: string, key: string): boolean | undefined {
  const value = settings[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new InvalidParameterError(`${name}.${key} must be a boolean`);
  return value;
}

/** What a factor needs before it can be turned on, in Cognito's words where Cognito has them. */
function checkCanEnable(pool: PoolRecord, user: UserRecord, factor: MfaFactor): void {
  if (factor === 'SOFTWARE_TOKEN_MFA' && !user.totpSecretEnc) throw new InvalidParameterError('User has not verified software token mfa');
  if (factor === 'SMS_MFA' && !user.attributes.phone_number) throw new InvalidParameterError('User does not have delivery config set to turn on SMS_MFA');
  if (factor === 'EMAIL_OTP') {
    if (!poolFactors(pool.config).includes('EMAIL_OTP')) throw new InvalidParameterError('Email MFA is not enabled for this user pool (EmailMfaConfiguration).');
    if (!user.attributes.email) throw new InvalidParameterError('User does not have delivery config set to turn on EMAIL_OTP');
  }
}

/**
 * Applies SetUserMFAPreference's settings: a factor left out keeps its state; the preferred
 * factor must be on, and preferring one stops preferring the others.
 */
function applyPreferences(pool: PoolRecord, user: UserRecord, input: Input): UserMfa {
  let mfa: UserMfa = user.mfa ?? { enabled: [] };
  for (const [factor, name] of SETTINGS) {
    const settings = optionalObject(input, name);
    if (!settings) continue;
    const enabled = flag(settings, name, 'Enabled');
    const preferred = flag(settings, name, 'PreferredMfa');
    if (enabled === true) checkCanEnable(pool, user, factor);
    if (enabled !== undefined) mfa = withFactor(mfa, factor, enabled);
    if (preferred === true) {
      if (!mfa.enabled.includes(factor)) throw new InvalidParameterError(`${name}: a factor must be enabled to be preferred`);
      mfa = { ...mfa, preferred: factor };
    } else if (preferred === false && mfa.preferred === factor) {
      const { preferred: _dropped, ...rest } = mfa;
      mfa = rest;
    }
  }
  return mfa;
}

async function saveMfa(core: Core, pool: PoolRecord, user: UserRecord, mfa: UserMfa, type: string): Promise<void> {
  const now = core.clock.now();
  await core.store.users.update({ ...user, mfa, updatedAt: now });
  await core.store.audit.record({ poolId: pool.id, type, sub: user.sub, detail: { ...mfa }, createdAt: now });
}

async function adminTarget(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const user = await loadUser(core, pool, requiredString(input, 'Username', { min: 1, max: 128, pattern: USERNAME }));
  return { pool, user };
}

export async function setUserMfaPreference(core: Core, input: Input) {
  const { pool, user } = await selfService(core, input);
  await saveMfa(core, pool, user, applyPreferences(pool, user, input), 'mfa_preference');
  return {};
}

export async function adminSetUserMfaPreference(core: Core, input: Input) {
  const { pool, user } = await adminTarget(core, input);
  await saveMfa(core, pool, user, applyPreferences(pool, user, input), 'admin_mfa_preference');
  return {};
}

/** Legacy SetUserSettings: MFAOptions can only turn SMS MFA on (an SMS entry) or off (an empty list). */
function applyMfaOptions(pool: PoolRecord, user: UserRecord, input: Input): UserMfa {
  const options = input.MFAOptions;
  if (!Array.isArray(options)) throw new InvalidParameterError("1 validation error detected: Value at 'mFAOptions' failed to satisfy constraint: Member must not be null");
  let sms = false;
  for (const option of options as Input[]) {
    if (typeof option !== 'object' || option === null) throw new InvalidParameterError('MFAOptions entries must be objects');
    if (option.DeliveryMedium !== 'SMS') throw new InvalidParameterError('Only SMS is supported as DeliveryMedium in MFAOptions; use SetUserMFAPreference for other factors.');
    if (option.AttributeName !== undefined && option.AttributeName !== 'phone_number') throw new InvalidParameterError('MFAOptions AttributeName must be phone_number');
    sms = true;
  }
  if (sms) checkCanEnable(pool, user, 'SMS_MFA');
  return withFactor(user.mfa, 'SMS_MFA', sms);
}

export async function setUserSettings(core: Core, input: Input) {
  const { pool, user } = await selfService(core, input);
  await saveMfa(core, pool, user, applyMfaOptions(pool, user, input), 'mfa_preference');
  return {};
}

export async function adminSetUserSettings(core: Core, input: Input) {
  const { pool, user } = await adminTarget(core, input);
  await saveMfa(core, pool, user, applyMfaOptions(pool, user, input), 'admin_mfa_preference');
  return {};
}

export async function getUserAuthFactors(core: Core, input: Input) {
  const { pool, user } = await selfService(core, input);
  const { MFAOptions: _legacy, ...mfa } = mfaSummary(user);
  return { Username: user.username, ...mfa, ConfiguredUserAuthFactors: configuredAuthFactors(pool, user) };
}
