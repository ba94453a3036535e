import type { Context } from 'hono';
import type { Core } from '../../core/context.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { SelectAccountPage } from '../../ui/pages/select-account.js';
import { endBrowserSession, sameSession } from './browser-session.js';
import { answerSignedIn } from './consent.js';
import { formOf, frameOf, postedForm } from './frame.js';
import { showLogin } from './login.js';
import { renderPage } from './page.js';

export function showSelectAccount(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, user: UserRecord): Promise<Response> {
  const frame = frameOf(c, pool, request.client, request);
  return renderPage(
    c,
    SelectAccountPage({ frame, form: formOf(c, core, pool, 'selectAccount', query), username: user.username, account: user.sub, links: [] }),
    200,
    request.redirectUri,
  );
}

/**
 * `POST /{poolId}/selectAccount`: "Continue as …" goes on with the session the page was
 * shown for; "Use another account" signs the browser out and shows the sign-in form.
 */
export async function submitSelectAccount(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  if (form.get('choice') === 'continue') {
    const active = await sameSession(c, core, pool, request, form.get('account') ?? '');
    if (active) return answerSignedIn(c, core, pool, request, query, active.user, active.session.authTime);
  }
  if (form.get('choice') === 'switch') await endBrowserSession(c, core, pool);
  return showLogin(c, core, pool, request, query);
}
