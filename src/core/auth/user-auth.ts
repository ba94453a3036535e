import { InvalidParameterError, NotAuthorizedError } from '../../errors.js';
import type { AuthSessionRecord, ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { sha256Base64url } from '../crypto.js';
import { preventsUserExistenceErrors } from '../directory/client-config.js';
import { availableChallenges, decoyChallenges, USER_AUTH_CHALLENGES, type UserAuthChallenge } from '../directory/first-factors.js';
import { findUserForSignIn } from './lookup.js';
import { answerOtp, otpChallenge, otpSessionChallenge, type OtpFactor } from './passwordless.js';
import { checkSecretHash } from './secret-hash.js';
import { checkTaken, openSession, takeSession } from './sessions.js';
import { passwordSignIn, unknownUser, withTokens, type AuthResponse } from './sign-in.js';
import { startSrpSignIn } from './srp-sign-in.js';

const SELECT = 'SELECT_CHALLENGE';

/** Kept in a SELECT_CHALLENGE session: what was typed and what was offered. */
interface SelectState {
  name: string;
  available: UserAuthChallenge[];
}

function need(values: Record<string, string | undefined>, key: string): string {
  const value = values[key];
  if (!value) throw new InvalidParameterError(`Missing required parameter ${key}`);
  return value;
}

/** Goes straight to one challenge; PASSWORD and PASSWORD_SRP take their proof from `values` (AuthParameters or ChallengeResponses). */
async function begin(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord | undefined, name: string, challenge: UserAuthChallenge, values: Record<string, string | undefined>): Promise<AuthResponse> {
  switch (challenge) {
    case 'PASSWORD':
      return passwordSignIn(core, pool, client, name, need(values, 'PASSWORD'));
    case 'PASSWORD_SRP':
      return startSrpSignIn(core, pool, client, name, need(values, 'SRP_A'));
    default:
      return otpChallenge(core, pool, client, user, name, challenge);
  }
}

/**
 * Who a USER_AUTH sign-in by `name` is for and what it may offer them. An unknown name, or a
 * user with nothing to offer, is refused, or, when the client hides which users exist,
 * answered with no user and every factor the pool allows, so nothing about them shows.
 */
export async function userAuthCandidate(
  core: Core, pool: PoolRecord, client: ClientRecord, name: string,
): Promise<{ user?: UserRecord; available: UserAuthChallenge[] }> {
  const found = await findUserForSignIn(core, pool, name);
  const real = found ? availableChallenges(pool, found) : [];
  if (real.length === 0 && !preventsUserExistenceErrors(client.config)) {
    if (!found) throw unknownUser(client);
    throw new NotAuthorizedError('User has no sign-in method this user pool allows.');
  }
  return real.length > 0 ? { user: found, available: real } : { available: decoyChallenges(pool) };
}

/**
 * USER_AUTH (choice-based sign-in): goes straight to PREFERRED_CHALLENGE when this user can
 * use it, and otherwise answers SELECT_CHALLENGE with what the user can use. An unknown name
 * is offered every factor the pool allows when existence must not show, and fails later.
 */
export async function startUserAuth(core: Core, pool: PoolRecord, client: ClientRecord, params: Record<string, string>): Promise<AuthResponse> {
  const name = need(params, 'USERNAME');
  await checkSecretHash(core, client, [name], params.SECRET_HASH);
  const preferred = params.PREFERRED_CHALLENGE;
  if (preferred !== undefined && !(USER_AUTH_CHALLENGES as readonly string[]).includes(preferred) && preferred !== 'WEB_AUTHN') {
    throw new InvalidParameterError(`PREFERRED_CHALLENGE must be one of ${USER_AUTH_CHALLENGES.join(', ')}, WEB_AUTHN`);
  }
  const { user, available } = await userAuthCandidate(core, pool, client, name);
  if (preferred && available.includes(preferred as UserAuthChallenge)) {
    return begin(core, pool, client, user, name, preferred as UserAuthChallenge, params);
  }
  const state: SelectState = { name, available };
  // Cognito lists the choices twice: the AvailableChallenges field and, for older clients, a parameter.
  const response: Extract<AuthResponse, { ChallengeName: string }> & { AvailableChallenges: UserAuthChallenge[] } = {
    ChallengeName: SELECT,
    Session: await openSession(core, client, { sub: user?.sub ?? '' }, SELECT, { ...state }),
    ChallengeParameters: { AVAILABLE_CHALLENGES: JSON.stringify(available) },
    AvailableChallenges: available,
  };
  return response;
}

/** SELECT_CHALLENGE: ANSWER names one of AVAILABLE_CHALLENGES and, for the password ones, brings PASSWORD or SRP_A. */
async function answerSelect(core: Core, pool: PoolRecord, client: ClientRecord, record: AuthSessionRecord, answers: Record<string, string>): Promise<AuthResponse> {
  const state = record.state as unknown as SelectState;
  try {
    const name = need(answers, 'USERNAME');
    const choice = need(answers, 'ANSWER');
    if (!state.available.includes(choice as UserAuthChallenge)) throw new InvalidParameterError('ANSWER must be one of AVAILABLE_CHALLENGES');
    if (choice === 'PASSWORD') need(answers, 'PASSWORD');
    if (choice === 'PASSWORD_SRP') need(answers, 'SRP_A');
    const user = record.sub ? await core.store.users.getBySub(pool.id, record.sub) : undefined;
    // The address or password may have changed since the choice was offered.
    if (record.sub && (!user || !availableChallenges(pool, user).includes(choice as UserAuthChallenge))) throw new NotAuthorizedError('Invalid session for the user.');
    const same = name === state.name || (user && (name === user.username || name === user.sub || (await findUserForSignIn(core, pool, name))?.sub === user.sub));
    if (!same) throw new NotAuthorizedError('Invalid session for the user.');
    await checkSecretHash(core, client, [name, user?.username ?? state.name], answers.SECRET_HASH);
    // The password paths look the name up again, so an unknown one fails there exactly as it would in USER_PASSWORD_AUTH or SRP.
    return await begin(core, pool, client, user, state.name, choice as UserAuthChallenge, answers);
  } catch (error) {
    if (error instanceof InvalidParameterError) await core.store.authSessions.put(record);
    throw error;
  }
}

/** Challenges only USER_AUTH opens. EMAIL_OTP is shared with MFA and is told apart by its session. */
export function isUserAuthChallenge(name: string): boolean {
  return name === SELECT || name === 'SMS_OTP' || name === 'EMAIL_OTP';
}

/**
 * Answers SELECT_CHALLENGE, SMS_OTP, or an EMAIL_OTP whose session USER_AUTH opened. Returns
 * undefined for an EMAIL_OTP session that MFA opened, which goes back unused to be answered there.
 */
export async function respondToUserAuth(core: Core, pool: PoolRecord, client: ClientRecord, name: string, session: string | undefined, answers: Record<string, string>): Promise<AuthResponse | undefined> {
  if (name === SELECT) return answerSelect(core, pool, client, await takeSession(core, client, session, SELECT), answers);
  const factor = name as OtpFactor;
  if (!session) throw new NotAuthorizedError('Invalid session for the user.');
  const taken = await core.store.authSessions.take(await sha256Base64url(session));
  if (factor === 'EMAIL_OTP' && taken?.challenge === 'EMAIL_OTP') {
    await core.store.authSessions.put(taken);
    return undefined;
  }
  const passed = await answerOtp(core, pool, client, factor, checkTaken(core, client, taken, otpSessionChallenge(factor)), answers, 'api');
  return withTokens(core, pool, client, passed);
}
