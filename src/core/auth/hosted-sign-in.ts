/**
 * The hosted UI's sign-in steps: after a password, and with a code instead of one. They share
 * every rule with the Cognito API (account state, MFA, USER_AUTH factors and decoys,
 * sessions, lock) and differ in two things only: a passed sign-in issues no tokens here (the
 * UI starts an SSO session and hands out an authorization code), and a browser remembered by
 * cookie takes the place of device SRP.
 */
import type { ClientRecord, DeviceRecord, PoolRecord, UserRecord } from '../../ports.js';
import { InvalidParameterError, NotAuthorizedError } from '../../errors.js';
import type { Core } from '../context.js';
import { deviceReplacesMfa } from '../devices/tracking.js';
import { allowsFlow, preventsUserExistenceErrors } from '../directory/client-config.js';
import { allowedFirstFactors } from '../directory/first-factors.js';
import { mfaChallenge } from '../mfa/challenge.js';
import { answerOtp, otpChallenge, otpSessionChallenge, type OtpFactor } from './passwordless.js';
import { takeSession } from './sessions.js';
import { accountState, newPasswordChallenge } from './sign-in.js';
import type { Challenge, Passed, SignInStep } from './steps.js';
import { userAuthCandidate } from './user-auth.js';

const OTP_FACTORS: readonly OtpFactor[] = ['EMAIL_OTP', 'SMS_OTP'];

/** The password proved right: a temporary one must be replaced first, then the second factor. */
export async function hostedFirstFactorPassed(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, browser?: DeviceRecord): Promise<SignInStep> {
  if ((await accountState(core, pool, user)) === 'NEW_PASSWORD_REQUIRED') return newPasswordChallenge(core, client, user);
  return hostedNextFactor(core, pool, client, user, browser);
}

/**
 * MFA when it applies, unless a remembered browser stands in for it where the API lets a
 * trusted device do so (ChallengeRequiredOnNewDevice). The cookie already proved the device.
 */
export async function hostedNextFactor(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, browser?: DeviceRecord): Promise<SignInStep> {
  if (browser && deviceReplacesMfa(pool.config)) {
    await core.store.devices.update({ ...browser, lastAuthAt: core.clock.now() });
    if (user.failedSignIns > 0) await core.store.users.resetFailedSignIns(pool.id, user.sub);
    return { passed: user };
  }
  return (await mfaChallenge(core, pool, client, user)) ?? { passed: user };
}

/** The code factors the hosted sign-in offers besides the password: the client allows USER_AUTH and the pool's sign-in policy these codes. */
export function passwordlessFactors(pool: PoolRecord, client: ClientRecord): OtpFactor[] {
  if (!allowsFlow(client.config, 'ALLOW_USER_AUTH')) return [];
  const allowed = allowedFirstFactors(pool.config);
  return OTP_FACTORS.filter((factor) => allowed.includes(factor));
}

/**
 * "Sign in with a code": the USER_AUTH rules with one preferred code factor. The user gets a
 * code when the factor is theirs; when the client hides which users exist, any other name
 * gets the same answer and nothing is sent, as the API's decoys do.
 */
export async function startPasswordless(core: Core, pool: PoolRecord, client: ClientRecord, name: string, factor: OtpFactor): Promise<Challenge> {
  if (!passwordlessFactors(pool, client).includes(factor)) throw new NotAuthorizedError(`${factor} sign-in is not enabled for this client.`);
  const { user, available } = await userAuthCandidate(core, pool, client, name);
  if (user && available.includes(factor)) return otpChallenge(core, pool, client, user, name, factor);
  if (preventsUserExistenceErrors(client.config)) return otpChallenge(core, pool, client, undefined, name, factor);
  throw new InvalidParameterError(`${factor} is not available for this user.`);
}

/** Answers a code the hosted UI asked for; the Session says which sign-in it belongs to. */
export async function answerPasswordless(
  core: Core, pool: PoolRecord, client: ClientRecord, factor: OtpFactor, session: string, answers: Record<string, string>,
): Promise<Passed> {
  return answerOtp(core, pool, client, factor, await takeSession(core, client, session, otpSessionChallenge(factor)), answers, 'hosted');
}
