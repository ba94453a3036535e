/**
 * The hosted UI's sign-in steps. They share every rule with the Cognito API (account
 * state, MFA, sessions, lock) and differ in two things only: a passed sign-in issues no
 * tokens here (the UI starts an SSO session and hands out an authorization code), and a
 * browser remembered by cookie takes the place of device SRP.
 */
import type { ClientRecord, DeviceRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { deviceReplacesMfa } from '../devices/tracking.js';
import { mfaChallenge } from '../mfa/challenge.js';
import { accountState, newPasswordChallenge } from './sign-in.js';
import type { SignInStep } from './steps.js';

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
