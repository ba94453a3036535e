import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { accountState, verifyPassword } from '../../core/auth/sign-in.js';
import type { Core } from '../../core/context.js';
import { AuthorizePageError, parseAuthorizeRequest, type AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { SSO_SESSION_MS, startSession } from '../../core/oauth/sso.js';
import { CognateError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { pickLocale, type Locale } from '../../ui/i18n.js';
import { LoginPage } from '../../ui/pages/login.js';
import { MessagePage } from '../../ui/pages/message.js';
import { readForm } from '../oauth/respond.js';
import { completeAuthorization } from './complete.js';
import { checkCsrf, issueCsrf, renderPage, secureCookies, SSO_COOKIE, stylesheetPath } from './page.js';

function localeOf(c: Context, request?: { uiLocales?: string }): Locale {
  return pickLocale(request?.uiLocales, c.req.header('accept-language'));
}

/** Shows the sign-in form for an authorization request that was already validated. */
export async function showLogin(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, error?: string, username?: string) {
  const locale = localeOf(c, request);
  return renderPage(
    c,
    LoginPage({
      locale,
      stylesheet: stylesheetPath(pool.id),
      action: `/${pool.id}/login`,
      csrf: issueCsrf(c, core, pool.id),
      request: query,
      username: username ?? request.loginHint,
      error,
    }),
    error ? 400 : 200,
    request.redirectUri,
  );
}

export async function errorPage(c: Context, pool: PoolRecord, locale: Locale, message: string, status = 400) {
  return renderPage(c, MessagePage({ locale, stylesheet: stylesheetPath(pool.id), title: locale.t.errorTitle, message }), status);
}

/** What the form may tell: one message for every credential failure, so it does not reveal who exists. */
function messageFor(error: CognateError, locale: Locale): string {
  switch (error.message) {
    case 'Password attempts exceeded':
      return locale.t.locked;
    case 'User is not confirmed.':
      return locale.t.notConfirmed;
    case 'Password reset required for the user':
      return locale.t.resetRequired;
    default:
      return locale.t.wrongCredentials;
  }
}

/** `POST /{poolId}/login`: checks the form, signs the user in, starts the SSO session and answers the client. */
export async function submitLogin(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const form = await readForm(c);
  checkCsrf(c, core, form);
  const query = form.get('request') ?? '';
  let request: AuthorizeRequest;
  try {
    request = await parseAuthorizeRequest(core, pool, new URLSearchParams(query));
  } catch (error) {
    if (error instanceof AuthorizePageError || error instanceof CognateError) return errorPage(c, pool, localeOf(c), error.message);
    throw error;
  }
  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  const locale = localeOf(c, request);
  if (!username || !password) return showLogin(c, core, pool, request, query, locale.t.required, username);
  try {
    const user = await verifyPassword(core, pool, request.client, username, password);
    if ((await accountState(core, pool, user)) === 'NEW_PASSWORD_REQUIRED') {
      return showLogin(c, core, pool, request, query, locale.t.resetRequired, username);
    }
    const sessionId = await startSession(core, pool, user);
    setCookie(c, SSO_COOKIE, sessionId, {
      path: `/${pool.id}`,
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookies(core),
      maxAge: SSO_SESSION_MS / 1000,
    });
    await core.store.audit.record({ poolId: pool.id, type: 'hosted_sign_in', sub: user.sub, clientId: request.client.id, createdAt: core.clock.now() });
    return c.redirect(await completeAuthorization(core, pool, request, user, core.clock.now()), 302);
  } catch (error) {
    if (error instanceof CognateError && error.expose) return showLogin(c, core, pool, request, query, messageFor(error, locale), username);
    throw error;
  }
}
