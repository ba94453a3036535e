import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { NotAuthorizedError } from '../../errors.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { issuerOf, type Core } from '../context.js';

export interface VerifiedAccess {
  pool: PoolRecord;
  user: UserRecord;
  claims: JWTPayload & { client_id?: string; origin_jti?: string; username?: string };
}

const INVALID = 'Invalid Access Token';

/**
 * Verifies one of our own access tokens: the pool comes from `iss`, the key from `kid`
 * among that pool's published keys, and the algorithm must be the key's own (so
 * `alg: none` or HS256-with-a-public-key cannot pass). Revocation is checked too.
 */
export async function verifyAccessToken(core: Core, token: string): Promise<VerifiedAccess> {
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
  const pool = await core.store.pools.get(poolId);
  if (!pool) throw new NotAuthorizedError(INVALID);
  const verifier = await core.keys.verifier(poolId, header.kid);
  if (!verifier) throw new NotAuthorizedError(INVALID);
  let claims: VerifiedAccess['claims'];
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
  if (claims.token_use !== 'access') throw new NotAuthorizedError(INVALID);
  if (claims.origin_jti && (await core.store.refreshTokens.isFamilyRevoked(claims.origin_jti))) {
    throw new NotAuthorizedError('Access Token has been revoked');
  }
  const user = await core.store.users.getBySub(poolId, claims.sub!);
  if (!user) throw new NotAuthorizedError('User does not exist.');
  if (!user.enabled) throw new NotAuthorizedError('User is disabled.');
  if ((claims.iat ?? 0) < Math.floor(user.tokensValidAfter / 1000)) throw new NotAuthorizedError('Access Token has been revoked');
  return { pool, user, claims };
}
