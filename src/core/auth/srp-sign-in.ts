import { InvalidParameterError, NotAuthorizedError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, constantTimeEqual, fromBase64, hex, hmac, toBase64 } from '../crypto.js';
import { preventsUserExistenceErrors } from '../directory/client-config.js';
import { usernameAttributes, usernameKeyOf } from '../directory/pool-config.js';
import { findUserForSignIn } from './lookup.js';
import { checkSecretHash } from './secret-hash.js';
import { openSession, takeSession } from './sessions.js';
import { passwordAccepted, refuseLocked, unknownUser, wrongPassword, type AuthResponse } from './sign-in.js';
import { claimSignature, N, numberOf, serverKey, serverPublic, srpPoolName } from './srp.js';
import { parseSrpTimestamp } from './srp-timestamp.js';

const CHALLENGE = 'PASSWORD_VERIFIER';
const INCORRECT = 'Incorrect username or password.';
/** How far a claim's TIMESTAMP may be from our clock. */
export const MAX_SKEW_MS = 5 * 60_000;

/** Kept in the challenge session between the two steps; the client sees only B and the SECRET_BLOCK. */
interface SrpState {
  A: string;
  b: string;
  B: string;
  secretBlock: string;
  userIdForSrp: string;
  /** What the user typed, which the answer's USERNAME may repeat. */
  name: string;
  /** Present when there is no real verifier (unknown user): the claim fails whatever it is. */
  decoyVerifier?: string;
  /** AuthParameters.DEVICE_KEY, when the client named its device at InitiateAuth. */
  deviceKey?: string;
}

export function parseA(text: string): bigint {
  if (!/^[0-9a-fA-F]{1,1024}$/.test(text)) throw new InvalidParameterError('SRP_A is not a valid hexadecimal number.');
  const A = BigInt(`0x${text}`);
  if (A % N === 0n) throw new InvalidParameterError('SRP_A mod N cannot be 0.');
  return A;
}

export function decodeBase64(text: string): Uint8Array {
  try {
    return fromBase64(text);
  } catch {
    return new Uint8Array(0);
  }
}

/**
 * What a name without a verifier is answered: a salt and verifier derived from the name, so
 * asking twice gives the same SALT (B is fresh each time, as it is for real users).
 */
async function decoy(core: Core, pool: PoolRecord, name: string) {
  const seed = await hmac(core.codeKey, `srp-decoy:${pool.id}:${usernameKeyOf(pool.config, name)}`);
  const id = hex(seed.slice(16));
  // In pools with UsernameAttributes real users are known by their sub.
  const userIdForSrp = usernameAttributes(pool.config).length === 0
    ? name
    : `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-${((parseInt(id[16]!, 16) & 3) | 8).toString(16)}${id.slice(17, 20)}-${id.slice(20, 32)}`;
  // B = k·v + g^b hides v behind a fresh g^b, so any number serves; no exponentiation keeps timing like a real user's.
  return { salt: hex(seed.slice(0, 16)), verifier: numberOf(seed), userIdForSrp };
}

/** USER_SRP_AUTH, first step: answers PASSWORD_VERIFIER with the salt, B and a SECRET_BLOCK. */
export async function startSrpSignIn(core: Core, pool: PoolRecord, client: ClientRecord, name: string, srpA: string, deviceKey?: string): Promise<AuthResponse> {
  const A = parseA(srpA);
  const user = await findUserForSignIn(core, pool, name);
  if (!user?.passwordHash && !preventsUserExistenceErrors(client.config)) throw unknownUser(client);
  if (user) refuseLocked(user, core.clock.now());
  const real = user?.srpSalt && user.srpVerifier
    ? { salt: user.srpSalt, verifier: BigInt(`0x${user.srpVerifier}`), userIdForSrp: user.username }
    : undefined;
  if (user?.passwordHash && !real) {
    core.logger.warn('user has no SRP verifier yet: USER_SRP_AUTH fails until a password flow or a new password writes one', { poolId: pool.id, sub: user.sub });
  }
  const { salt, verifier, userIdForSrp } = real ?? (await decoy(core, pool, user?.username ?? name));

  const b = numberOf(core.random.bytes(32));
  const B = await serverPublic(verifier, b);
  // The session handle doubles as the SECRET_BLOCK, so clients that drop the Session still find their challenge.
  const handle = core.random.bytes(48);
  const secretBlock = toBase64(handle);
  const state: SrpState = {
    A: A.toString(16), b: b.toString(16), B: B.toString(16), secretBlock, userIdForSrp, name,
    ...(real ? {} : { decoyVerifier: verifier.toString(16) }),
    ...(deviceKey ? { deviceKey } : {}),
  };
  const session = await openSession(core, client, { sub: user?.sub ?? '' }, CHALLENGE, { ...state }, handle);
  return {
    ChallengeName: CHALLENGE,
    Session: session,
    ChallengeParameters: { SALT: salt, SECRET_BLOCK: secretBlock, SRP_B: B.toString(16), USERNAME: userIdForSrp, USER_ID_FOR_SRP: userIdForSrp },
  };
}

/** USER_SRP_AUTH, second step: checks the signature the client computed from the password. */
export async function verifyPasswordClaim(
  core: Core,
  pool: PoolRecord,
  client: ClientRecord,
  session: string | undefined,
  answers: Record<string, string>,
): Promise<AuthResponse> {
  const need = (key: string): string => {
    const value = answers[key];
    if (!value) throw new InvalidParameterError(`Missing required parameter ${key}`);
    return value;
  };
  const [username, block, signature, timestamp] = ['USERNAME', 'PASSWORD_CLAIM_SECRET_BLOCK', 'PASSWORD_CLAIM_SIGNATURE', 'TIMESTAMP'].map(need) as [string, string, string, string];
  const record = await takeSession(core, client, session ?? base64url(decodeBase64(block)), CHALLENGE);
  const state = record.state as unknown as SrpState;
  if (!constantTimeEqual(block, state.secretBlock)) throw new NotAuthorizedError(INCORRECT);
  if (username !== state.userIdForSrp && username !== state.name) throw new NotAuthorizedError(INCORRECT);
  await checkSecretHash(core, client, [username], answers.SECRET_HASH);
  const now = core.clock.now();
  const signedAt = parseSrpTimestamp(timestamp);
  if (signedAt === undefined || Math.abs(signedAt - now) > MAX_SKEW_MS) throw new NotAuthorizedError(INCORRECT);

  const user = state.decoyVerifier === undefined ? await core.store.users.getBySub(pool.id, record.sub) : undefined;
  if (user) refuseLocked(user, now);
  const verifier = state.decoyVerifier ?? user?.srpVerifier;
  if (!verifier) throw new NotAuthorizedError(INCORRECT);
  const key = await serverKey(BigInt(`0x${state.A}`), BigInt(`0x${state.B}`), BigInt(`0x${state.b}`), BigInt(`0x${verifier}`));
  const expected = await claimSignature(key, srpPoolName(pool.id), state.userIdForSrp, fromBase64(state.secretBlock), timestamp);
  const valid = constantTimeEqual(expected, decodeBase64(signature));
  if (!user) throw new NotAuthorizedError(INCORRECT);
  if (!valid) throw await wrongPassword(core, pool, client, user);
  // amazon-cognito-identity-js names its device only here, after reading it from storage.
  return passwordAccepted(core, pool, client, user, answers.DEVICE_KEY ?? state.deviceKey);
}
