import type { Context } from 'hono';
import { signUp } from '../../core/api/users-public.js';
import { openSession } from '../../core/auth/sessions.js';
import type { Core } from '../../core/context.js';
import { base64url } from '../../core/crypto.js';
import { allowAdminCreateUserOnly } from '../../core/directory/pool-config.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { CognateError, InvalidParameterError, NotAuthorizedError, UsernameExistsError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import type { Messages } from '../../ui/i18n.js';
import { MessagePage } from '../../ui/pages/message.js';
import { SignUpPage, type SignUpField } from '../../ui/pages/sign-up.js';
import { signUpFields } from './attribute-fields.js';
import { deliveredTo, HOSTED_SIGN_UP, showConfirm } from './confirm.js';
import { attributeError, byField, localized, sharedError, type PageError } from './errors.js';
import { field, formOf, frameOf, pageUrl, passwordRules, postedForm, secretHashFor, signInLink, withRequest } from './frame.js';
import { renderPage } from './page.js';

function showSignUp(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, values: Record<string, string>, errors: PageError[]) {
  const frame = frameOf(c, pool, request.client, request);
  const { t } = frame.locale;
  if (allowAdminCreateUserOnly(pool.config)) {
    return renderPage(c, MessagePage({ frame, title: t.signUpTitle, message: t.signUpDisabled, links: [signInLink(pool, query, frame.locale)] }), 403);
  }
  return renderPage(
    c,
    SignUpPage({
      frame,
      form: formOf(c, core, pool, 'signup', query),
      fields: signUpFields(pool, t),
      values,
      errors: byField(errors),
      alert: errors.find((e) => !e.field)?.message,
      rules: passwordRules(pool),
      links: [{ href: pageUrl(pool, 'login', query), label: t.signIn, prompt: t.haveAccount }],
    }),
    errors.length > 0 ? 400 : 200,
    request.redirectUri,
  );
}

/** `GET /{poolId}/signup?{authorization request}` */
export function showSignUpPage(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  return withRequest(c, core, pool, (request, query) => showSignUp(c, core, pool, request, query, {}, []));
}

/** Puts a refused sign-up into the page's words; the core decides what may be told about existing users. */
function signUpError(error: unknown, t: Messages, fields: SignUpField[]): PageError | undefined {
  const shared = sharedError(error, t, false);
  if (shared) return shared;
  if (!(error instanceof CognateError) || !error.expose) return undefined;
  const username = fields[0]!;
  if (error instanceof UsernameExistsError) return { field: 'username', message: t.usernameTaken };
  if (error instanceof NotAuthorizedError && /SignUp is not permitted/.test(error.message)) return { message: t.signUpDisabled };
  if (error instanceof InvalidParameterError && /^Username should be|'Username'/.test(error.message)) {
    const message = username.type === 'email' ? t.invalidEmail : username.type === 'tel' ? t.invalidPhone : t.usernameInvalid;
    return { field: 'username', message };
  }
  const attribute = attributeError(error, t, fields.map((f) => f.name));
  if (attribute && fields.some((f) => f.name === attribute.field)) return attribute;
  return { message: localized(error.message, t) };
}

/** `POST /{poolId}/signup`: the public SignUp operation for the request's client, then the confirmation page. */
export async function submitSignUp(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const client = request.client;
  const { t } = frameOf(c, pool, client, request).locale;
  const fields = signUpFields(pool, t);
  const values = Object.fromEntries(fields.map((f) => [f.name, field(form, f.name)]));
  const password = form.get('password') ?? '';
  const missing: PageError[] = fields.filter((f) => !values[f.name]).map((f) => ({ field: f.name, message: t.required }));
  if (!password) missing.push({ field: 'password', message: t.required });
  if (missing.length > 0) return showSignUp(c, core, pool, request, query, values, missing);

  const username = values.username!;
  let result: Awaited<ReturnType<typeof signUp>>;
  try {
    result = await signUp(core, {
      ClientId: client.id,
      Username: username,
      Password: password,
      UserAttributes: fields.slice(1).map((f) => ({ Name: f.name, Value: values[f.name]! })),
      SecretHash: await secretHashFor(core, client, username),
    });
  } catch (error) {
    const known = signUpError(error, t, fields);
    if (!known) throw error;
    return showSignUp(c, core, pool, request, query, values, [known]);
  }
  // Lets this browser continue signed in once the code is confirmed. A decoy answer (the name
  // was taken and the client hides that) gets a handle of the same shape that opens nothing.
  const user = await core.store.users.getBySub(pool.id, result.UserSub);
  const session = user ? await openSession(core, client, user, HOSTED_SIGN_UP) : base64url(core.random.bytes(48));
  if (!result.CodeDeliveryDetails) {
    const frame = frameOf(c, pool, client, request);
    return renderPage(c, MessagePage({ frame, title: t.signUpTitle, message: t.accountCreated, links: [signInLink(pool, query, frame.locale)] }));
  }
  return showConfirm(c, core, pool, request, query, { username, session, sentTo: deliveredTo(t, result.CodeDeliveryDetails) });
}
