import type { UpstreamLogout, UpstreamRequest } from '../../../providers/types.js';
import { UpstreamError } from '../../errors.js';
import type { IdentityProviderRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, constantTimeEqual, sha256Base64url } from '../crypto.js';
import { AuthorizePageError } from '../oauth/authorize-request.js';
import { endSession } from '../oauth/sso.js';
import { adapterOf } from './adapter.js';
import { FEDERATION_STATE_MS } from './broker.js';

/*
 * Single logout with the upstream an SSO session came from. What the upstream needs to
 * end its session (SAML NameID, SessionIndex) is kept beside the SSO session in the
 * federation states, keyed by the session id's hash, and ends with it.
 */

const sessionKey = (ssoSessionId: string) => sha256Base64url(`upstream-session:${ssoSessionId}`);
const LOGOUT = 'logout';

export interface UpstreamSession {
  provider: IdentityProviderRecord;
  session: Record<string, string>;
  expiresAt: number;
  logout: UpstreamLogout;
}

/** Remembers the upstream session behind a new SSO session, until that session expires. */
export async function keepUpstreamSession(
  core: Core, pool: PoolRecord, ssoSessionId: string, providerName: string, session: Record<string, string>, expiresAt: number,
): Promise<void> {
  await core.store.federation.putState({
    idHash: await sessionKey(ssoSessionId), poolId: pool.id, providerName, browserHash: '', authorizeQuery: '', kept: session, expiresAt,
  });
}

/** The upstream session behind an SSO session, taken (it ends with ours); only when its provider has single logout. */
export async function takeUpstreamSession(core: Core, pool: PoolRecord, ssoSessionId: string | undefined): Promise<UpstreamSession | undefined> {
  const kept = ssoSessionId ? await core.store.federation.takeState(await sessionKey(ssoSessionId)) : undefined;
  if (!kept || kept.poolId !== pool.id || kept.expiresAt <= core.clock.now()) return undefined;
  const provider = await core.store.identityProviders.get(pool.id, kept.providerName);
  const logout = provider && (await adapterOf(core, pool, provider)).logout;
  return logout && provider ? { provider, session: kept.kept, expiresAt: kept.expiresAt, logout } : undefined;
}

/** Sends the browser to the upstream to sign out there; `continueTo` is where it goes once the upstream answers. */
export async function startUpstreamLogout(
  core: Core, pool: PoolRecord, upstream: UpstreamSession, continueTo: string, browserSecret: string,
): Promise<UpstreamRequest> {
  const state = base64url(core.random.bytes(32));
  const request = await upstream.logout.start(upstream.session, state);
  await core.store.federation.putState({
    idHash: await sha256Base64url(state), poolId: pool.id, providerName: upstream.provider.name, browserHash: await sha256Base64url(browserSecret),
    authorizeQuery: continueTo, kept: { ...request.kept, purpose: LOGOUT }, expiresAt: core.clock.now() + FEDERATION_STATE_MS,
  });
  return request;
}

/** The upstream's answer to `startUpstreamLogout`: verified, it gives where to continue. */
export async function finishUpstreamLogout(
  core: Core, pool: PoolRecord, state: string | null, browserSecret: string | undefined, params: URLSearchParams,
): Promise<string> {
  const kept = state ? await core.store.federation.takeState(await sha256Base64url(state)) : undefined;
  if (!kept || kept.poolId !== pool.id || kept.expiresAt <= core.clock.now() || kept.kept.purpose !== LOGOUT) {
    throw new AuthorizePageError('invalid_request', 'This sign-out has expired or was already completed.');
  }
  if (!browserSecret || !constantTimeEqual(await sha256Base64url(browserSecret), kept.browserHash)) {
    throw new AuthorizePageError('invalid_request', 'This sign-out was started in another browser.');
  }
  const provider = await core.store.identityProviders.get(pool.id, kept.providerName);
  const logout = provider && (await adapterOf(core, pool, provider)).logout;
  if (!logout) throw new AuthorizePageError('invalid_request', 'The identity provider no longer signs out with this user pool.');
  try {
    await logout.finish(kept.kept, params);
  } catch (error) {
    if (error instanceof UpstreamError) throw new AuthorizePageError('invalid_request', `You are signed out here, but not at ${provider!.name}: ${error.message}`);
    throw error;
  }
  return kept.authorizeQuery;
}

/**
 * A logout the upstream started: the first of the pool's providers with single logout
 * whose keys verify it. The browser's SSO session ends when it came from that provider
 * for the principal named; the answer says whether the principal is signed out here.
 */
export async function acceptUpstreamLogout(
  core: Core, pool: PoolRecord, ssoSessionId: string | undefined, params: URLSearchParams, rawQuery: string,
): Promise<{ answer: string; ended: boolean }> {
  let found: { provider: IdentityProviderRecord; request: Awaited<ReturnType<UpstreamLogout['accept']>> } | undefined;
  let refusal: unknown;
  for (const provider of await core.store.identityProviders.all(pool.id)) {
    const logout = (await adapterOf(core, pool, provider).catch(() => undefined))?.logout;
    if (!logout) continue;
    try {
      found = { provider, request: await logout.accept(params, rawQuery) };
      break;
    } catch (error) {
      refusal = error;
    }
  }
  if (!found) throw new AuthorizePageError('invalid_request', refusal instanceof UpstreamError ? refusal.message : 'No identity provider of this user pool signs out this way.');
  const upstream = await takeUpstreamSession(core, pool, ssoSessionId);
  const ours = upstream?.provider.name === found.provider.name && found.request.names(upstream.session);
  if (ours) await endSession(core, ssoSessionId);
  else if (upstream && ssoSessionId) await keepUpstreamSession(core, pool, ssoSessionId, upstream.provider.name, upstream.session, upstream.expiresAt);
  // No session here for anyone: the principal is signed out here, which is what was asked.
  return { answer: await found.request.answer(ours || !upstream), ended: ours };
}
