import { OAuthError } from '../../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, constantTimeEqual, sha256, sha256Base64url } from '../crypto.js';
import { allowsFlow } from '../directory/client-config.js';
import { issueTokens } from '../tokens/issue.js';
import { familyEnd, newRefreshToken } from '../tokens/refresh.js';
import type { AuthorizeRequest } from './authorize-request.js';
import type { TokenResponse } from './grants.js';

const CODE_TTL_MS = 5 * 60_000;
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** A single-use code bound to client, redirect URI, PKCE challenge, nonce and scope. */
export async function issueAuthorizationCode(core: Core, request: AuthorizeRequest, user: UserRecord, authTime: number): Promise<string> {
  const code = base64url(core.random.bytes(32));
  const now = core.clock.now();
  await core.store.authorizationCodes.insert({
    codeHash: await sha256Base64url(code),
    poolId: request.client.poolId,
    clientId: request.client.id,
    sub: user.sub,
    redirectUri: request.redirectUri,
    scope: request.scopes.join(' '),
    nonce: request.nonce ?? null,
    codeChallenge: request.codeChallenge ?? null,
    authTime,
    familyId: core.random.uuid(),
    expiresAt: now + CODE_TTL_MS,
    consumedAt: null,
  });
  return code;
}

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/** RFC 6749 §4.1.3 with RFC 7636; a replayed code revokes everything its first use issued. */
export async function authorizationCodeGrant(core: Core, pool: PoolRecord, client: ClientRecord, form: URLSearchParams): Promise<TokenResponse> {
  const code = form.get('code');
  if (!code) throw new OAuthError('invalid_request', 'code is required');
  const now = core.clock.now();
  const consumed = await core.store.authorizationCodes.consume(await sha256Base64url(code), now);
  if (!consumed || consumed.record.poolId !== pool.id) throw invalidGrant('Invalid authorization code');
  const { record, firstUse } = consumed;
  if (!firstUse) {
    await core.store.refreshTokens.revokeFamily(pool.id, record.familyId, familyEnd(core, client), now);
    await core.store.audit.record({ poolId: pool.id, type: 'authorization_code_reuse', sub: record.sub, clientId: record.clientId, createdAt: now });
    throw invalidGrant('Authorization code already used');
  }
  if (record.clientId !== client.id) throw invalidGrant('Authorization code was issued to another client');
  if (record.expiresAt <= now) throw invalidGrant('Authorization code expired');
  if (form.get('redirect_uri') !== record.redirectUri) throw invalidGrant('redirect_uri does not match the authorization request');
  const verifier = form.get('code_verifier');
  if (record.codeChallenge !== null) {
    if (!verifier || !VERIFIER.test(verifier)) throw invalidGrant('code_verifier is required');
    if (!constantTimeEqual(base64url(await sha256(verifier)), record.codeChallenge)) throw invalidGrant('code_verifier does not match');
  } else if (verifier !== null) {
    // A verifier for a code issued without a challenge means a downgrade attempt.
    throw invalidGrant('code_verifier sent for a code issued without PKCE');
  }
  const user = await core.store.users.getBySub(pool.id, record.sub);
  if (!user || !user.enabled) throw invalidGrant('User is not available');
  const scope = record.scope;
  const tokens = await issueTokens(core, { pool, client, user, authTime: record.authTime, familyId: record.familyId, scope, nonce: record.nonce ?? undefined });
  let refreshToken: string | undefined;
  if (allowsFlow(client.config, 'ALLOW_REFRESH_TOKEN_AUTH')) {
    const refresh = await newRefreshToken(core, client, user, { familyId: record.familyId, authTime: record.authTime, scope });
    await core.store.refreshTokens.insert(refresh.record);
    refreshToken = refresh.token;
  }
  await core.store.audit.record({ poolId: pool.id, type: 'authorization_code_exchanged', sub: user.sub, clientId: client.id, createdAt: now });
  return {
    access_token: tokens.AccessToken,
    ...(scope.split(' ').includes('openid') ? { id_token: tokens.IdToken } : {}),
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    token_type: 'Bearer',
    expires_in: tokens.ExpiresIn,
  };
}
