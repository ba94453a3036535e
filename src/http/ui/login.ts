import type { Context } from 'hono';
import { passwordlessFactors } from '../../core/auth/hosted-sign-in.js';
import { verifyPassword } from '../../core/auth/sign-in.js';
import type { Core } from '../../core/context.js';
import { allowAdminCreateUserOnly } from '../../core/directory/pool-config.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { CognateError, UserNotConfirmedError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import type { PageLink } from '../../ui/form.js';
import type { Locale } from '../../ui/i18n.js';
import { LoginPage } from '../../ui/pages/login.js';
import { field, formOf, frameOf, pageUrl, postedForm } from './frame.js';
import { afterFirstFactor } from './sign-in-steps.js';
import { renderPage } from './page.js';

function loginLinks(pool: PoolRecord, client: ClientRecord, query: string, locale: Locale): PageLink[] {
  const { t } = locale;
  const codeLabels = { EMAIL_OTP: t.passwordlessEmailLink, SMS_OTP: t.passwordlessSmsLink };
  return [
    ...passwordlessFactors(pool, client).map((factor) => ({ href: pageUrl(pool, 'passwordless', query, { factor }), label: codeLabels[factor] })),
    { href: pageUrl(pool, 'forgotPassword', query), label: t.forgotPasswordLink },
    ...(allowAdminCreateUserOnly(pool.config) ? [] : [{ href: pageUrl(pool, 'signup', query), label: t.signUp, prompt: t.noAccount }]),
  ];
}

const supportedProviders = (request: AuthorizeRequest) => (request.client.config.SupportedIdentityProviders as string[] | undefined) ?? [];
const externalProviders = (request: AuthorizeRequest) => supportedProviders(request).filter((p) => p !== 'COGNITO');
/** The pool's own directory (username and password) is a provider a client may leave out. */
const offersDirectory = (request: AuthorizeRequest) => supportedProviders(request).includes('COGNITO');

export interface LoginMessages {
  error?: string;
  notice?: string;
}

/** Shows the sign-in form for an authorization request that was already validated. */
export async function showLogin(c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, messages: LoginMessages = {}, username?: string) {
  const frame = frameOf(c, pool, request.client, request);
  return renderPage(
    c,
    LoginPage({
      frame,
      form: formOf(c, core, pool, 'login', query),
      username: username ?? request.loginHint,
      ...messages,
      links: loginLinks(pool, request.client, query, frame.locale),
      providers: externalProviders(request).map((name) => ({ name, href: pageUrl(pool, 'login', query, { identity_provider: name }) })),
      passwordForm: offersDirectory(request),
    }),
    messages.error ? 400 : 200,
    request.redirectUri,
  );
}

/** What the form may tell: one message for every credential failure, so it does not reveal who exists. */
function messageFor(error: CognateError, locale: Locale): string {
  switch (error.message) {
    case 'Password attempts exceeded':
      return locale.t.locked;
    case 'Password reset required for the user':
      return locale.t.resetRequired;
    case 'User is disabled.':
      return locale.t.disabled;
    case 'Temporary password has expired and must be reset by an administrator.':
      return locale.t.temporaryPasswordExpired;
    default:
      return locale.t.wrongCredentials;
  }
}

/** `POST /{poolId}/login`: checks the form, signs the user in, starts the SSO session and answers the client. */
export async function submitLogin(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const username = field(form, 'username');
  const password = form.get('password') ?? '';
  const { locale } = frameOf(c, pool, request.client, request);
  if (!offersDirectory(request)) return showLogin(c, core, pool, request, query);
  if (!username || !password) return showLogin(c, core, pool, request, query, { error: locale.t.required }, username);
  try {
    const user = await verifyPassword(core, pool, request.client, username, password);
    return await afterFirstFactor(c, core, pool, request, query, user);
  } catch (error) {
    // Only a correct password reaches this: the account exists, so its confirmation page may open.
    if (error instanceof UserNotConfirmedError) return c.redirect(pageUrl(pool, 'confirm', query, { username }), 303);
    if (error instanceof CognateError && error.expose) return showLogin(c, core, pool, request, query, { error: messageFor(error, locale) }, username);
    throw error;
  }
}
