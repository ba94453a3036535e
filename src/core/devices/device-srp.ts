/**
 * DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER: the same SRP as USER_SRP_AUTH, with the
 * device group key in place of the pool name, the device key as the user name and the
 * verifier the client sent to ConfirmDevice. Proving the device skips MFA.
 */
import { InvalidParameterError, NotAuthorizedError } from '../../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import { checkSecretHash } from '../auth/secret-hash.js';
import { openSession, takeSession } from '../auth/sessions.js';
import { finishSignIn, refuseLocked, type AuthResponse } from '../auth/sign-in.js';
import { claimSignature, serverKey, serverPublic, numberOf } from '../auth/srp.js';
import { decodeBase64, MAX_SKEW_MS, parseA } from '../auth/srp-sign-in.js';
import { parseSrpTimestamp } from '../auth/srp-timestamp.js';
import type { Core } from '../context.js';
import { base64url, constantTimeEqual, fromBase64, toBase64 } from '../crypto.js';
import { findUserForSignIn } from '../auth/lookup.js';
import { ownDevice, trusted } from './tracking.js';

const INCORRECT = 'Incorrect username or password.';
const INVALID_SESSION = 'Invalid session for the user.';

interface DeviceSrpState {
  deviceKey: string;
  A?: string;
  b?: string;
  B?: string;
  secretBlock?: string;
}

function need(answers: Record<string, string>, key: string): string {
  const value = answers[key];
  if (!value) throw new InvalidParameterError(`Missing required parameter ${key}`);
  return value;
}

/** The session's user, still allowed in, named by the answer's USERNAME, with the device still trusted. */
async function signInOf(core: Core, pool: PoolRecord, client: ClientRecord, sub: string, state: DeviceSrpState, answers: Record<string, string>) {
  const name = need(answers, 'USERNAME');
  if (need(answers, 'DEVICE_KEY') !== state.deviceKey) throw new NotAuthorizedError(INVALID_SESSION);
  const user = await core.store.users.getBySub(pool.id, sub);
  if (!user || !user.enabled) throw new NotAuthorizedError(INVALID_SESSION);
  if (name !== user.sub && name !== user.username && (await findUserForSignIn(core, pool, name))?.sub !== user.sub) throw new NotAuthorizedError(INVALID_SESSION);
  await checkSecretHash(core, client, [name, user.username], answers.SECRET_HASH);
  refuseLocked(user, core.clock.now());
  const device = await ownDevice(core, pool, user, state.deviceKey);
  if (!device || !trusted(pool.config, device)) throw new NotAuthorizedError('Device does not exist or is not remembered.');
  return { user, device };
}

/** DEVICE_SRP_AUTH answered with SRP_A: DEVICE_PASSWORD_VERIFIER with the device's salt, B and a SECRET_BLOCK. */
async function startDeviceSrp(core: Core, pool: PoolRecord, client: ClientRecord, session: string | undefined, answers: Record<string, string>): Promise<AuthResponse> {
  const record = await takeSession(core, client, session, 'DEVICE_SRP_AUTH');
  const state = record.state as unknown as DeviceSrpState;
  const A = parseA(need(answers, 'SRP_A'));
  const { user, device } = await signInOf(core, pool, client, record.sub, state, answers);
  const b = numberOf(core.random.bytes(32));
  const B = await serverPublic(BigInt(`0x${device.verifier}`), b);
  const handle = core.random.bytes(48);
  const secretBlock = toBase64(handle);
  const next: DeviceSrpState = { deviceKey: device.deviceKey, A: A.toString(16), b: b.toString(16), B: B.toString(16), secretBlock };
  return {
    ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
    Session: await openSession(core, client, user, 'DEVICE_PASSWORD_VERIFIER', { ...next }, handle),
    ChallengeParameters: { SALT: device.salt!, SRP_B: B.toString(16), SECRET_BLOCK: secretBlock, USERNAME: user.username, DEVICE_KEY: device.deviceKey },
  };
}

/** DEVICE_PASSWORD_VERIFIER: the claim signed with the device's key; tokens without MFA. */
async function verifyDeviceClaim(core: Core, pool: PoolRecord, client: ClientRecord, session: string | undefined, answers: Record<string, string>): Promise<AuthResponse> {
  const block = need(answers, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = need(answers, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = need(answers, 'TIMESTAMP');
  const record = await takeSession(core, client, session ?? base64url(decodeBase64(block)), 'DEVICE_PASSWORD_VERIFIER');
  const state = record.state as unknown as Required<DeviceSrpState>;
  if (!constantTimeEqual(block, state.secretBlock)) throw new NotAuthorizedError(INCORRECT);
  const { user, device } = await signInOf(core, pool, client, record.sub, state, answers);
  const signedAt = parseSrpTimestamp(timestamp);
  if (signedAt === undefined || Math.abs(signedAt - core.clock.now()) > MAX_SKEW_MS) throw new NotAuthorizedError(INCORRECT);
  const key = await serverKey(BigInt(`0x${state.A}`), BigInt(`0x${state.B}`), BigInt(`0x${state.b}`), BigInt(`0x${device.verifier}`));
  const expected = await claimSignature(key, device.groupKey, device.deviceKey, fromBase64(state.secretBlock), timestamp);
  if (!constantTimeEqual(expected, decodeBase64(signature))) {
    await audit(core, pool, client, user, 'device_sign_in_failed');
    throw new NotAuthorizedError(INCORRECT);
  }
  if (user.failedSignIns > 0) await core.store.users.resetFailedSignIns(pool.id, user.sub);
  return { AuthenticationResult: await finishSignIn(core, pool, client, user, device.deviceKey), ChallengeParameters: {} };
}

async function audit(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, type: string): Promise<void> {
  await core.store.audit.record({ poolId: pool.id, type, sub: user.sub, clientId: client.id, createdAt: core.clock.now() });
}

export const DEVICE_CHALLENGES = ['DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER'] as const;

export function isDeviceChallenge(name: string): name is (typeof DEVICE_CHALLENGES)[number] {
  return (DEVICE_CHALLENGES as readonly string[]).includes(name);
}

export function respondToDevice(
  core: Core,
  pool: PoolRecord,
  client: ClientRecord,
  name: (typeof DEVICE_CHALLENGES)[number],
  session: string | undefined,
  answers: Record<string, string>,
): Promise<AuthResponse> {
  return name === 'DEVICE_SRP_AUTH' ? startDeviceSrp(core, pool, client, session, answers) : verifyDeviceClaim(core, pool, client, session, answers);
}
