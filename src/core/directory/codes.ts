import { CodeMismatchError, ExpiredCodeError, LimitExceededError } from '../../errors.js';
import type { UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, constantTimeEqual, hmac, randomDigits } from '../crypto.js';

export type CodePurpose = 'signup' | 'reset' | 'link' | 'verify:email' | 'verify:phone_number' | 'mfa:sms' | 'mfa:email' | 'otp:sms' | 'otp:email';

const MAX_ATTEMPTS = 5;
export const SIGNUP_CODE_TTL_MS = 24 * 3_600_000;
export const RESET_CODE_TTL_MS = 3_600_000;

async function codeHash(core: Core, user: UserRecord, purpose: CodePurpose, code: string): Promise<string> {
  return base64url(await hmac(core.codeKey, `${user.poolId}\n${user.sub}\n${purpose}\n${code}`));
}

/** A new six-digit code replaces any earlier one of the same purpose; only its keyed hash is kept. */
export async function issueCode(core: Core, user: UserRecord, purpose: CodePurpose, ttlMs: number): Promise<string> {
  const code = randomDigits((n) => core.random.bytes(n), 6);
  const now = core.clock.now();
  await core.store.codes.put({
    poolId: user.poolId,
    sub: user.sub,
    purpose,
    codeHash: await codeHash(core, user, purpose, code),
    expiresAt: now + ttlMs,
    attempts: 0,
    createdAt: now,
  });
  return code;
}

/** Accepts a code once. Five wrong tries burn it, so a code cannot be brute-forced. */
export async function consumeCode(core: Core, user: UserRecord, purpose: CodePurpose, code: string): Promise<void> {
  const record = await core.store.codes.get(user.poolId, user.sub, purpose);
  if (!record || record.attempts >= MAX_ATTEMPTS) {
    throw new ExpiredCodeError('Invalid code provided, please request a code again.');
  }
  if (record.expiresAt <= core.clock.now()) {
    await core.store.codes.delete(user.poolId, user.sub, purpose);
    throw new ExpiredCodeError('Invalid code provided, please request a code again.');
  }
  if (!constantTimeEqual(record.codeHash, await codeHash(core, user, purpose, code))) {
    const attempts = await core.store.codes.fail(user.poolId, user.sub, purpose);
    if (attempts >= MAX_ATTEMPTS) throw new LimitExceededError('Attempt limit exceeded, please try after some time.');
    throw new CodeMismatchError('Invalid verification code provided, please try again.');
  }
  await core.store.codes.delete(user.poolId, user.sub, purpose);
}
