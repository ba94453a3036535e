import { InvalidParameterError, NotAuthorizedError } from '../../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import { replacePassword } from '../auth/credentials.js';
import { checkSecretHash } from '../auth/secret-hash.js';
import { takeSession } from '../auth/sessions.js';
import { firstFactorPassed } from '../auth/sign-in.js';
import { verifyPasswordClaim } from '../auth/srp-sign-in.js';
import { isDeviceChallenge, respondToDevice } from '../devices/device-srp.js';
import { isUserAuthChallenge, respondToUserAuth } from '../auth/user-auth.js';
import type { Core } from '../context.js';
import { checkRequired, validateWrite } from '../directory/attributes.js';
import { checkPassword } from '../directory/password-policy.js';
import { passwordPolicy } from '../directory/pool-config.js';
import { isMfaChallenge, respondToMfa } from '../mfa/respond.js';
import { clientIdOf, optionalObject, optionalString, poolIdOf, requiredString, type Input } from './input.js';
import { loadClient } from './clients.js';
import { loadPool } from './pools.js';
import { poolOfClient } from './resolve.js';

const CHALLENGES = [
  'SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE',
  'SELECT_CHALLENGE', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER', 'ADMIN_NO_SRP_AUTH', 'NEW_PASSWORD_REQUIRED',
  'SMS_OTP', 'PASSWORD', 'WEB_AUTHN', 'PASSWORD_SRP',
] as const;

function responses(input: Input): Record<string, string> {
  const raw = optionalObject(input, 'ChallengeResponses') ?? {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw new InvalidParameterError(`ChallengeResponses.${k} must be a string`);
  }
  return raw as Record<string, string>;
}

/** NEW_PASSWORD_REQUIRED: the user replaces a temporary password, optionally filling attributes. */
async function newPasswordRequired(core: Core, pool: PoolRecord, client: ClientRecord, session: string | undefined, answers: Record<string, string>) {
  const record = await takeSession(core, client, session, 'NEW_PASSWORD_REQUIRED');
  const user = await core.store.users.getBySub(pool.id, record.sub);
  if (!user || !user.enabled) throw new NotAuthorizedError('Invalid session for the user.');
  let updated: UserRecord;
  try {
    if (answers.USERNAME === undefined) throw new InvalidParameterError('Missing required parameter USERNAME');
    await checkSecretHash(core, client, [answers.USERNAME, user.username], answers.SECRET_HASH);
    const password = answers.NEW_PASSWORD;
    if (!password) throw new InvalidParameterError('Missing required parameter NEW_PASSWORD');
    checkPassword(passwordPolicy(pool.config), password);
    const given = Object.entries(answers)
      .filter(([k]) => k.startsWith('userAttributes.'))
      .map(([k, Value]) => ({ Name: k.slice('userAttributes.'.length), Value }));
    const attributes = { ...user.attributes, ...validateWrite(pool, given, { client, existing: user }) };
    checkRequired(pool, attributes);
    const now = core.clock.now();
    updated = { ...user, attributes, ...(await replacePassword(core, pool, user, password)), status: 'CONFIRMED' as const, updatedAt: now };
    await core.store.users.update(updated);
  } catch (error) {
    // A rejected answer leaves the challenge open, as Cognito does, so the user can try another password.
    await core.store.authSessions.put(record);
    throw error;
  }
  // The new password is set; MFA, when it applies, still stands between it and tokens.
  return firstFactorPassed(core, pool, client, updated, answers.DEVICE_KEY);
}

async function respond(core: Core, pool: PoolRecord, client: ClientRecord, input: Input) {
  const name = requiredString(input, 'ChallengeName');
  if (!CHALLENGES.includes(name as (typeof CHALLENGES)[number])) throw new InvalidParameterError(`Unknown ChallengeName ${name}`);
  const session = optionalString(input, 'Session', { min: 20, max: 2048 });
  const answers = responses(input);
  if (name === 'PASSWORD_VERIFIER') return verifyPasswordClaim(core, pool, client, session, answers);
  if (name === 'NEW_PASSWORD_REQUIRED') return newPasswordRequired(core, pool, client, session, answers);
  if (isUserAuthChallenge(name)) {
    const answered = await respondToUserAuth(core, pool, client, name, session, answers);
    if (answered) return answered;
  }
  if (isMfaChallenge(name)) return respondToMfa(core, pool, client, name, session, answers);
  if (isDeviceChallenge(name)) return respondToDevice(core, pool, client, name, session, answers);
  throw new InvalidParameterError(`Challenge ${name} is not supported by this Cognate version`);
}

export async function respondToAuthChallenge(core: Core, input: Input) {
  const { pool, client } = await poolOfClient(core, clientIdOf(input));
  return respond(core, pool, client, input);
}

export async function adminRespondToAuthChallenge(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const client = await loadClient(core, pool.id, clientIdOf(input));
  return respond(core, pool, client, input);
}
