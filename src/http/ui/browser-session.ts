import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { Core } from '../../core/context.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { activeSession, endSession, type ActiveSession } from '../../core/oauth/sso.js';
import type { PoolRecord } from '../../ports.js';
import { secureCookies, SSO_COOKIE } from './page.js';

/** The browser's SSO session when it may answer this request: live, and not older than the request's `max_age`. */
export async function sessionFor(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest): Promise<ActiveSession | undefined> {
  const active = await activeSession(core, pool, getCookie(c, SSO_COOKIE));
  if (!active || request.maxAgeSeconds === undefined) return active;
  return core.clock.now() - active.session.authTime > request.maxAgeSeconds * 1000 ? undefined : active;
}

/** The browser's session, if it is still the one a page was shown for (another tab may have changed it since). */
export async function sameSession(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, sub: string): Promise<ActiveSession | undefined> {
  const active = await sessionFor(c, core, pool, request);
  return active && active.user.sub === sub ? active : undefined;
}

/** Signs the browser out of its SSO session. */
export async function endBrowserSession(c: Context, core: Core, pool: PoolRecord): Promise<void> {
  await endSession(core, getCookie(c, SSO_COOKIE));
  deleteCookie(c, SSO_COOKIE, { path: `/${pool.id}`, secure: secureCookies(core) });
}
