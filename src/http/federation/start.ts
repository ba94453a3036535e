import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Core } from '../../core/context.js';
import { base64url } from '../../core/crypto.js';
import { startFederatedSignIn } from '../../core/federation/broker.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { secureCookies } from '../ui/page.js';
import { upstreamPostPage } from './post-page.js';

/** Binds a federated sign-in to the browser that started it; one random value per browser. */
export const BROWSER_COOKIE = 'cognate_browser';

/**
 * The binding cookie must come back on the provider's callback, which for Apple and SAML
 * is a cross-site POST: on https that needs SameSite=None; on plain http (local
 * development, one site) Lax is what browsers accept.
 */
export function browserSecret(c: Context, core: Core, pool: PoolRecord): string {
  const existing = getCookie(c, BROWSER_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const secret = base64url(core.random.bytes(32));
  const secure = secureCookies(core);
  setCookie(c, BROWSER_COOKIE, secret, { path: `/${pool.id}`, httpOnly: true, secure, sameSite: secure ? 'None' : 'Lax', maxAge: 86_400 });
  return secret;
}

/** Sends the browser to the upstream provider: a redirect, or a POST form for the SAML POST binding. */
export async function redirectUpstream(
  c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, providerName: string, linkTo?: UserRecord,
): Promise<Response> {
  const upstream = await startFederatedSignIn(core, pool, request, query, providerName, browserSecret(c, core, pool), linkTo);
  if (upstream.form) return upstreamPostPage(c, upstream.url, upstream.form);
  return c.redirect(upstream.url, 302);
}
