import type { Context } from 'hono';
import { confirmSignUp, resendConfirmationCode } from '../../core/api/users-public.js';
import { findUserForSignIn } from '../../core/auth/lookup.js';
import { takeSession } from '../../core/auth/sessions.js';
import type { Core } from '../../core/context.js';
import { preventsUserExistenceErrors } from '../../core/directory/client-config.js';
import type { CodeDeliveryDetails } from '../../core/messages/deliver.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { CognateError, InvalidParameterError, NotAuthorizedError, UserNotFoundError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { format, type Messages } from '../../ui/i18n.js';
import { ConfirmPage } from '../../ui/pages/confirm.js';
import { localized, sharedError } from './errors.js';
import { field, formOf, frameOf, postedForm, secretHashFor, signInLink, withRequest } from './frame.js';
import { showLogin } from './login.js';
import { afterFirstFactor } from './sign-in-steps.js';
import { renderPage } from './page.js';

/** The challenge name of the session that lets the browser which signed up continue signed in. */
export const HOSTED_SIGN_UP = 'HOSTED_SIGN_UP';

export function deliveredTo(t: Messages, details: CodeDeliveryDetails): string {
  return format(t.codeSentTo, { medium: details.DeliveryMedium === 'SMS' ? t.mediumSms : t.mediumEmail, destination: details.Destination });
}

export interface ConfirmState {
  username?: string;
  session?: string;
  sentTo?: string;
  codeError?: string;
  usernameError?: string;
  alert?: string;
  notice?: string;
}

export function showConfirm(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, state: ConfirmState) {
  const frame = frameOf(c, pool, request.client, request);
  const failed = state.codeError ?? state.usernameError ?? state.alert;
  return renderPage(
    c,
    ConfirmPage({ frame, form: formOf(c, core, pool, 'confirm', query), ...state, links: [signInLink(pool, query, frame.locale)] }),
    failed ? 400 : 200,
    request.redirectUri,
  );
}

/** `GET /{poolId}/confirm?{authorization request}&username=…` */
export function showConfirmPage(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  return withRequest(c, core, pool, (request, query, params) => showConfirm(c, core, pool, request, query, { username: params.get('username') || undefined }));
}

/** `POST /{poolId}/confirm`: ConfirmSignUp (or, with `intent=resend`, ResendConfirmationCode) for the request's client. */
export async function submitConfirm(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const client = request.client;
  const { t } = frameOf(c, pool, client, request).locale;
  const hide = preventsUserExistenceErrors(client.config);
  const username = field(form, 'username');
  const session = form.get('session') || undefined;
  const state: ConfirmState = { username: username || undefined, session };
  const again = (extra: ConfirmState) => showConfirm(c, core, pool, request, query, { ...state, ...extra });
  if (!username) return again({ usernameError: t.required });
  const identity = { ClientId: client.id, Username: username, SecretHash: await secretHashFor(core, client, username) };
  const alreadyConfirmed = (error: unknown) =>
    (error instanceof InvalidParameterError && error.message === 'User is already confirmed.') ||
    (error instanceof NotAuthorizedError && error.message.startsWith('User cannot be confirmed'));

  if (form.get('intent') === 'resend') {
    try {
      const { CodeDeliveryDetails } = await resendConfirmationCode(core, identity);
      // With hidden users the page names no address: an already confirmed account has none to show.
      return again({ notice: t.codeResent, sentTo: hide ? undefined : deliveredTo(t, CodeDeliveryDetails) });
    } catch (error) {
      // With hidden users an already confirmed account answers like any other name.
      if (alreadyConfirmed(error)) return hide ? again({ notice: t.codeResent }) : showLogin(c, core, pool, request, query, { notice: t.alreadyConfirmed }, username);
      if (error instanceof UserNotFoundError) return again({ usernameError: t.userNotFound });
      const shared = sharedError(error, t, hide);
      if (shared) return again({ alert: shared.message });
      if (error instanceof CognateError && error.expose) return again({ alert: localized(error.message, t) });
      throw error;
    }
  }

  const code = field(form, 'code');
  if (!code) return again({ codeError: t.required });
  try {
    await confirmSignUp(core, { ...identity, ConfirmationCode: code });
  } catch (error) {
    if (alreadyConfirmed(error)) return hide ? again({ codeError: t.codeInvalid }) : showLogin(c, core, pool, request, query, { notice: t.alreadyConfirmed }, username);
    if (error instanceof UserNotFoundError) return again({ usernameError: t.userNotFound });
    const shared = sharedError(error, t, hide);
    if (shared) return again(shared.field === 'code' ? { codeError: shared.message } : { alert: shared.message });
    if (error instanceof CognateError && error.expose) return again({ alert: localized(error.message, t) });
    throw error;
  }
  return continueAfterConfirm(c, core, pool, request, query, username, session);
}

/** Signs in the browser that made the sign-up (its session names this user); anyone else signs in with the password. */
async function continueAfterConfirm(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, username: string, session?: string) {
  const { t } = frameOf(c, pool, request.client, request).locale;
  const signInFirst = () => showLogin(c, core, pool, request, query, { notice: t.confirmedSignIn }, username);
  if (!session) return signInFirst();
  try {
    const record = await takeSession(core, request.client, session, HOSTED_SIGN_UP);
    const user = await findUserForSignIn(core, pool, username);
    if (!user || user.sub !== record.sub) return signInFirst();
    return await afterFirstFactor(c, core, pool, request, query, user);
  } catch (error) {
    if (error instanceof CognateError && error.expose) return signInFirst();
    throw error;
  }
}
