import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { Core } from '../../core/context.js';
import { keepUpstreamSession } from '../../core/federation/upstream-logout.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { SSO_SESSION_MS, startSession } from '../../core/oauth/sso.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { answerSignedIn } from './consent.js';
import { secureCookies, SSO_COOKIE } from './page.js';

/**
 * The one way a hosted page ends a sign-in: start the SSO session, set its cookie and send
 * the browser back to the client with the answer to its authorization request (after
 * asking for consent, when the client wants that). `upstream`: the federated sign-in's
 * provider and the session it keeps there, for single logout.
 */
export async function signedIn(
  c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, user: UserRecord,
  upstream?: { provider: string; session?: Record<string, string> },
): Promise<Response> {
  // One instant for the session and this answer: SSO answers later must carry the same auth_time.
  const authTime = core.clock.now();
  const sessionId = await startSession(core, pool, user, authTime);
  // An upstream with single logout (SAML) needs its session named when ours ends.
  if (upstream?.session) await keepUpstreamSession(core, pool, sessionId, upstream.provider, upstream.session, authTime + SSO_SESSION_MS);
  setCookie(c, SSO_COOKIE, sessionId, {
    path: `/${pool.id}`,
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(core),
    maxAge: SSO_SESSION_MS / 1000,
  });
  await core.store.audit.record({ poolId: pool.id, type: 'hosted_sign_in', sub: user.sub, clientId: request.client.id, createdAt: core.clock.now() });
  return answerSignedIn(c, core, pool, request, query, user, authTime);
}
