/**
 * The hosted UI's sign-in steps. They share every rule with the Cognito API (account
 * state, MFA, sessions, lock); a passed sign-in issues no tokens here (the UI starts an
 * SSO session and hands out an authorization code).
 */
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { mfaChallenge } from '../mfa/challenge.js';
import { accountState, newPasswordChallenge } from './sign-in.js';
import type { SignInStep } from './steps.js';

/** The password proved right: a temporary one must be replaced first, then the second factor. */
export async function hostedFirstFactorPassed(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<SignInStep> {
  if ((await accountState(core, pool, user)) === 'NEW_PASSWORD_REQUIRED') return newPasswordChallenge(core, client, user);
  return hostedNextFactor(core, pool, client, user);
}

/** MFA when it applies. */
export async function hostedNextFactor(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<SignInStep> {
  return (await mfaChallenge(core, pool, client, user)) ?? { passed: user };
}
