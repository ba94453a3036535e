import { OAuthError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import { issuerOf, type Core } from '../context.js';
import { validities } from '../directory/client-config.js';
import { issueTokens } from '../tokens/issue.js';
import { redeemRefreshToken } from '../tokens/refresh.js';
import { allowsFlow } from '../directory/client-config.js';
import { SignJWT } from 'jose';

/** The token endpoint's success body (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: 'Bearer';
  expires_in: number;
}

function oauthFlows(client: ClientRecord): string[] {
  return client.config.AllowedOAuthFlowsUserPoolClient === true ? ((client.config.AllowedOAuthFlows as string[] | undefined) ?? []) : [];
}

export async function refreshTokenGrant(core: Core, pool: PoolRecord, client: ClientRecord, form: URLSearchParams): Promise<TokenResponse> {
  const token = form.get('refresh_token');
  if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
  if (!allowsFlow(client.config, 'ALLOW_REFRESH_TOKEN_AUTH')) throw new OAuthError('unauthorized_client', 'This client may not use refresh tokens');
  const outcome = await redeemRefreshToken(core, client, token, (sub) => core.store.users.getBySub(pool.id, sub), async () => {});
  const scope = outcome.record.scope ?? undefined;
  const tokens = await issueTokens(core, { pool, client, user: outcome.user, authTime: outcome.record.authTime, familyId: outcome.record.familyId, scope });
  const withId = scope === undefined || scope.split(' ').includes('openid');
  return {
    access_token: tokens.AccessToken,
    ...(withId ? { id_token: tokens.IdToken } : {}),
    ...(outcome.nextToken ? { refresh_token: outcome.nextToken } : {}),
    token_type: 'Bearer',
    expires_in: tokens.ExpiresIn,
  };
}

/**
 * Machine-to-machine tokens: only for confidential clients with the client_credentials
 * flow, and only with custom (resource server) scopes the client was granted.
 */
export async function clientCredentialsGrant(
  core: Core,
  pool: PoolRecord,
  client: ClientRecord,
  form: URLSearchParams,
  customScopes: (poolId: string) => Promise<Set<string>>,
): Promise<TokenResponse> {
  if (!client.secretEnc) throw new OAuthError('unauthorized_client', 'client_credentials needs a client with a secret');
  if (!oauthFlows(client).includes('client_credentials')) throw new OAuthError('unauthorized_client', 'This client may not use client_credentials');
  const defined = await customScopes(pool.id);
  const allowed = ((client.config.AllowedOAuthScopes as string[] | undefined) ?? []).filter((s) => defined.has(s));
  const requested = form.get('scope');
  const scopes = requested === null ? allowed : requested.split(' ').filter(Boolean);
  if (scopes.length === 0 || scopes.some((s) => !allowed.includes(s))) throw new OAuthError('invalid_scope', 'The requested scope is not granted to this client');
  const { kid, alg, key } = await core.keys.signer(pool.id);
  const now = Math.floor(core.clock.now() / 1000);
  const lifetime = Math.floor(validities(client.config).accessMs / 1000);
  const accessToken = await new SignJWT({
    sub: client.id,
    token_use: 'access',
    scope: [...new Set(scopes)].join(' '),
    auth_time: now,
    iss: issuerOf(core, pool.id),
    exp: now + lifetime,
    iat: now,
    version: 2,
    jti: core.random.uuid(),
    client_id: client.id,
  })
    .setProtectedHeader({ alg, kid })
    .sign(key);
  return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime };
}
