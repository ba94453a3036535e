import type { Context } from 'hono';
import { confirmForgotPassword, forgotPassword } from '../../core/api/users-public.js';
import { verifyPassword } from '../../core/auth/sign-in.js';
import type { Core } from '../../core/context.js';
import { preventsUserExistenceErrors } from '../../core/directory/client-config.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { CognateError, InvalidParameterError, NotAuthorizedError, UserNotFoundError } from '../../errors.js';
import type { Messages } from '../../ui/i18n.js';
import type { PoolRecord } from '../../ports.js';
import { ResetPasswordPage } from '../../ui/pages/reset-password.js';
import { deliveredTo } from './confirm.js';
import { localized, sharedError } from './errors.js';
import { field, formOf, frameOf, passwordRules, postedForm, secretHashFor, signInLink, withRequest } from './frame.js';
import { showLogin } from './login.js';
import { afterFirstFactor } from './sign-in-steps.js';
import { renderPage } from './page.js';

export interface ResetState {
  username?: string;
  sentTo?: string;
  errors?: { username?: string; code?: string; password?: string };
  alert?: string;
  notice?: string;
}

export function showReset(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, state: ResetState) {
  const frame = frameOf(c, pool, request.client, request);
  const errors = state.errors ?? {};
  const failed = state.alert ?? Object.values(errors).find(Boolean);
  return renderPage(
    c,
    ResetPasswordPage({
      frame,
      form: formOf(c, core, pool, 'confirmForgotPassword', query),
      ...state,
      errors,
      rules: passwordRules(pool),
      links: [signInLink(pool, query, frame.locale)],
    }),
    failed ? 400 : 200,
    request.redirectUri,
  );
}

export type Sent = { sentTo?: string } | { error: string };

/**
 * ForgotPassword for the request's client. What may be said about the account follows the
 * client: with hidden users every refusal about the account reads like a code that was sent.
 */
export async function sendResetCode(core: Core, request: AuthorizeRequest, username: string, t: Messages): Promise<Sent> {
  const client = request.client;
  try {
    const { CodeDeliveryDetails } = await forgotPassword(core, { ClientId: client.id, Username: username, SecretHash: await secretHashFor(core, client, username) });
    // With hidden users the page names no address: refusals below have none to show.
    return { sentTo: preventsUserExistenceErrors(client.config) ? undefined : deliveredTo(t, CodeDeliveryDetails) };
  } catch (error) {
    const shared = sharedError(error, t, preventsUserExistenceErrors(client.config));
    if (shared) return { error: shared.message };
    if (preventsUserExistenceErrors(client.config) && (error instanceof NotAuthorizedError || error instanceof InvalidParameterError)) return {};
    if (error instanceof UserNotFoundError) return { error: t.userNotFound };
    if (error instanceof NotAuthorizedError && error.message === 'User is disabled.') return { error: t.disabled };
    if (error instanceof InvalidParameterError && /no registered\/verified/.test(error.message)) return { error: t.noRecovery };
    if (error instanceof CognateError && error.expose) return { error: localized(error.message, t) };
    throw error;
  }
}

/** `GET /{poolId}/confirmForgotPassword?{authorization request}&username=…` */
export function showResetPage(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  return withRequest(c, core, pool, (request, query, params) => showReset(c, core, pool, request, query, { username: params.get('username') || undefined }));
}

/**
 * `POST /{poolId}/confirmForgotPassword`: ConfirmForgotPassword (or, with `intent=resend`,
 * a new code), then signs in with the new password through the same steps as the sign-in form.
 */
export async function submitReset(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const client = request.client;
  const { t } = frameOf(c, pool, client, request).locale;
  const username = field(form, 'username');
  const again = (state: ResetState) => showReset(c, core, pool, request, query, { username: username || undefined, ...state });
  if (!username) return again({ errors: { username: t.required } });

  if (form.get('intent') === 'resend') {
    const sent = await sendResetCode(core, request, username, t);
    return 'error' in sent ? again({ alert: sent.error }) : again({ notice: t.codeResent, sentTo: sent.sentTo });
  }
  const code = field(form, 'code');
  const password = form.get('password') ?? '';
  if (!code || !password) return again({ errors: { code: code ? undefined : t.required, password: password ? undefined : t.required } });
  try {
    await confirmForgotPassword(core, {
      ClientId: client.id, Username: username, ConfirmationCode: code, Password: password, SecretHash: await secretHashFor(core, client, username),
    });
  } catch (error) {
    if (error instanceof UserNotFoundError) return again({ errors: { username: t.userNotFound } });
    const shared = sharedError(error, t, preventsUserExistenceErrors(client.config));
    if (shared?.field) return again({ errors: { [shared.field]: shared.message } });
    if (shared) return again({ alert: shared.message });
    if (error instanceof CognateError && error.expose) return again({ alert: localized(error.message, t) });
    throw error;
  }
  try {
    const user = await verifyPassword(core, pool, client, username, password);
    return await afterFirstFactor(c, core, pool, request, query, user);
  } catch (error) {
    if (error instanceof CognateError && error.expose) return showLogin(c, core, pool, request, query, { notice: t.passwordChanged }, username);
    throw error;
  }
}
