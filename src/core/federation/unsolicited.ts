import { UpstreamError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { AuthorizePageError, AuthorizeRedirectError, parseAuthorizeRequest } from '../oauth/authorize-request.js';
import { adapterOf } from './adapter.js';
import type { FederatedSignIn } from './broker.js';
import { federatedOutcome } from './federated-user.js';

/**
 * An IdP-initiated (unsolicited) SAML sign-in. Nothing was requested, so the RelayState
 * carries the authorization request, as Cognito's does: `client_id`, a registered
 * `redirect_uri`, `response_type=code`, `identity_provider` and optionally `scope` and
 * `state`. No PKCE verifier can be bound to a response nobody requested, so only clients
 * with a secret may be signed in this way; the provider must have IDPInit "true" (its
 * adapter refuses otherwise) and be enabled for the client.
 */
export async function finishUnsolicitedSignIn(core: Core, pool: PoolRecord, relayState: string | null, params: URLSearchParams): Promise<FederatedSignIn> {
  if (!relayState || !relayState.includes('client_id=')) {
    throw new AuthorizePageError('invalid_request', 'An IdP-initiated sign-in needs a RelayState naming client_id, redirect_uri, response_type=code and identity_provider');
  }
  const request = await parseAuthorizeRequest(core, pool, new URLSearchParams(relayState));
  const fail = (error: string, description: string) =>
    new AuthorizeRedirectError(error, description, request.redirectUri, request.state, request.responseType);
  if (request.responseType !== 'code') throw fail('unsupported_response_type', 'IdP-initiated sign-in answers with response_type=code only');
  if (!request.client.secretEnc) throw fail('unauthorized_client', 'IdP-initiated sign-in is only for clients with a secret');
  const provider = request.identityProvider ? await core.store.identityProviders.get(pool.id, request.identityProvider) : undefined;
  if (!provider || provider.type !== 'SAML') throw fail('invalid_request', 'identity_provider must name the SAML provider that signed the response');
  try {
    const adapter = await adapterOf(core, pool, provider);
    const identity = await adapter.callback(undefined, params);
    const outcome = await federatedOutcome(core, pool, provider, identity);
    return { request, query: relayState, provider, identity, outcome };
  } catch (error) {
    core.logger.warn('IdP-initiated sign-in failed', { pool: pool.id, provider: provider.name, error: (error as Error).message });
    const message = error instanceof UpstreamError || (error as { expose?: boolean }).expose ? (error as Error).message : 'The sign-in could not be completed';
    throw fail('invalid_request', message);
  }
}
