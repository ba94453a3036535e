import type { ClientRecord, PoolRecord } from '../../ports.js';
import { issuerOf, type Core } from '../context.js';
import { sha256Base64url } from '../crypto.js';
import { userOfAccessToken, verifyPoolJwt } from '../tokens/verify-access.js';

const INACTIVE = { active: false } as const;

/**
 * RFC 7662, for the calling client's own tokens only: anything else, and anything
 * expired, revoked or of a disabled user, is `{active: false}` with no reason given.
 */
export async function introspect(core: Core, pool: PoolRecord, client: ClientRecord, token: string): Promise<Record<string, unknown>> {
  if (token.split('.').length === 3) return introspectJwt(core, pool, client, token);
  const record = await core.store.refreshTokens.get(await sha256Base64url(token));
  const now = core.clock.now();
  if (!record || record.clientId !== client.id || record.poolId !== pool.id || record.expiresAt <= now || record.replacedAt !== null) return INACTIVE;
  const user = await core.store.users.getBySub(pool.id, record.sub);
  if (!user || !user.enabled) return INACTIVE;
  return {
    active: true,
    client_id: client.id,
    username: user.username,
    sub: user.sub,
    token_type: 'refresh_token',
    ...(record.scope ? { scope: record.scope } : {}),
    iat: Math.floor(record.createdAt / 1000),
    exp: Math.floor(record.expiresAt / 1000),
    iss: issuerOf(core, pool.id),
  };
}

async function introspectJwt(core: Core, pool: PoolRecord, client: ClientRecord, token: string): Promise<Record<string, unknown>> {
  try {
    const { claims } = await verifyPoolJwt(core, token, pool.id);
    if (claims.token_use !== 'access' || claims.client_id !== client.id) return INACTIVE;
    // A user's token must still be good for that user; a client_credentials token has no user.
    if (claims.username !== undefined) await userOfAccessToken(core, pool, claims);
    return {
      active: true,
      scope: claims.scope,
      client_id: claims.client_id,
      ...(claims.username !== undefined ? { username: claims.username } : {}),
      token_type: 'Bearer',
      exp: claims.exp,
      iat: claims.iat,
      sub: claims.sub,
      iss: claims.iss,
      jti: claims.jti,
      token_use: 'access',
    };
  } catch {
    return INACTIVE;
  }
}
