import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { issueAuthorizationCode } from '../../core/oauth/codes.js';
import { issuerOf, type Core } from '../../core/context.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { issueTokens } from '../../core/tokens/issue.js';

/** Builds the redirect back to the client: query for code, fragment for the implicit flow (RFC 9207 `iss` on both). */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>, fragment: boolean): string {
  const url = new URL(redirectUri);
  const extra = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) extra.set(k, v);
  if (fragment) {
    url.hash = extra.toString();
    return url.toString();
  }
  for (const [k, v] of extra) url.searchParams.set(k, v);
  return url.toString();
}

/** The user is signed in: answer the authorization request with a code, or tokens for the implicit flow. */
export async function completeAuthorization(core: Core, pool: PoolRecord, request: AuthorizeRequest, user: UserRecord, authTime: number): Promise<string> {
  const iss = issuerOf(core, pool.id);
  if (request.responseType === 'code') {
    const code = await issueAuthorizationCode(core, request, user, authTime);
    return redirectWith(request.redirectUri, { code, state: request.state, iss }, false);
  }
  const scope = request.scopes.join(' ');
  const tokens = await issueTokens(core, { pool, client: request.client, user, authTime, familyId: core.random.uuid(), scope, nonce: request.nonce });
  return redirectWith(
    request.redirectUri,
    {
      access_token: tokens.AccessToken,
      id_token: request.scopes.includes('openid') ? tokens.IdToken : undefined,
      token_type: 'Bearer',
      expires_in: String(tokens.ExpiresIn),
      state: request.state,
      iss,
    },
    true,
  );
}
