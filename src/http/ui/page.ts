import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { Core } from '../../core/context.js';
import { base64url, constantTimeEqual } from '../../core/crypto.js';
import { OAuthError } from '../../errors.js';

export const CSRF_COOKIE = 'cognate_csrf';
export const SSO_COOKIE = 'cognate_sso';

/** Where a form may send the browser: ourselves, and the client's redirect target after the redirect chain. */
function formTargets(redirectUri?: string, upstreams: string[] = []): string {
  const targets = ["'self'", ...upstreams];
  if (redirectUri) {
    const url = new URL(redirectUri);
    targets.push(url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol);
  }
  return targets.join(' ');
}

/** Renders a hosted page with its security headers: no scripts, no framing, no referrer. */
/** `upstreams`: origins of identity providers a form on the page may lead to (linking from the account page). */
export async function renderPage(c: Context, page: JSX.Element, status = 200, redirectUri?: string, upstreams?: string[]): Promise<Response> {
  c.header('content-security-policy', `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formTargets(redirectUri, upstreams)}; frame-ancestors 'none'; base-uri 'none'`);
  c.header('x-content-type-options', 'nosniff');
  c.header('x-frame-options', 'DENY');
  c.header('referrer-policy', 'no-referrer');
  c.header('cache-control', 'no-store');
  return c.html(`<!DOCTYPE html>${await page.toString()}`, status as 200);
}

export function secureCookies(core: Core): boolean {
  return core.settings.baseUrl.startsWith('https://');
}

/** Double-submit token: a random cookie the form must echo. SameSite=Strict keeps other sites from sending it. */
export function issueCsrf(c: Context, core: Core, poolId: string): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = base64url(core.random.bytes(32));
  setCookie(c, CSRF_COOKIE, token, { path: `/${poolId}`, httpOnly: true, sameSite: 'Strict', secure: secureCookies(core) });
  return token;
}

export function checkCsrf(c: Context, core: Core, form: URLSearchParams): void {
  const cookie = getCookie(c, CSRF_COOKIE);
  const sent = form.get('_csrf');
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== 'null' && origin !== new URL(core.settings.baseUrl).origin) {
    throw new OAuthError('invalid_request', 'Cross-site form submission refused', 403);
  }
  if (!cookie || !sent || !constantTimeEqual(cookie, sent)) throw new OAuthError('invalid_request', 'The form has expired. Go back and try again.', 403);
}
