import type { Context } from 'hono';
import { respondToAuthChallenge } from '../../core/api/challenges.js';
import { accountState, newPasswordChallenge } from '../../core/auth/sign-in.js';
import { mfaChallenge } from '../../core/mfa/challenge.js';
import type { Core } from '../../core/context.js';
import { preventsUserExistenceErrors } from '../../core/directory/client-config.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { CognateError, NotAuthorizedError } from '../../errors.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { NewPasswordPage } from '../../ui/pages/new-password.js';
import type { SignUpField } from '../../ui/pages/sign-up.js';
import { MessagePage } from '../../ui/pages/message.js';
import { missingAttributeFields, requiredAttributeFields } from './attribute-fields.js';
import { attributeError, byField, sharedError, type PageError } from './errors.js';
import { field, formOf, frameOf, localeOf, pageUrl, passwordRules, postedForm, secretHashFor, signInLink } from './frame.js';
import { renderPage } from './page.js';
import { continueChallenge, showMfa } from './mfa.js';
import { signedIn } from './signed-in.js';

/**
 * After the password proved right (typed, or just set through a reset or confirmation):
 * a temporary password must be replaced first; otherwise the sign-in completes.
 * Account-state errors (disabled, unconfirmed, reset required) propagate to the caller.
 */
export async function afterFirstFactor(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, user: UserRecord) {
  if ((await accountState(core, pool, user)) === 'NEW_PASSWORD_REQUIRED') {
    const challenge = await newPasswordChallenge(core, request.client, user);
    if (!('Session' in challenge)) throw new Error('NEW_PASSWORD_REQUIRED opened no session');
    const fields = missingAttributeFields(pool, localeOf(c, request).t, user);
    return showNewPassword(c, core, pool, request, query, { session: challenge.Session, username: user.username, fields }, {}, []);
  }
  const mfa = await mfaChallenge(core, pool, request.client, user);
  if (mfa && 'ChallengeName' in mfa) return showMfa(c, core, pool, request, query, mfa);
  return signedIn(c, core, pool, request, user);
}

interface Challenge {
  session: string;
  username: string;
  /** Required attributes the account lacks. */
  fields: SignUpField[];
}

function showNewPassword(
  c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, challenge: Challenge,
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

/** `POST /{poolId}/newPassword`: answers NEW_PASSWORD_REQUIRED through the challenge logic, then signs in. */
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
  const secretHash = await secretHashFor(core, client, username);
  if (secretHash) answers.SECRET_HASH = secretHash;
  for (const [name, value] of Object.entries(values)) answers[`userAttributes.${name}`] = value;

  // Shown again on a rejected answer; the session stays open for another try, as in Cognito.
  const again = (errors: PageError[]) => showNewPassword(c, core, pool, request, query, { session, username, fields }, values, errors);
  const missing: PageError[] = fields.filter((f) => !values[f.name]).map((f) => ({ field: f.name, message: t.required }));
  if (!password) missing.unshift({ field: 'password', message: t.required });
  if (missing.length > 0) return again(missing);

  let answer: Awaited<ReturnType<typeof respondToAuthChallenge>>;
  try {
    answer = await respondToAuthChallenge(core, { ClientId: client.id, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: answers });
  } catch (error) {
    if (error instanceof NotAuthorizedError && /session/i.test(error.message)) return expired();
    const hide = preventsUserExistenceErrors(client.config);
    const known = sharedError(error, t, hide) ?? (error instanceof CognateError && error.expose ? attributeError(error, t, Object.keys(values)) : undefined);
    if (known) return again([known]);
    if (error instanceof CognateError && error.expose) return again([{ message: error.message }]);
    throw error;
  }
  // Tokens, or the second factor when MFA applies: both continue the same way as any challenge.
  return continueChallenge(c, core, pool, request, query, answer);
}
