import type { Context } from 'hono';
import type { Core } from '../../core/context.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import type { PoolRecord } from '../../ports.js';
import { ForgotPasswordPage } from '../../ui/pages/forgot-password.js';
import { field, formOf, frameOf, postedForm, signInLink, withRequest } from './frame.js';
import { renderPage } from './page.js';
import { sendResetCode, showReset } from './reset-password.js';

function showForgot(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, username?: string, error?: string) {
  const frame = frameOf(c, pool, request.client, request);
  return renderPage(
    c,
    ForgotPasswordPage({ frame, form: formOf(c, core, pool, 'forgotPassword', query), username, error, links: [signInLink(pool, query, frame.locale)] }),
    error ? 400 : 200,
    request.redirectUri,
  );
}

/** `GET /{poolId}/forgotPassword?{authorization request}` */
export function showForgotPage(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  return withRequest(c, core, pool, (request, query, params) => showForgot(c, core, pool, request, query, params.get('username') || undefined));
}

/** `POST /{poolId}/forgotPassword`: sends the code, then asks for it with the new password. */
export async function submitForgot(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const { t } = frameOf(c, pool, request.client, request).locale;
  const username = field(form, 'username');
  if (!username) return showForgot(c, core, pool, request, query, undefined, t.required);
  const sent = await sendResetCode(core, request, username, t);
  if ('error' in sent) return showForgot(c, core, pool, request, query, username, sent.error);
  return showReset(c, core, pool, request, query, { username, sentTo: sent.sentTo });
}
