import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { NotAuthorizedError } from '../../errors.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { issuerOf, type Core } from '../context.js';

export type AccessClaims = JWTPayload & { client_id?: string; origin_jti?: string; username?: string; scope?: string; token_use?: string };

export interface VerifiedAccess {
  pool: PoolRecord;
  user: UserRecord;
  claims: AccessClaims;
}

const INVALID = 'Invalid Access Token';

/**
 * Verifies a JWT we signed: the pool comes from `iss` (and must be `expectedPool` when
 * given), the key from `kid` among that pool's published keys, and the algorithm must be
 * the key's own, so `alg: none` or HS256-with-a-public-key cannot pass. Revoked sign-in
 * families are refused.
 */
export async function verifyPoolJwt(core: Core, token: string, expectedPool?: string): Promise<{ pool: PoolRecord; claims: AccessClaims }> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    throw new NotAuthorizedError(INVALID);
  }
  const prefix = `${core.settings.baseUrl}/`;
  if (typeof unverified.iss !== 'string' || !unverified.iss.startsWith(prefix) || typeof header.kid !== 'string') {
    throw new NotAuthorizedError(INVALID);
  }
  const poolId = unverified.iss.slice(prefix.length);
  if (expectedPool !== undefined && poolId !== expectedPool) throw new NotAuthorizedError(INVALID);
  const pool = await core.store.pools.get(poolId);
  if (!pool) throw new NotAuthorizedError(INVALID);
  const verifier = await core.keys.verifier(poolId, header.kid);
  if (!verifier) throw new NotAuthorizedError(INVALID);
  let claims: AccessClaims;
  try {
    ({ payload: claims } = await jwtVerify(token, verifier.key, {
      issuer: issuerOf(core, poolId),
      algorithms: [verifier.alg],
      currentDate: new Date(core.clock.now()),
      requiredClaims: ['sub', 'exp', 'iat', 'token_use'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new NotAuthorizedError('Access Token has expired');
    throw new NotAuthorizedError(INVALID);
  }
  if (claims.origin_jti && (await core.store.refreshTokens.isFamilyRevoked(claims.origin_jti))) {
    throw new NotAuthorizedError('Access Token has been revoked');
  }
  return { pool, claims };
}

/** An access token of a signed-in user (not a client_credentials token), still valid for that user. */
export async function verifyAccessToken(core: Core, token: string, expectedPool?: string): Promise<VerifiedAccess> {
  const { pool, claims } = await verifyPoolJwt(core, token, expectedPool);
  return { pool, claims, user: await userOfAccessToken(core, pool, claims) };
}

/** For claims already verified: the user they were issued to, if the token is still good for that user. */
export async function userOfAccessToken(core: Core, pool: PoolRecord, claims: AccessClaims): Promise<UserRecord> {
  if (claims.token_use !== 'access' || claims.username === undefined) throw new NotAuthorizedError(INVALID);
  const user = await core.store.users.getBySub(pool.id, claims.sub!);
  if (!user) throw new NotAuthorizedError('User does not exist.');
  if (!user.enabled) throw new NotAuthorizedError('User is disabled.');
  if ((claims.iat ?? 0) < Math.floor(user.tokensValidAfter / 1000)) throw new NotAuthorizedError('Access Token has been revoked');
  return user;
}
