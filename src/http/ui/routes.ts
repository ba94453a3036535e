import { Hono, type Context } from 'hono';
import { POOL_ID } from '../../core/api/input.js';
import type { Core } from '../../core/context.js';
import { OAuthError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { readForm } from '../oauth/respond.js';
import { authorize } from './authorize.js';
import { logo, stylesheet } from './branding.js';
import { showConfirmPage, submitConfirm } from './confirm.js';
import { submitConsent } from './consent.js';
import { showForgotPage, submitForgot } from './forgot-password.js';
import { localized } from './errors.js';
import { errorPage, localeOf } from './frame.js';
import { submitLogin } from './login.js';
import { logout } from './logout.js';
import { submitNewPassword } from './new-password.js';
import { submitMfa } from './mfa.js';
import { showPasswordlessPage, submitPasswordless } from './passwordless.js';
import { showResetPage, submitReset } from './reset-password.js';
import { submitSelectAccount } from './select-account.js';
import { showSignUpPage, submitSignUp } from './sign-up.js';

type Env = { Variables: { pool: PoolRecord } };
type Handler = (c: Context<Env>, core: Core, pool: PoolRecord) => Promise<Response>;

/** Hosted pages other than sign-in: GET shows the page, POST acts on it. */
const PAGES: Record<string, { show?: Handler; submit: Handler }> = {
  signup: { show: showSignUpPage, submit: submitSignUp },
  confirm: { show: showConfirmPage, submit: submitConfirm },
  forgotPassword: { show: showForgotPage, submit: submitForgot },
  confirmForgotPassword: { show: showResetPage, submit: submitReset },
  newPassword: { submit: submitNewPassword },
  mfa: { submit: submitMfa },
  passwordless: { show: showPasswordlessPage, submit: submitPasswordless },
  selectAccount: { submit: submitSelectAccount },
  consent: { submit: submitConsent },
};

/** Browser-facing routes of a pool: authorize, hosted pages, logout, stylesheet and logo. */
export function hostedRoutes(core: Core) {
  const app = new Hono<Env>();
  const paths = ['/:poolId/oauth2/authorize', '/:poolId/login', '/:poolId/logout', '/:poolId/ui/*', ...Object.keys(PAGES).map((p) => `/:poolId/${p}`)];
  for (const path of paths) {
    app.use(path, async (c, next) => {
      const poolId = c.req.param('poolId') ?? '';
      const pool = POOL_ID.test(poolId) ? await core.store.pools.get(poolId) : undefined;
      if (!pool) return c.text('Not found', 404);
      c.set('pool', pool);
      await next();
    });
  }
  // A refused form (CSRF, malformed body) gets a page, not JSON.
  const post = (handler: Handler) => async (c: Context<Env>) => {
    try {
      return await handler(c, core, c.get('pool'));
    } catch (error) {
      if (error instanceof OAuthError) return errorPage(c, c.get('pool'), localeOf(c), localized(error.message, localeOf(c).t), error.status);
      throw error;
    }
  };
  app.get('/:poolId/ui/style.css', (c) => stylesheet(c, core, c.get('pool')));
  app.get('/:poolId/ui/logo', (c) => logo(c, core, c.get('pool')));
  app.get('/:poolId/oauth2/authorize', (c) => authorize(c, core, c.get('pool'), new URL(c.req.url).searchParams));
  // OIDC Core §3.1.2.1: authorization requests may also come as a form POST.
  app.post('/:poolId/oauth2/authorize', async (c) => authorize(c, core, c.get('pool'), await readForm(c)));
  app.get('/:poolId/login', (c) => authorize(c, core, c.get('pool'), new URL(c.req.url).searchParams));
  app.post('/:poolId/login', post(submitLogin));
  for (const [page, { show, submit }] of Object.entries(PAGES)) {
    if (show) app.get(`/:poolId/${page}`, (c) => show(c, core, c.get('pool')));
    app.post(`/:poolId/${page}`, post(submit));
  }
  app.get('/:poolId/logout', (c) => logout(c, core, c.get('pool')));
  return app;
}
