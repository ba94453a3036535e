import { customScopes } from '../../core/api/resource-servers.js';
import { POOL_ID } from '../../core/api/input.js';
import type { Core } from '../../core/context.js';
import { authenticateClient, credentialsFrom } from '../../core/oauth/client-auth.js';
import { authorizationCodeGrant } from '../../core/oauth/codes.js';
import { clientCredentialsGrant, refreshTokenGrant } from '../../core/oauth/grants.js';
import { InvalidClientError, OAuthError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import { NO_STORE, oauthError, parseForm, plainJson, type PlainResponse } from './respond.js';

export interface TokenRequest {
  poolId: string;
  contentType: string | undefined;
  authorization: string | undefined;
  /** Undefined when the body was larger than MAX_TOKEN_BODY and was not kept. */
  body: string | undefined;
}

/** Token requests are a few parameters; anything near this is not one. */
export const MAX_TOKEN_BODY = 64 * 1024;

const BASIC_CHALLENGE = { 'www-authenticate': 'Basic realm="oauth2"' };

/** Authenticates the caller; Basic failures carry the challenge RFC 6749 §5.2 asks for. */
export async function authenticatedClient(core: Core, pool: PoolRecord, authorization: string | undefined, form: URLSearchParams): Promise<ClientRecord> {
  try {
    return await authenticateClient(core, pool, credentialsFrom(authorization, form));
  } catch (error) {
    if (error instanceof InvalidClientError) error.basicAttempted = authorization?.startsWith('Basic ') === true;
    throw error;
  }
}

/** The error answer, with the Basic challenge when Basic authentication failed. */
export function oauthFailure(core: Core, error: unknown): PlainResponse {
  return oauthError(error, core.logger, error instanceof InvalidClientError && error.basicAttempted ? BASIC_CHALLENGE : {});
}

/** The pool a `/{poolId}/oauth2/*` URL names, or undefined (answered 404). */
export async function poolNamed(core: Core, poolId: string): Promise<PoolRecord | undefined> {
  return POOL_ID.test(poolId) ? core.store.pools.get(poolId) : undefined;
}

/**
 * `POST /{poolId}/oauth2/token`, free of any framework: the Hono route and Node's fast path
 * (src/runtime/node-fast-path.ts) both answer with this, so the endpoint has one behaviour.
 */
export async function tokenEndpoint(core: Core, request: TokenRequest): Promise<PlainResponse> {
  const pool = await poolNamed(core, request.poolId);
  if (!pool) return plainJson(404, { error: 'not_found' });
  try {
    if (request.body === undefined) throw new OAuthError('invalid_request', 'The request body is too large');
    const form = parseForm(request.contentType, request.body);
    const client = await authenticatedClient(core, pool, request.authorization, form);
    const grant = form.get('grant_type');
    if (!grant) throw new OAuthError('invalid_request', 'grant_type is required');
    if (grant === 'authorization_code') return plainJson(200, await authorizationCodeGrant(core, pool, client, form), NO_STORE);
    if (grant === 'refresh_token') return plainJson(200, await refreshTokenGrant(core, pool, client, form), NO_STORE);
    if (grant === 'client_credentials') return plainJson(200, await clientCredentialsGrant(core, pool, client, form, (id) => customScopes(core, id)), NO_STORE);
    throw new OAuthError('unsupported_grant_type', `grant_type ${grant} is not supported`);
  } catch (error) {
    return oauthFailure(core, error);
  }
}
