import type { Context } from 'hono';
import type { Core } from '../../core/context.js';
import { AuthorizeRedirectError, parseAuthorizeRequest } from '../../core/oauth/authorize-request.js';
import type { PoolRecord } from '../../ports.js';
import { redirectUpstream } from '../federation/start.js';
import { sessionFor } from './browser-session.js';
import { answerSignedIn } from './consent.js';
import { authorizeFailure } from './frame.js';
import { showLogin } from './login.js';
import { showSelectAccount } from './select-account.js';

/**
 * `/{poolId}/oauth2/authorize`: validate the request (errors before the client and
 * redirect URI are trusted render a page), then answer from a live SSO session or show the
 * sign-in form. `prompt=login` and `max_age` force a fresh sign-in; `prompt=none` never
 * shows a form; `prompt=select_account` lets the user go on with the session or switch
 * accounts; `prompt=consent` asks before answering.
 */
export async function authorize(c: Context, core: Core, pool: PoolRecord, params: URLSearchParams): Promise<Response> {
  try {
    const request = await parseAuthorizeRequest(core, pool, params);
    const active = await sessionFor(c, core, pool, request);
    if (active && !request.prompts.has('login')) {
      if (request.prompts.has('select_account')) return showSelectAccount(c, core, pool, request, params.toString(), active.user);
      return answerSignedIn(c, core, pool, request, params.toString(), active.user, active.session.authTime);
    }
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
