import { OAuthError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { sha256Base64url } from '../crypto.js';
import { tokenRevocationEnabled } from '../directory/client-config.js';
import { familyEnd } from '../tokens/refresh.js';
import { verifyPoolJwt } from '../tokens/verify-access.js';

/**
 * RFC 7009. A refresh token, or an access token (beyond Cognito), ends its whole sign-in
 * family. Unknown, expired or other clients' tokens are not an error and change nothing.
 */
export async function revoke(core: Core, pool: PoolRecord, client: ClientRecord, token: string): Promise<void> {
  if (!tokenRevocationEnabled(client.config)) throw new OAuthError('unsupported_token_type', 'Token revocation is disabled for this client');
  const now = core.clock.now();
  if (token.split('.').length === 3) {
    const claims = await verifyPoolJwt(core, token, pool.id).then((v) => v.claims, () => undefined);
    if (claims?.token_use === 'access' && claims.client_id === client.id && claims.origin_jti) {
      await core.store.refreshTokens.revokeFamily(pool.id, claims.origin_jti, familyEnd(core, client), now);
    }
    return;
  }
  const record = await core.store.refreshTokens.get(await sha256Base64url(token));
  if (record && record.clientId === client.id && record.poolId === pool.id) {
    await core.store.refreshTokens.revokeFamily(pool.id, record.familyId, familyEnd(core, client, record), now);
  }
}
