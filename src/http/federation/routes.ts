import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { POOL_ID } from '../../core/api/input.js';
import type { Core } from '../../core/context.js';
import { finishFederatedSignIn } from '../../core/federation/broker.js';
import { OAuthError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { readForm } from '../oauth/respond.js';
import { authorizeFailure, errorPage, localeOf } from '../ui/frame.js';
import { signedIn } from '../ui/signed-in.js';
import { accountPage, finishLink, submitAccount } from './account.js';
import { askToLink, submitLinkAccount } from './link-account.js';
import { BROWSER_COOKIE } from './start.js';

type Env = { Variables: { pool: PoolRecord } };

/** The provider's answer (query, or form body for form_post) → the pool's own code flow back to the client. */
async function idpResponse(c: Context<Env>, core: Core, params: URLSearchParams): Promise<Response> {
  const pool = c.get('pool');
  try {
    const signIn = await finishFederatedSignIn(core, pool, params.get('state'), getCookie(c, BROWSER_COOKIE), params);
    if ('confirm' in signIn.outcome) return await askToLink(c, core, pool, signIn, signIn.outcome.confirm);
    if ('linkTo' in signIn.outcome) return await finishLink(c, core, pool, signIn, signIn.outcome.linkTo);
    return await signedIn(c, core, pool, signIn.request, signIn.query, signIn.outcome.user);
  } catch (error) {
    return authorizeFailure(c, core, pool, new URLSearchParams(), error);
  }
}

/** Callback routes of the federation broker. */
export function federationRoutes(core: Core) {
  const app = new Hono<Env>();
  for (const path of ['/:poolId/oauth2/idpresponse', '/:poolId/linkAccount', '/:poolId/account']) {
    app.use(path, async (c, next) => {
      const poolId = c.req.param('poolId') ?? '';
      const pool = POOL_ID.test(poolId) ? await core.store.pools.get(poolId) : undefined;
      if (!pool) return c.text('Not found', 404);
      c.set('pool', pool);
      await next();
    });
  }
  // A refused form (CSRF, malformed body) gets a page.
  const post = (handler: typeof submitLinkAccount) => async (c: Context<Env>) => {
    try {
      return await handler(c, core, c.get('pool'));
    } catch (error) {
      if (error instanceof OAuthError) return errorPage(c, c.get('pool'), localeOf(c), error.message, error.status);
      throw error;
    }
  };
  app.post('/:poolId/linkAccount', post(submitLinkAccount));
  app.get('/:poolId/account', (c) => accountPage(c, core, c.get('pool')));
  app.post('/:poolId/account', post(submitAccount));
  app.get('/:poolId/oauth2/idpresponse', (c) => idpResponse(c, core, new URL(c.req.url).searchParams));
  // Sign in with Apple answers with response_mode=form_post.
  app.post('/:poolId/oauth2/idpresponse', async (c) => {
    const form = await readForm(c).catch(() => undefined);
    if (!form) return errorPage(c, c.get('pool'), localeOf(c), 'The identity provider sent a malformed answer', 400);
    return idpResponse(c, core, form);
  });
  return app;
}
