import { Hono } from 'hono';
import { POOL_ID } from '../../core/api/input.js';
import type { Core } from '../../core/context.js';
import { OAuthError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { BASE_CSS } from '../../ui/layout.js';
import { pickLocale } from '../../ui/i18n.js';
import { readForm } from '../oauth/respond.js';
import { authorize } from './authorize.js';
import { errorPage, submitLogin } from './login.js';
import { logout } from './logout.js';

type Env = { Variables: { pool: PoolRecord } };

/** Browser-facing routes of a pool: authorize, hosted sign-in, logout and the stylesheet. */
export function hostedRoutes(core: Core) {
  const app = new Hono<Env>();
  for (const path of ['/:poolId/oauth2/authorize', '/:poolId/login', '/:poolId/logout', '/:poolId/ui/*']) {
    app.use(path, async (c, next) => {
      const poolId = c.req.param('poolId') ?? '';
      const pool = POOL_ID.test(poolId) ? await core.store.pools.get(poolId) : undefined;
      if (!pool) return c.text('Not found', 404);
      c.set('pool', pool);
      await next();
    });
  }
  app.get('/:poolId/ui/style.css', (c) => c.body(BASE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  app.get('/:poolId/oauth2/authorize', (c) => authorize(c, core, c.get('pool'), new URL(c.req.url).searchParams));
  // OIDC Core §3.1.2.1: authorization requests may also come as a form POST.
  app.post('/:poolId/oauth2/authorize', async (c) => authorize(c, core, c.get('pool'), await readForm(c)));
  app.get('/:poolId/login', (c) => authorize(c, core, c.get('pool'), new URL(c.req.url).searchParams));
  app.post('/:poolId/login', async (c) => {
    try {
      return await submitLogin(c, core, c.get('pool'));
    } catch (error) {
      if (error instanceof OAuthError) return errorPage(c, c.get('pool'), pickLocale(undefined, c.req.header('accept-language')), error.message, error.status);
      throw error;
    }
  });
  app.get('/:poolId/logout', (c) => logout(c, core, c.get('pool')));
  return app;
}
