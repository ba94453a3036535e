import { NotAuthorizedError, PasswordResetRequiredError, UserNotConfirmedError, UserNotFoundError } from '../../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { preventsUserExistenceErrors } from '../directory/client-config.js';
import { passwordPolicy } from '../directory/pool-config.js';
import { mfaChallenge } from '../mfa/challenge.js';
import { mfaApplies } from '../mfa/factors.js';
import { issueTokens } from '../tokens/issue.js';
import { newRefreshToken } from '../tokens/refresh.js';
import { deviceAtSignIn, deviceChallenge, deviceReplacesMfa, ownDevice, trusted, type NewDeviceMetadata } from '../devices/tracking.js';
import { srpCredentials } from './credentials.js';
import { findUserForSignIn } from './lookup.js';
import { openSession } from './sessions.js';
import { isPassed, type Challenge, type SignInStep } from './steps.js';

/** Verified against when the user does not exist, so timing does not reveal which usernames exist. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$yjXjREdzaxN4GhP36opDSQ$f+VqkIUfWxSX2yA/pYlJwef1l2j2nvQmNZPym798hlE';

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  RefreshToken?: string;
  IdToken: string;
  NewDeviceMetadata?: NewDeviceMetadata;
}

export type AuthResponse = { AuthenticationResult: AuthenticationResult; ChallengeParameters: Record<string, string> } | Challenge;

export function unknownUser(client: ClientRecord): Error {
  return preventsUserExistenceErrors(client.config)
    ? new NotAuthorizedError('Incorrect username or password.')
    : new UserNotFoundError('User does not exist.');
}

/** Refuses a locked account before any password work, so guessing costs the attacker and not us. */
export function refuseLocked(user: UserRecord, now: number): void {
  if (user.lockedUntil > now) throw new NotAuthorizedError('Password attempts exceeded');
}

