import { InvalidParameterError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import { answerNewPassword } from '../auth/new-password.js';
import { firstFactorPassed } from '../auth/sign-in.js';
import { verifyPasswordClaim } from '../auth/srp-sign-in.js';
import { isDeviceChallenge, respondToDevice } from '../devices/device-srp.js';
import { isUserAuthChallenge, respondToUserAuth } from '../auth/user-auth.js';
import type { Core } from '../context.js';
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

async function respond(core: Core, pool: PoolRecord, client: ClientRecord, input: Input) {
  const name = requiredString(input, 'ChallengeName');
  if (!CHALLENGES.includes(name as (typeof CHALLENGES)[number])) throw new InvalidParameterError(`Unknown ChallengeName ${name}`);
  const session = optionalString(input, 'Session', { min: 20, max: 2048 });
  const answers = responses(input);
  if (name === 'PASSWORD_VERIFIER') return verifyPasswordClaim(core, pool, client, session, answers);
  if (name === 'NEW_PASSWORD_REQUIRED') {
    const user = await answerNewPassword(core, pool, client, session, answers, 'api');
    return firstFactorPassed(core, pool, client, user, answers.DEVICE_KEY);
  }
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
