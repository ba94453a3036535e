import { Secret, TOTP } from 'otpauth';
import type { UserRecord } from '../../ports.js';
import type { Core } from '../context.js';

/** RFC 6238 as authenticator apps and Cognito use it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_S = 30;
const DIGITS = 6;
/** One step either side absorbs clock drift between the phone and us. */
const WINDOW = 1;

function context(user: Pick<UserRecord, 'poolId' | 'sub'>): string {
  return `totp:${user.poolId}:${user.sub}`;
}

/** A new 160-bit secret: base32 for the user's app, sealed for the user's row. */
export async function newTotpSecret(core: Core, user: Pick<UserRecord, 'poolId' | 'sub'>): Promise<{ secretCode: string; sealed: string }> {
  const bytes = core.random.bytes(20);
  const secretCode = new Secret({ buffer: bytes.slice().buffer }).base32;
  return { secretCode, sealed: await core.sealer.seal(secretCode, context(user)) };
}

/** The time step `code` belongs to under the secret, or undefined when it matches none in the window. */
export function matchingStep(secretCode: string, code: string, nowMs: number): number | undefined {
  if (!/^[0-9]{6}$/.test(code)) return undefined;
  const delta = TOTP.validate({
    token: code, secret: Secret.fromBase32(secretCode), algorithm: 'SHA1', digits: DIGITS, period: PERIOD_S, timestamp: nowMs, window: WINDOW,
  });
  return delta === null ? undefined : Math.floor(nowMs / 1000 / PERIOD_S) + delta;
}

/**
 * Checks a code against a sealed secret of the user and uses up its time step: a code, or any
 * code older than the last one accepted, passes once, even when two requests race with it.
 */
export async function acceptTotp(core: Core, user: UserRecord, sealed: string, code: string): Promise<boolean> {
  const step = matchingStep(await core.sealer.open(sealed, context(user)), code, core.clock.now());
  if (step === undefined) return false;
  return core.store.users.acceptTotpStep(user.poolId, user.sub, step);
}