/** A wrong password counts toward the lock (`users.countFailedSignIn`); returns the error to throw. */
export async function wrongPassword(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<Error> {
  const now = core.clock.now();
  const { failures } = await core.store.users.countFailedSignIn(pool.id, user.sub, now);
  await core.store.audit.record({ poolId: pool.id, type: 'sign_in_failed', sub: user.sub, clientId: client.id, detail: { failures }, createdAt: now });
  return new NotAuthorizedError('Incorrect username or password.');
}

/** Checks a username and password; answers tokens or the challenge the user must pass first. */
export async function passwordSignIn(core: Core, pool: PoolRecord, client: ClientRecord, username: string, password: string, deviceKey?: string): Promise<AuthResponse> {
  return passwordAccepted(core, pool, client, await verifyPassword(core, pool, client, username, password), deviceKey);
}

/** The first factor alone: the user whose password this is, or the error to answer (lock, unknown, wrong). */
export async function verifyPassword(core: Core, pool: PoolRecord, client: ClientRecord, username: string, password: string): Promise<UserRecord> {
  const user = await findUserForSignIn(core, pool, username);
  if (user) refuseLocked(user, core.clock.now());
  const valid = await core.hasher.verify(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !user.passwordHash) throw unknownUser(client);
  if (!valid) throw await wrongPassword(core, pool, client, user);
  // A password set before SRP existed gets its verifier now, so USER_SRP_AUTH works from here on.
  if (!user.srpVerifier) await core.store.users.update({ ...user, ...(await srpCredentials(core, pool, user.username, password)) });
  return user;
}

/** The password proved right (by hash or SRP): the user's state decides between tokens, a challenge and an error. */
export async function passwordAccepted(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, deviceKey?: string): Promise<AuthResponse> {
  if ((await accountState(core, pool, user)) === 'NEW_PASSWORD_REQUIRED') return newPasswordChallenge(core, client, user);
  return firstFactorPassed(core, pool, client, user, deviceKey);
}

/**
 * Every API path that proved the password and needs nothing more from it ends here: the
 * second factor when MFA applies, tokens otherwise. Tokens never come before MFA, except
 * that a trusted device (DEVICE_KEY) proven by DEVICE_SRP_AUTH stands in for it where the
 * pool's ChallengeRequiredOnNewDevice allows, as in Cognito.
 */
export async function firstFactorPassed(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, deviceKey?: string): Promise<AuthResponse> {
  return withTokens(core, pool, client, await nextFactor(core, pool, client, user, deviceKey));
}

async function nextFactor(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, deviceKey?: string): Promise<SignInStep> {
  const device = await ownDevice(core, pool, user, deviceKey);
  if (device && trusted(pool.config, device) && deviceReplacesMfa(pool.config)) return deviceChallenge(core, client, user, device);
  const mfa = await mfaChallenge(core, pool, client, user, deviceKey);
  if (mfa) return mfa;
  // No MFA owed: a trusted device still proves itself, whatever ChallengeRequiredOnNewDevice says.
  if (device && trusted(pool.config, device)) return deviceChallenge(core, client, user, device);
  return { passed: user, deviceKey };
}

/** The Cognito API's answer to a step: a sign-in that passed starts its token family there and then. */
export async function withTokens(core: Core, pool: PoolRecord, client: ClientRecord, step: SignInStep): Promise<AuthResponse> {
  if (!isPassed(step)) return step;
  return { AuthenticationResult: await finishSignIn(core, pool, client, step.passed, step.deviceKey), ChallengeParameters: {} };
}

/**
 * After the first factor: clears the failure count, refuses accounts that may not sign in,
 * and tells whether a temporary password must be replaced first.
 */
export async function accountState(core: Core, pool: PoolRecord, user: UserRecord): Promise<'READY' | 'NEW_PASSWORD_REQUIRED'> {
  // With MFA the count clears only when the second factor passes, so wrong codes add up to a lock.
  if (user.failedSignIns > 0 && !mfaApplies(pool.config, user)) await core.store.users.resetFailedSignIns(pool.id, user.sub);
  if (!user.enabled) throw new NotAuthorizedError('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedError('User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredError('Password reset required for the user');
  if (user.status !== 'FORCE_CHANGE_PASSWORD') return 'READY';
  const days = passwordPolicy(pool.config).TemporaryPasswordValidityDays;
  if (days > 0 && (user.passwordSetAt ?? user.createdAt) + days * 86_400_000 < core.clock.now()) {
    throw new NotAuthorizedError('Temporary password has expired and must be reset by an administrator.');
  }
  return 'NEW_PASSWORD_REQUIRED';
}

export async function newPasswordChallenge(core: Core, client: ClientRecord, user: UserRecord): Promise<Challenge> {
  const { email_verified: _e, phone_number_verified: _p, ...visible } = user.attributes;
  return {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    Session: await openSession(core, client, user, 'NEW_PASSWORD_REQUIRED'),
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: '[]',
      userAttributes: JSON.stringify(visible),
    },
  };
}

/**
 * Starts a sign-in family: a refresh token and the first ID and access tokens, and, when the
 * pool tracks devices and `deviceKey` is not one of the user's, a new device to confirm.
 */
export async function finishSignIn(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, deviceKey?: string): Promise<AuthenticationResult> {
  const now = core.clock.now();
  const familyId = core.random.uuid();
  const refresh = await newRefreshToken(core, client, user, { familyId, authTime: now });
  await core.store.refreshTokens.insert(refresh.record);
  const tokens = await issueTokens(core, { pool, client, user, authTime: now, familyId });
  await core.store.audit.record({ poolId: pool.id, type: 'sign_in', sub: user.sub, clientId: client.id, createdAt: now });
  const device = await deviceAtSignIn(core, pool, user, deviceKey);
  return { ...tokens, RefreshToken: refresh.token, ...(device ? { NewDeviceMetadata: device } : {}) };
}
