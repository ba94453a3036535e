import { Hono, type Context } from 'hono';
import { customScopes } from '../../core/api/resource-servers.js';
import { POOL_ID } from '../../core/api/input.js';
import type { Core } from '../../core/context.js';
import { authenticateClient, credentialsFrom } from '../../core/oauth/client-auth.js';
import { clientCredentialsGrant, refreshTokenGrant } from '../../core/oauth/grants.js';
import { authorizationCodeGrant } from '../../core/oauth/codes.js';
import { introspect } from '../../core/oauth/introspection.js';
import { revoke } from '../../core/oauth/revocation.js';
import { userInfo } from '../../core/oauth/userinfo.js';
import { InvalidClientError, NotAuthorizedError, OAuthError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { NO_STORE, oauthErrorResponse, readForm } from './respond.js';

type Env = { Variables: { pool: PoolRecord } };

/** `/{poolId}/oauth2/*`: the pool's OAuth 2.0 endpoints, each a short list of checks. */
export function oauthRoutes(core: Core) {
  const app = new Hono<Env>();

  app.use('/:poolId/oauth2/:endpoint{token|revoke|introspect|userInfo}', async (c, next) => {
    const poolId = c.req.param('poolId');
    const pool = POOL_ID.test(poolId) ? await core.store.pools.get(poolId) : undefined;
    if (!pool) return c.json({ error: 'not_found' }, 404);
    c.set('pool', pool);
    await next();
  });

  /** Authenticates the caller; Basic failures carry the challenge RFC 6749 §5.2 asks for. */
  const withClient = async (c: Context<Env>, form: URLSearchParams) => {
    const authorization = c.req.header('authorization');
    try {
      return await authenticateClient(core, c.get('pool'), credentialsFrom(authorization, form));
    } catch (error) {
      if (error instanceof InvalidClientError) error.basicAttempted = authorization?.startsWith('Basic ') === true;
      throw error;
    }
  };

  const fail = (c: Context<Env>, error: unknown) =>
    oauthErrorResponse(c, error, core.logger, error instanceof InvalidClientError && error.basicAttempted ? { 'www-authenticate': 'Basic realm="oauth2"' } : {});

  app.post('/:poolId/oauth2/token', async (c) => {
    try {
      const form = await readForm(c);
      const client = await withClient(c, form);
      const pool = c.get('pool');
      const grant = form.get('grant_type');
      if (!grant) throw new OAuthError('invalid_request', 'grant_type is required');
      if (grant === 'authorization_code') return c.json(await authorizationCodeGrant(core, pool, client, form), 200, NO_STORE);
      if (grant === 'refresh_token') return c.json(await refreshTokenGrant(core, pool, client, form), 200, NO_STORE);
      if (grant === 'client_credentials') {
        return c.json(await clientCredentialsGrant(core, pool, client, form, (id) => customScopes(core, id)), 200, NO_STORE);
      }
      throw new OAuthError('unsupported_grant_type', `grant_type ${grant} is not supported`);
    } catch (error) {
      return fail(c, error);
    }
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
