import { CodeMismatchError, ExpiredCodeError, InvalidParameterError, LimitExceededError, NotAuthorizedError } from '../../errors.js';
import type { AuthSessionRecord, ClientRecord, MfaFactor, PoolRecord, UserRecord } from '../../ports.js';
import { findUserForSignIn } from '../auth/lookup.js';
import { checkAnswerer } from '../auth/secret-hash.js';
import { takeSession } from '../auth/sessions.js';
import { refuseLocked, withTokens, type AuthResponse } from '../auth/sign-in.js';
import type { Answerer, Passed, SignInStep } from '../auth/steps.js';
import type { Core } from '../context.js';
import { consumeCode } from '../directory/codes.js';
import { CODE_FACTORS, factorChallenge, type MfaState } from './challenge.js';
import { usable } from './factors.js';
import { acceptTotp } from './totp.js';

/** Wrong codes one challenge session takes; the fifth closes it. */
export const MAX_WRONG_CODES = 5;
const INVALID_SESSION = 'Invalid session for the user.';

export const MFA_CHALLENGES = ['SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP'] as const;
export type MfaChallenge = (typeof MFA_CHALLENGES)[number];

const CODE_KEYS: Record<MfaFactor, string> = {
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
};

function stateOf(record: AuthSessionRecord): MfaState {
  return { attempts: 0, ...(record.state as Partial<MfaState> | null) };
}

/** The session's own user, who must still be allowed in and must be the one the answer names. */
async function sessionUser(core: Core, pool: PoolRecord, client: ClientRecord, record: AuthSessionRecord, answers: Record<string, string>, answerer: Answerer): Promise<UserRecord> {
  const user = await core.store.users.getBySub(pool.id, record.sub);
  if (!user || !user.enabled) throw new NotAuthorizedError(INVALID_SESSION);
  const name = answers.USERNAME;
  if (!name) throw new InvalidParameterError('Missing required parameter USERNAME');
  if (name !== user.sub && (await findUserForSignIn(core, pool, name))?.sub !== user.sub) throw new NotAuthorizedError(INVALID_SESSION);
  await checkAnswerer(core, client, answerer, [name, user.username], answers.SECRET_HASH);
  refuseLocked(user, core.clock.now());
  return user;
}

/** Counts a wrong code against the session and the account lock; the session stays open for another try until the fifth. */
async function wrongCode(core: Core, pool: PoolRecord, client: ClientRecord, record: AuthSessionRecord, user: UserRecord): Promise<never> {
  const now = core.clock.now();
  const attempts = stateOf(record).attempts + 1;
  const { failures } = await core.store.users.countFailedSignIn(pool.id, user.sub, now);
  await core.store.audit.record({ poolId: pool.id, type: 'mfa_failed', sub: user.sub, clientId: client.id, detail: { challenge: record.challenge, failures }, createdAt: now });
  if (attempts < MAX_WRONG_CODES) await core.store.authSessions.put({ ...record, state: { ...stateOf(record), attempts } });
  throw new CodeMismatchError('Invalid code received for user');
}

async function codeAccepted(core: Core, user: UserRecord, factor: MfaFactor, code: string): Promise<boolean> {
  const delivery = CODE_FACTORS[factor];
  if (!delivery) return user.totpSecretEnc !== null && acceptTotp(core, user, user.totpSecretEnc, code);
  try {
    await consumeCode(core, user, delivery.purpose, code);
    return true;
  } catch (error) {
    if (error instanceof CodeMismatchError || error instanceof ExpiredCodeError || error instanceof LimitExceededError) return false;
    throw error;
  }
}

/** The second factor passed: the failure count clears and a code's destination is now proven. */
async function complete(core: Core, pool: PoolRecord, user: UserRecord, deviceKey: string | undefined, factor?: MfaFactor): Promise<Passed> {
  if (user.failedSignIns > 0) await core.store.users.resetFailedSignIns(pool.id, user.sub);
  const attribute = factor && CODE_FACTORS[factor]?.attribute;
  if (attribute && user.attributes[`${attribute}_verified`] !== 'true') {
    // Cognito marks an address verified once an MFA code sent to it came back.
    user = { ...user, attributes: { ...user.attributes, [`${attribute}_verified`]: 'true' }, updatedAt: core.clock.now() };
    await core.store.users.update(user);
  }
  // A trusted device is not asked to prove itself after MFA: amazon-cognito-identity-js would
  // answer such a DEVICE_SRP_AUTH with the spent MFA session.
  return { passed: user, deviceKey };
}

async function answer(
  core: Core, pool: PoolRecord, client: ClientRecord, name: MfaChallenge, record: AuthSessionRecord, answers: Record<string, string>, answerer: Answerer,
): Promise<SignInStep> {
  const user = await sessionUser(core, pool, client, record, answers, answerer);
  // amazon-cognito-identity-js sends the DEVICE_KEY it has with every answer.
  const deviceKey = stateOf(record).deviceKey ?? answers.DEVICE_KEY;
  if (name === 'SELECT_MFA_TYPE') {
    const choice = answers.ANSWER;
    if (!choice) throw new InvalidParameterError('Missing required parameter ANSWER');
    if (!stateOf(record).options?.includes(choice as MfaFactor) || !usable(pool.config, user, choice as MfaFactor)) {
      throw new InvalidParameterError('ANSWER must be one of MFAS_CAN_CHOOSE');
    }
    return factorChallenge(core, pool, client, user, choice as MfaFactor, deviceKey);
  }
  if (name === 'MFA_SETUP') {
    if (stateOf(record).phase !== 'verified') {
      throw new InvalidParameterError('MFA setup is not complete: call AssociateSoftwareToken and VerifySoftwareToken with this Session first.');
    }
    return complete(core, pool, user, deviceKey);
  }
  const key = CODE_KEYS[name];
  const code = answers[key];
  if (!code) throw new InvalidParameterError(`Missing required parameter ${key}`);
  if (!(await codeAccepted(core, user, name, code))) return wrongCode(core, pool, client, record, user);
  return complete(core, pool, user, deviceKey, name);
}

/**
 * Answers an MFA challenge, for the API and the hosted UI alike. The Session must be one
 * this client opened for exactly this challenge; it is used up, except that a rejected
 * answer (a wrong code, a missing parameter, a lock still running) puts it back for another
 * try, as Cognito allows.
 */
export async function answerMfa(
  core: Core,
  pool: PoolRecord,
  client: ClientRecord,
  name: MfaChallenge,
  session: string | undefined,
  answers: Record<string, string>,
  answerer: Answerer,
): Promise<SignInStep> {
  const record = await takeSession(core, client, session, name);
  try {
    return await answer(core, pool, client, name, record, answers, answerer);
  } catch (error) {
    const retry = error instanceof InvalidParameterError || (error instanceof NotAuthorizedError && error.message === 'Password attempts exceeded');
    if (retry) await core.store.authSessions.put(record);
    throw error;
  }
}

/** RespondToAuthChallenge for an MFA challenge: tokens once the second factor passed. */
export async function respondToMfa(
  core: Core, pool: PoolRecord, client: ClientRecord, name: MfaChallenge, session: string | undefined, answers: Record<string, string>,
): Promise<AuthResponse> {
  return withTokens(core, pool, client, await answerMfa(core, pool, client, name, session, answers, 'api'));
}

export function isMfaChallenge(name: string): name is MfaChallenge {
  return (MFA_CHALLENGES as readonly string[]).includes(name);
}
