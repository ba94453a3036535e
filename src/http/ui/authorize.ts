import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Core } from '../../core/context.js';
import { AuthorizeRedirectError, parseAuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { activeSession } from '../../core/oauth/sso.js';
import type { PoolRecord } from '../../ports.js';
import { redirectUpstream } from '../federation/start.js';
import { completeAuthorization } from './complete.js';
import { authorizeFailure } from './frame.js';
import { showLogin } from './login.js';
import { SSO_COOKIE } from './page.js';

/**
 * `/{poolId}/oauth2/authorize`: validate the request (errors before the client and
 * redirect URI are trusted render a page), then answer at once from a live SSO session or
 * show the sign-in form. `prompt=login` and `max_age` force a fresh sign-in;
 * `prompt=none` never shows a form.
 */
export async function authorize(c: Context, core: Core, pool: PoolRecord, params: URLSearchParams): Promise<Response> {
  try {
    const request = await parseAuthorizeRequest(core, pool, params);
    const active = await activeSession(core, pool, getCookie(c, SSO_COOKIE));
    const now = core.clock.now();
    const tooOld = active !== undefined && request.maxAgeSeconds !== undefined && now - active.session.authTime > request.maxAgeSeconds * 1000;
    const mustSignIn = !active || tooOld || request.prompts.has('login');
    if (!mustSignIn) return c.redirect(await completeAuthorization(core, pool, request, active.user, active.session.authTime), 302);
    if (request.prompts.has('none')) {
      throw new AuthorizeRedirectError('login_required', 'The user must sign in', request.redirectUri, request.state, request.responseType);
    }
    if (request.identityProvider && request.identityProvider !== 'COGNITO') {
      return await redirectUpstream(c, core, pool, request, params.toString(), request.identityProvider);
    }
    return showLogin(c, core, pool, request, params.toString());
  } catch (error) {
    return authorizeFailure(c, core, pool, params, error);
  }
}
