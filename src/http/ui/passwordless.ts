import type { Context } from 'hono';
import { answerPasswordless, passwordlessFactors, startPasswordless } from '../../core/auth/hosted-sign-in.js';
import type { OtpFactor } from '../../core/auth/passwordless.js';
import { discardSession } from '../../core/auth/sessions.js';
import type { Core } from '../../core/context.js';
import { preventsUserExistenceErrors } from '../../core/directory/client-config.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { CodeMismatchError, CognateError, InvalidParameterError, NotAuthorizedError, UserNotFoundError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import type { Messages } from '../../ui/i18n.js';
import { PasswordlessPage, type PasswordlessStep } from '../../ui/pages/passwordless.js';
import { deliveredTo } from './confirm.js';
import { localized, sharedError } from './errors.js';
import { errorPage, field, formOf, frameOf, localeOf, postedForm, signInLink, withRequest } from './frame.js';
import { renderPage } from './page.js';
import { continueSignIn } from './sign-in-steps.js';

function factorOf(value: string | null | undefined): OtpFactor | undefined {
  return value === 'EMAIL_OTP' || value === 'SMS_OTP' ? value : undefined;
}

function showPasswordless(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, factor: OtpFactor, step: PasswordlessStep, alert?: string) {
  const frame = frameOf(c, pool, request.client, request);
  const failed = alert ?? (step.kind === 'username' ? step.usernameError : step.codeError);
  return renderPage(
    c,
    PasswordlessPage({ frame, form: formOf(c, core, pool, 'passwordless', query), factor, step, alert, links: [signInLink(pool, query, frame.locale)] }),
    failed ? 400 : 200,
    request.redirectUri,
  );
}

/** `GET /{poolId}/passwordless?{authorization request}&factor=EMAIL_OTP|SMS_OTP`: asks who is signing in. */
export function showPasswordlessPage(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  return withRequest(c, core, pool, (request, query, params) => {
    const factor = factorOf(params.get('factor'));
    if (!factor || !passwordlessFactors(pool, request.client).includes(factor)) {
      return errorPage(c, pool, localeOf(c, request), localeOf(c, request).t.passwordlessUnavailable, 404, [signInLink(pool, query, localeOf(c, request))]);
    }
    return showPasswordless(c, core, pool, request, query, factor, { kind: 'username', username: params.get('username') || request.loginHint });
  });
}

/** What a refused start or answer reads as on the page. */
function refusal(error: unknown, t: Messages, hide: boolean): { field?: string; message: string } | undefined {
  const shared = sharedError(error, t, hide);
  if (shared) return shared;
  if (error instanceof UserNotFoundError) return { field: 'username', message: t.userNotFound };
  if (error instanceof InvalidParameterError && / is not available for this user\.$/.test(error.message)) return { field: 'username', message: t.passwordlessUnavailable };
  if (error instanceof NotAuthorizedError && error.message === 'Password attempts exceeded') return { message: t.locked };
  if (error instanceof NotAuthorizedError && error.message === 'User is disabled.') return { message: t.disabled };
  if (error instanceof NotAuthorizedError && error.message === 'User has no sign-in method this user pool allows.') return { field: 'username', message: t.passwordlessUnavailable };
  return undefined;
}

/**
 * `POST /{poolId}/passwordless`: sends a code (a username and no session), sends a new one
 * (`intent=resend`), or checks the code and ends the sign-in. The code is the whole first
 * factor: no MFA follows it, as in Cognito.
 */
export async function submitPasswordless(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const client = request.client;
  const { t } = frameOf(c, pool, client, request).locale;
  const hide = preventsUserExistenceErrors(client.config);
  const factor = factorOf(form.get('factor'));
  if (!factor) return errorPage(c, pool, localeOf(c, request), t.passwordlessUnavailable);
  const username = field(form, 'username');
  const session = form.get('session') ?? '';
  const askName = (usernameError?: string, alert?: string) =>
    showPasswordless(c, core, pool, request, query, factor, { kind: 'username', username, usernameError }, alert);
  if (!username) return askName(t.required);
  const sms = factor === 'SMS_OTP';
  const sentTo = (destination: string | undefined) => {
    if (hide) return t.passwordlessSentHidden;
    if (!destination) return t.codeSentGeneric;
    return deliveredTo(t, { DeliveryMedium: sms ? 'SMS' : 'EMAIL', Destination: destination, AttributeName: sms ? 'phone_number' : 'email' });
  };

  const sendCode = async (notice?: string) => {
    try {
      const challenge = await startPasswordless(core, pool, client, username, factor);
      // With hidden users the page names no address: a decoy has none to show.
      const destination = hide ? undefined : challenge.ChallengeParameters.CODE_DELIVERY_DESTINATION;
      const step = { kind: 'code', username, session: challenge.Session, sentTo: sentTo(destination), notice, destination } as const;
      return await showPasswordless(c, core, pool, request, query, factor, step);
    } catch (error) {
      const refused = refusal(error, t, hide);
      if (!refused) throw error;
      return askName(refused.field ? refused.message : undefined, refused.field ? undefined : refused.message);
    }
  };
  if (!session) return sendCode();
  if (form.get('intent') === 'resend') {
    // The code the old session waited for is replaced; the session must not outlive it.
    await discardSession(core, session);
    return sendCode(t.codeResent);
  }

  const destination = hide ? undefined : field(form, 'destination') || undefined;
  const askCode = (codeError?: string, alert?: string) =>
    showPasswordless(c, core, pool, request, query, factor, { kind: 'code', username, session, sentTo: sentTo(destination), codeError, destination }, alert);
  const code = field(form, 'code').replace(/\s+/g, '');
  if (!code) return askCode(t.required);
  try {
    const passed = await answerPasswordless(core, pool, client, factor, session, { USERNAME: username, [`${factor}_CODE`]: code });
    return await continueSignIn(c, core, pool, request, query, passed);
  } catch (error) {
    // Every wrong answer reads alike, whether the code was wrong, expired or never sent.
    if (error instanceof CodeMismatchError) return askCode(t.codeInvalid);
    if (error instanceof NotAuthorizedError && error.message.startsWith('Invalid session for the user')) return askCode(t.codeExpired);
    const refused = refusal(error, t, hide);
    if (refused) return askCode(undefined, refused.message);
    if (error instanceof CognateError && error.expose) return askCode(undefined, localized(error.message, t));
    throw error;
  }
}
