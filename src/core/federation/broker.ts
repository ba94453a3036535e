import type { FederatedIdentity, UpstreamRequest } from '../../../providers/types.js';
import { UpstreamError } from '../../errors.js';
import type { IdentityProviderRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, constantTimeEqual, sha256Base64url } from '../crypto.js';
import { AuthorizePageError, AuthorizeRedirectError, parseAuthorizeRequest, type AuthorizeRequest } from '../oauth/authorize-request.js';
import { adapterOf } from './adapter.js';
import { federatedOutcome, type FederatedOutcome } from './federated-user.js';

/** How long a user may take at the upstream before the callback. */
export const FEDERATION_STATE_MS = 10 * 60_000;

export interface FederatedSignIn {
  request: AuthorizeRequest;
  /** The authorization request as it came, to resume it after a confirmation step. */
  query: string;
  provider: IdentityProviderRecord;
  identity: FederatedIdentity;
  /** `linkTo`: the flow was started to add the identity to this signed-in user's account. */
  outcome: FederatedOutcome;
}

async function loadProvider(core: Core, pool: PoolRecord, name: string): Promise<IdentityProviderRecord> {
  const provider = await core.store.identityProviders.get(pool.id, name);
  if (!provider) throw new UpstreamError(`Identity provider ${name} does not exist`);
  return provider;
}

/**
 * Starts a federated sign-in for a validated authorization request: the state parameter
 * is random, kept server-side by hash with the request to resume, and bound to the browser
 * by the hash of `browserSecret` (a cookie the caller sets).
 */
export async function startFederatedSignIn(
  core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, providerName: string, browserSecret: string,
  linkTo?: UserRecord,
): Promise<UpstreamRequest> {
  const provider = await loadProvider(core, pool, providerName);
  const adapter = await adapterOf(core, pool, provider);
  const state = base64url(core.random.bytes(32));
  const nonce = base64url(core.random.bytes(32));
  const upstream = await adapter.authorize({ state, nonce, loginHint: request.loginHint });
  await core.store.federation.putState({
    idHash: await sha256Base64url(state),
    poolId: pool.id,
    providerName: provider.name,
    browserHash: await sha256Base64url(browserSecret),
    authorizeQuery: query,
    // linkTo: a signed-in user adding this provider to their account, not signing in.
    kept: { ...upstream.kept, nonce, ...(linkTo ? { linkTo: linkTo.sub } : {}) },
    expiresAt: core.clock.now() + FEDERATION_STATE_MS,
  });
  return upstream;
}

/** The user said no upstream: OAuth's `access_denied`, and Apple's own word for it. */
const CANCELLED = ['access_denied', 'user_cancelled_authorize'];

/** The upstream's own error (RFC 6749 §4.1.2.1), passed on to the client without detail it did not choose to show. */
function upstreamRefusal(params: URLSearchParams): string | undefined {
  const error = params.get('error');
  if (!error) return undefined;
  return CANCELLED.includes(error) ? 'The sign-in was cancelled or refused at the identity provider' : `The identity provider answered ${error.slice(0, 64)}`;
}

/**
 * Finishes a federated sign-in from the provider's callback. Before the state is known
 * good, failures are pages (AuthorizePageError); after it, they go back to the client's
 * validated redirect URI (AuthorizeRedirectError). Nothing is created unless every check passed.
 */
export async function finishFederatedSignIn(
  core: Core, pool: PoolRecord, state: string | null, browserSecret: string | undefined, params: URLSearchParams,
): Promise<FederatedSignIn> {
  const kept = state ? await core.store.federation.takeState(await sha256Base64url(state)) : undefined;
  if (!kept || kept.poolId !== pool.id || kept.expiresAt <= core.clock.now()) {
    throw new AuthorizePageError('invalid_request', 'This sign-in link has expired or was already used. Please start again.');
  }
  if (!browserSecret || !constantTimeEqual(await sha256Base64url(browserSecret), kept.browserHash)) {
    throw new AuthorizePageError('invalid_request', 'This sign-in was started in another browser. Please start again.');
  }
  const request = await parseAuthorizeRequest(core, pool, new URLSearchParams(kept.authorizeQuery));
  const redirectError = (error: string, description: string) =>
    new AuthorizeRedirectError(error, description, request.redirectUri, request.state, request.responseType);
  const refusal = upstreamRefusal(params);
  if (refusal) throw redirectError(CANCELLED.includes(params.get('error')!) ? 'access_denied' : 'invalid_request', refusal);
  try {
    const provider = await loadProvider(core, pool, kept.providerName);
    const adapter = await adapterOf(core, pool, provider);
    const identity = await adapter.callback(kept.kept, params);
    const linkTo = kept.kept.linkTo;
    if (linkTo) return { request, query: kept.authorizeQuery, provider, identity, outcome: { linkTo } };
    const outcome = await federatedOutcome(core, pool, provider, identity);
    return { request, query: kept.authorizeQuery, provider, identity, outcome };
  } catch (error) {
    if (error instanceof AuthorizeRedirectError) throw error;
    core.logger.warn('federated sign-in failed', { pool: pool.id, provider: kept.providerName, error: (error as Error).message, cause: String((error as Error).cause ?? '') });
    const message = error instanceof UpstreamError || (error as { expose?: boolean }).expose ? (error as Error).message : 'The sign-in could not be completed';
    throw redirectError('invalid_request', message);
  }
}
