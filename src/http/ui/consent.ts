import type { Context } from 'hono';
import { issuerOf, type Core } from '../../core/context.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import type { Messages } from '../../ui/i18n.js';
import { ConsentPage } from '../../ui/pages/consent.js';
import { sameSession } from './browser-session.js';
import { completeAuthorization, redirectWith } from './complete.js';
import { formOf, frameOf, postedForm } from './frame.js';
import { showLogin } from './login.js';
import { renderPage } from './page.js';

function standardScopes(t: Messages): Record<string, string> {
  return { openid: t.scopeOpenid, email: t.scopeEmail, phone: t.scopePhone, profile: t.scopeProfile, 'aws.cognito.signin.user.admin': t.scopeAccount };
}

/** Each requested scope in words: ours for the standard ones, the resource server's description for custom ones. */
async function scopeTexts(core: Core, pool: PoolRecord, scopes: string[], t: Messages): Promise<string[]> {
  const standard = standardScopes(t);
  return Promise.all(
    scopes.map(async (scope) => {
      if (standard[scope]) return standard[scope];
      const slash = scope.lastIndexOf('/');
      const server = slash > 0 ? await core.store.resourceServers.get(pool.id, scope.slice(0, slash)) : undefined;
      return server?.scopes.find((s) => s.ScopeName === scope.slice(slash + 1))?.ScopeDescription ?? scope;
    }),
  );
}

export async function showConsent(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, user: UserRecord): Promise<Response> {
  const frame = frameOf(c, pool, request.client, request);
  const scopes = await scopeTexts(core, pool, request.scopes, frame.locale.t);
  return renderPage(
    c,
    ConsentPage({ frame, form: formOf(c, core, pool, 'consent', query), clientName: request.client.name, scopes, username: user.username, account: user.sub }),
    200,
    request.redirectUri,
  );
}

/** The browser is signed in as `user`: ask for consent when the client wants it (`prompt=consent`), else answer the client. */
export async function answerSignedIn(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, user: UserRecord, authTime: number) {
  if (request.prompts.has('consent')) return showConsent(c, core, pool, request, query, user);
  return c.redirect(await completeAuthorization(core, pool, request, user, authTime), 302);
}

/**
 * `POST /{poolId}/consent`: Allow answers the client as signed in; Deny answers it
 * `access_denied` (RFC 6749 §4.1.2.1) with its state and our `iss`. Either only for the
 * session the page was shown to; without it the user signs in again.
 */
export async function submitConsent(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const active = await sameSession(c, core, pool, request, form.get('account') ?? '');
  if (!active) return showLogin(c, core, pool, request, query, { notice: frameOf(c, pool, request.client, request).locale.t.sessionExpired });
  if (form.get('decision') === 'allow') return c.redirect(await completeAuthorization(core, pool, request, active.user, active.session.authTime), 302);
  await core.store.audit.record({ poolId: pool.id, type: 'consent_denied', sub: active.user.sub, clientId: request.client.id, createdAt: core.clock.now() });
  const denied = { error: 'access_denied', error_description: 'The user denied the request', state: request.state, iss: issuerOf(core, pool.id) };
  return c.redirect(redirectWith(request.redirectUri, denied, request.responseType === 'token'), 302);
}
