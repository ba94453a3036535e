import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { issuerOf, type Core } from '../../core/context.js';
import { takeUpstreamSession } from '../../core/federation/upstream-logout.js';
import { endSession } from '../../core/oauth/sso.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import { MessagePage } from '../../ui/pages/message.js';
import { leaveThrough } from '../federation/upstream-logout.js';
import { redirectWith } from './complete.js';
import { errorPage, frameOf } from './frame.js';
import { renderPage, secureCookies, SSO_COOKIE } from './page.js';

/** The client an ID token was issued to, if we signed it (an expired hint is still a fine hint). */
async function clientFromHint(core: Core, pool: PoolRecord, hint: string): Promise<ClientRecord | undefined> {
  try {
    const { kid } = decodeProtectedHeader(hint);
    const verifier = kid ? await core.keys.verifier(pool.id, kid) : undefined;
    if (!verifier) return undefined;
    const { payload } = await jwtVerify(hint, verifier.key, {
      issuer: issuerOf(core, pool.id),
      algorithms: [verifier.alg],
      currentDate: new Date(0),
      clockTolerance: Number.MAX_SAFE_INTEGER,
    });
    if (payload.token_use !== 'id' || typeof payload.aud !== 'string') return undefined;
    return core.store.clients.get(pool.id, payload.aud);
  } catch {
    return undefined;
  }
}

function logoutUrls(client: ClientRecord | undefined): string[] {
  return (client?.config.LogoutURLs as string[] | undefined) ?? [];
}

/**
 * `/{poolId}/logout`: ends the SSO session, then returns to a registered logout URL —
 * Cognito's `client_id` + `logout_uri`, or OIDC RP-initiated logout's `id_token_hint` +
 * `post_logout_redirect_uri` (+ `state`). An unregistered target is never followed. A
 * session from an upstream with single logout signs out there on the way.
 */
export async function logout(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const params = new URL(c.req.url).searchParams;
  const language = { uiLocales: params.get('ui_locales') ?? undefined };
  const { locale } = frameOf(c, pool, undefined, language);
  const upstream = await takeUpstreamSession(core, pool, getCookie(c, SSO_COOKIE));
  await endSession(core, getCookie(c, SSO_COOKIE));
  deleteCookie(c, SSO_COOKIE, { path: `/${pool.id}`, secure: secureCookies(core) });

  const hint = params.get('id_token_hint');
  const hinted = hint ? await clientFromHint(core, pool, hint) : undefined;
  if (hint && !hinted) return errorPage(c, pool, locale, locale.t.idTokenHintInvalid);
  const clientId = params.get('client_id');
  if (hinted && clientId && hinted.id !== clientId) return errorPage(c, pool, locale, locale.t.logoutClientMismatch);
  const client = hinted ?? (clientId ? await core.store.clients.get(pool.id, clientId) : undefined);
  if (clientId && !client) return errorPage(c, pool, locale, locale.t.unknownClient);

  const target = params.get('post_logout_redirect_uri') ?? params.get('logout_uri');
  if (target) {
    if (!client || !logoutUrls(client).includes(target)) return errorPage(c, pool, locale, locale.t.logoutUrlNotRegistered);
    return leaveThrough(c, core, pool, upstream, redirectWith(target, { state: params.get('state') ?? undefined }, false));
  }
  // Cognito's form: sign out, then sign in again through the given authorization request.
  if (client && params.get('redirect_uri') && params.get('response_type')) {
    const again = new URLSearchParams(params);
    again.delete('logout_uri');
    return leaveThrough(c, core, pool, upstream, `/${pool.id}/oauth2/authorize?${again.toString()}`);
  }
  // Signed out at the upstream first, the browser comes back here and sees the page below.
  if (upstream) return leaveThrough(c, core, pool, upstream, `/${pool.id}/logout${language.uiLocales ? `?ui_locales=${encodeURIComponent(language.uiLocales)}` : ''}`);
  return renderPage(c, MessagePage({ frame: frameOf(c, pool, client, language), title: locale.t.signOut, message: locale.t.signedOut }));
}
