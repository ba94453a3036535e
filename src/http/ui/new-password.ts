import type { Context } from 'hono';
import { hostedNextFactor } from '../../core/auth/hosted-sign-in.js';
import { answerNewPassword } from '../../core/auth/new-password.js';
import type { Challenge } from '../../core/auth/steps.js';
import type { Core } from '../../core/context.js';
import { preventsUserExistenceErrors } from '../../core/directory/client-config.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { CognateError, NotAuthorizedError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { NewPasswordPage } from '../../ui/pages/new-password.js';
import type { SignUpField } from '../../ui/pages/sign-up.js';
import { MessagePage } from '../../ui/pages/message.js';
import { missingAttributeFields, requiredAttributeFields } from './attribute-fields.js';
import { attributeError, byField, localized, sharedError, type PageError } from './errors.js';
import { field, formOf, frameOf, localeOf, pageUrl, passwordRules, postedForm, signInLink } from './frame.js';
import { renderPage } from './page.js';
import { browserDeviceOf } from './remember-device.js';
import { continueSignIn } from './sign-in-steps.js';

interface NewPasswordForm {
  session: string;
  username: string;
  /** Required attributes the account lacks. */
  fields: SignUpField[];
}

/** The NEW_PASSWORD_REQUIRED challenge as a page: the account's missing required attributes are asked for too. */
export function showNewPasswordChallenge(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, challenge: Challenge) {
  const attributes = JSON.parse(challenge.ChallengeParameters.userAttributes ?? '{}') as Record<string, string>;
  const fields = missingAttributeFields(pool, localeOf(c, request).t, { attributes });
  const username = challenge.ChallengeParameters.USER_ID_FOR_SRP ?? '';
  return showNewPassword(c, core, pool, request, query, { session: challenge.Session, username, fields }, {}, []);
}

function showNewPassword(
  c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, challenge: NewPasswordForm,
  values: Record<string, string>, errors: PageError[],
) {
  const frame = frameOf(c, pool, request.client, request);
  return renderPage(
    c,
    NewPasswordPage({
      frame,
      form: formOf(c, core, pool, 'newPassword', query),
      ...challenge,
      values,
      errors: byField(errors),
      alert: errors.find((e) => !e.field)?.message,
      rules: passwordRules(pool),
      links: [signInLink(pool, query, frame.locale)],
    }),
    errors.length > 0 ? 400 : 200,
    request.redirectUri,
  );
}

/** `POST /{poolId}/newPassword`: answers NEW_PASSWORD_REQUIRED with the core's challenge logic, then continues the sign-in. */
export async function submitNewPassword(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const client = request.client;
  const frame = frameOf(c, pool, client, request);
  const { t } = frame.locale;
  const session = form.get('session') ?? '';
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  const expired = () =>
    renderPage(c, MessagePage({ frame, title: t.newPasswordTitle, message: t.sessionExpired, links: [{ href: pageUrl(pool, 'login', query), label: t.signInAgain }] }), 400);

  if (!session) return expired();
  // The attribute fields this page showed come back with the form; only required attributes count.
  const fields = requiredAttributeFields(pool, t, form.keys());
  const values = Object.fromEntries(fields.map((f) => [f.name, field(form, f.name)]));
  const answers: Record<string, string> = { USERNAME: username, NEW_PASSWORD: password };
  for (const [name, value] of Object.entries(values)) answers[`userAttributes.${name}`] = value;

  // Shown again on a rejected answer; the session stays open for another try, as in Cognito.
  const again = (errors: PageError[]) => showNewPassword(c, core, pool, request, query, { session, username, fields }, values, errors);
  const missing: PageError[] = fields.filter((f) => !values[f.name]).map((f) => ({ field: f.name, message: t.required }));
  if (!password) missing.unshift({ field: 'password', message: t.required });
  if (missing.length > 0) return again(missing);

  try {
    const user = await answerNewPassword(core, pool, client, session, answers, 'hosted');
    const browser = await browserDeviceOf(c, core, pool, user);
    // The second factor when MFA applies, else the end of the sign-in.
    return await continueSignIn(c, core, pool, request, query, await hostedNextFactor(core, pool, client, user, browser));
  } catch (error) {
    if (error instanceof NotAuthorizedError && /session/i.test(error.message)) return expired();
    const hide = preventsUserExistenceErrors(client.config);
    const known = sharedError(error, t, hide) ?? (error instanceof CognateError && error.expose ? attributeError(error, t, Object.keys(values)) : undefined);
    if (known) return again([known]);
    if (error instanceof CognateError && error.expose) return again([{ message: localized(error.message, t) }]);
    throw error;
  }
}
