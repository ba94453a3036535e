import type { Context } from 'hono';
import type { Core } from '../../core/context.js';
import { startUpstreamLogout, type UpstreamSession } from '../../core/federation/upstream-logout.js';
import type { PoolRecord } from '../../ports.js';
import { browserSecret } from './start.js';
import { upstreamPostPage } from './post-page.js';

/**
 * How `/logout` leaves: straight to `url`, or, when the session came from an upstream with
 * single logout, through the upstream first (it comes back to `/saml2/logout`, which goes on to `url`).
 */
export async function leaveThrough(c: Context, core: Core, pool: PoolRecord, upstream: UpstreamSession | undefined, url: string): Promise<Response> {
  if (!upstream) return c.redirect(url, 302);
  const request = await startUpstreamLogout(core, pool, upstream, url, browserSecret(c, core, pool));
  if (request.form) return upstreamPostPage(c, request.url, request.form);
  return c.redirect(request.url, 302);
}
