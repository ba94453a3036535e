import { Hono, type Context } from 'hono';
import type { Core } from '../../core/context.js';
import { introspect } from '../../core/oauth/introspection.js';
import { revoke } from '../../core/oauth/revocation.js';
import { userInfo } from '../../core/oauth/userinfo.js';
import { NotAuthorizedError, OAuthError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { formText, NO_STORE, readForm, sendPlain } from './respond.js';
import { authenticatedClient, MAX_TOKEN_BODY, oauthFailure, poolNamed, tokenEndpoint } from './token-endpoint.js';

type Env = { Variables: { pool: PoolRecord } };

/** `/{poolId}/oauth2/*`: the pool's OAuth 2.0 endpoints, each a short list of checks. */
export function oauthRoutes(core: Core) {
  const app = new Hono<Env>();

  app.use('/:poolId/oauth2/:endpoint{revoke|introspect|userInfo}', async (c, next) => {
    const pool = await poolNamed(core, c.req.param('poolId'));
    if (!pool) return c.json({ error: 'not_found' }, 404);
    c.set('pool', pool);
    await next();
  });

  const withClient = (c: Context<Env>, form: URLSearchParams) => authenticatedClient(core, c.get('pool'), c.req.header('authorization'), form);
  const fail = (c: Context<Env>, error: unknown) => sendPlain(c, oauthFailure(core, error));

  app.post('/:poolId/oauth2/token', async (c) => {
    const form = await formText(c);
    const body = form.length > MAX_TOKEN_BODY ? undefined : form;
    return sendPlain(c, await tokenEndpoint(core, { poolId: c.req.param('poolId'), contentType: c.req.header('content-type'), authorization: c.req.header('authorization'), body }));
  });

  app.post('/:poolId/oauth2/revoke', async (c) => {
    try {
      const form = await readForm(c);
      const client = await withClient(c, form);
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is required');
      await revoke(core, c.get('pool'), client, token);
      return c.body(null, 200, NO_STORE);
    } catch (error) {
      return fail(c, error);
    }
  });

  app.post('/:poolId/oauth2/introspect', async (c) => {
    try {
      const form = await readForm(c);
      const client = await withClient(c, form);
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is required');
      return c.json(await introspect(core, c.get('pool'), client, token), 200, NO_STORE);
    } catch (error) {
      return fail(c, error);
    }
  });

  const userInfoRoute = async (c: Context<Env>) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) {
      return c.json({ error: 'invalid_token', error_description: 'A bearer access token is required' }, 401, {
        ...NO_STORE,
        'www-authenticate': 'Bearer realm="userinfo"',
      });
    }
    try {
      return c.json(await userInfo(core, c.get('pool'), token), 200, NO_STORE);
    } catch (error) {
      if (!(error instanceof NotAuthorizedError)) return fail(c, error);
      return c.json({ error: 'invalid_token', error_description: error.message }, 401, {
        ...NO_STORE,
        'www-authenticate': `Bearer realm="userinfo", error="invalid_token"`,
      });
    }
  };
  app.get('/:poolId/oauth2/userInfo', userInfoRoute);
  app.post('/:poolId/oauth2/userInfo', userInfoRoute);

  return app;
}
