import { CodeMismatchError, ExpiredCodeError, InvalidParameterError, LimitExceededError, NotAuthorizedError, UserNotConfirmedError } from '../../errors.js';
import type { AuthSessionRecord, ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { hex, hmac } from '../crypto.js';
import { consumeCode, issueCode, type CodePurpose } from '../directory/codes.js';
import { deliverCode, maskDestination, type Destination } from '../messages/deliver.js';
import { MAX_WRONG_CODES } from '../mfa/respond.js';
import { findUserForSignIn } from './lookup.js';
import { checkAnswerer } from './secret-hash.js';
import { openSession } from './sessions.js';
import { refuseLocked } from './sign-in.js';
import type { Answerer, Challenge, Passed } from './steps.js';

export type OtpFactor = 'EMAIL_OTP' | 'SMS_OTP';

/** Where each one-time code goes, the purpose its hash is kept under, and the answer key that carries it back. */
const OTP: Record<OtpFactor, { purpose: CodePurpose; attribute: 'email' | 'phone_number'; channel: Destination['channel']; key: string }> = {
  EMAIL_OTP: { purpose: 'otp:email', attribute: 'email', channel: 'email', key: 'EMAIL_OTP_CODE' },
  SMS_OTP: { purpose: 'otp:sms', attribute: 'phone_number', channel: 'sms', key: 'SMS_OTP_CODE' },
};

/**
 * The stored challenge name of a passwordless code session. It differs from the MFA EMAIL_OTP
 * challenge, so a Session opened for one can never answer the other.
 */
export function otpSessionChallenge(factor: OtpFactor): string {
  return `USER_AUTH:${factor}`;
}

/** Kept in the code challenge's session. */
interface OtpState {
  attempts: number;
  /** What the user typed, which the answer's USERNAME may repeat. */
  name: string;
  /** No such user (or no such address): no code was sent and every answer fails like a wrong code. */
  decoy?: boolean;
}

/** A masked destination for a name that has none, stable per name so asking twice looks the same. */
async function decoyDestination(core: Core, pool: PoolRecord, name: string, factor: OtpFactor): Promise<Destination> {
  if (factor === 'EMAIL_OTP') return { channel: 'email', to: name.includes('@') ? name : `${name}@example.com` };
  if (/^\+\d{6,}$/.test(name)) return { channel: 'sms', to: name };
  const digits = BigInt(`0x${hex(await hmac(core.codeKey, `otp-decoy:${pool.id}:${name}`)).slice(0, 12)}`).toString().padStart(7, '0');
  return { channel: 'sms', to: `+1555${digits.slice(-7)}` };
}

function sessionValidityMs(client: ClientRecord): number {
  return Number(client.config.AuthSessionValidity ?? 3) * 60_000;
}

/**
 * Sends a sign-in code to the user's verified email or phone and answers the EMAIL_OTP or
 * SMS_OTP challenge. Without a user (`undefined`) nothing is sent, but the answer looks the same.
 */
export async function otpChallenge(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord | undefined, name: string, factor: OtpFactor): Promise<Challenge> {
  const otp = OTP[factor];
  let destination: Destination;
  if (user) {
    refuseLocked(user, core.clock.now());
    destination = { channel: otp.channel, to: user.attributes[otp.attribute]! };
    const code = await issueCode(core, user, otp.purpose, sessionValidityMs(client));
    await deliverCode(core, pool, user, destination, 'CustomMessage_Authentication', code);
  } else {
    destination = await decoyDestination(core, pool, name, factor);
  }
  const details = maskDestination(destination);
  const state: OtpState = { attempts: 0, name, ...(user ? {} : { decoy: true }) };
  return {
    ChallengeName: factor,
    Session: await openSession(core, client, { sub: user?.sub ?? '' }, otpSessionChallenge(factor), { ...state }),
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium, CODE_DELIVERY_DESTINATION: details.Destination },
  };
}

/** Whether the answer's USERNAME names the session's user: what was typed, the username, the sub or an alias. */
async function namesUser(core: Core, pool: PoolRecord, state: OtpState, user: UserRecord | undefined, name: string): Promise<boolean> {
  if (name === state.name) return true;
  if (!user) return false;
  return name === user.username || name === user.sub || (await findUserForSignIn(core, pool, name))?.sub === user.sub;
}

async function codeAccepted(core: Core, user: UserRecord, purpose: CodePurpose, code: string): Promise<boolean> {
  try {
    await consumeCode(core, user, purpose, code);
    return true;
  } catch (error) {
    if (error instanceof CodeMismatchError || error instanceof ExpiredCodeError || error instanceof LimitExceededError) return false;
    throw error;
  }
}

/** A wrong code counts against the session (five close it) and, for a real user, toward the account lock. */
async function wrongCode(core: Core, pool: PoolRecord, client: ClientRecord, record: AuthSessionRecord, state: OtpState, user: UserRecord | undefined): Promise<never> {
  const now = core.clock.now();
  if (user) {
    const { failures } = await core.store.users.countFailedSignIn(pool.id, user.sub, now);
    await core.store.audit.record({ poolId: pool.id, type: 'sign_in_failed', sub: user.sub, clientId: client.id, detail: { challenge: record.challenge, failures }, createdAt: now });
  }
  const attempts = state.attempts + 1;
  if (attempts < MAX_WRONG_CODES) await core.store.authSessions.put({ ...record, state: { ...state, attempts } });
  throw new CodeMismatchError('Invalid code received for user');
}

/** The code proved the address: the account must still be one that may sign in. */
function refuseUnusable(user: UserRecord): void {
  if (!user.enabled) throw new NotAuthorizedError('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedError('User is not confirmed.');
}

/**
 * Answers EMAIL_OTP or SMS_OTP with the code, for the API and the hosted UI alike. The code
 * is the whole first factor: a right one passes the sign-in, with no MFA after it, as in
 * Cognito. A rejected answer (missing parameter, lock still running, wrong code before the
 * fifth) leaves the session open for another try.
 */
export async function answerOtp(
  core: Core, pool: PoolRecord, client: ClientRecord, factor: OtpFactor, record: AuthSessionRecord, answers: Record<string, string>, answerer: Answerer,
): Promise<Passed> {
  const state = { attempts: 0, ...(record.state as Partial<OtpState>) } as OtpState;
  const user = state.decoy ? undefined : await core.store.users.getBySub(pool.id, record.sub);
  if (!state.decoy && !user) throw new NotAuthorizedError('Invalid session for the user.');
  let code: string;
  try {
    const name = answers.USERNAME;
    if (!name) throw new InvalidParameterError('Missing required parameter USERNAME');
    const key = OTP[factor].key;
    code = answers[key] ?? '';
    if (!code) throw new InvalidParameterError(`Missing required parameter ${key}`);
    if (!(await namesUser(core, pool, state, user, name))) throw new NotAuthorizedError('Invalid session for the user.');
    await checkAnswerer(core, client, answerer, [name, user?.username ?? state.name], answers.SECRET_HASH);
    if (user) refuseLocked(user, core.clock.now());
  } catch (error) {
    const retry = error instanceof InvalidParameterError || (error instanceof NotAuthorizedError && error.message === 'Password attempts exceeded');
    if (retry) await core.store.authSessions.put(record);
    throw error;
  }
  if (!user || !(await codeAccepted(core, user, OTP[factor].purpose, code))) return wrongCode(core, pool, client, record, state, user);
  refuseUnusable(user);
  if (user.failedSignIns > 0) await core.store.users.resetFailedSignIns(pool.id, user.sub);
  return { passed: user };
}
