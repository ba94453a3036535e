import type { Context } from 'hono';
import { hostedFirstFactorPassed } from '../../core/auth/hosted-sign-in.js';
import { isPassed, type SignInStep } from '../../core/auth/steps.js';
import type { Core } from '../../core/context.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { showMfa } from './mfa.js';
import { showNewPasswordChallenge } from './new-password.js';
import { browserDeviceOf, rememberThisBrowser } from './remember-device.js';
import { signedIn } from './signed-in.js';

/**
 * After the password proved right (typed, or just set through a reset or confirmation):
 * the core decides what follows. Account-state errors (disabled, unconfirmed, reset
 * required) propagate to the caller.
 */
export async function afterFirstFactor(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, user: UserRecord) {
  const browser = await browserDeviceOf(c, core, pool, user);
  return continueSignIn(c, core, pool, request, query, await hostedFirstFactorPassed(core, pool, request.client, user, browser));
}

/**
 * Shows the page for the step a sign-in stands at, or ends it when every factor passed,
 * remembering this browser first when the user asked for it on the MFA page.
 */
export async function continueSignIn(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, step: SignInStep, remember = false) {
  if (isPassed(step)) {
    if (remember) await rememberThisBrowser(c, core, pool, step.passed);
    return signedIn(c, core, pool, request, query, step.passed);
  }
  if (step.ChallengeName === 'NEW_PASSWORD_REQUIRED') return showNewPasswordChallenge(c, core, pool, request, query, step);
  return showMfa(c, core, pool, request, query, step);
}
