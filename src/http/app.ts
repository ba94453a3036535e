import { Hono } from 'hono';
import type { Core } from '../core/context.js';
import { cognitoApi, type AdminCredentials } from './cognito-api/dispatch.js';
import { oauthRoutes } from './oauth/routes.js';
import { hostedRoutes } from './ui/routes.js';
import { federationRoutes } from './federation/routes.js';
import { samlRoutes } from './federation/saml-routes.js';
import { wellKnownRoutes } from './oidc/well-known.js';

export interface AppOptions {
  core: Core;
  admin: AdminCredentials;
}

/** The whole HTTP surface, built once per process or isolate. */
export function createApp({ core, admin }: AppOptions): Hono {
  const app = new Hono();
  app.post('/', cognitoApi(core, admin));
  app.route('/', wellKnownRoutes(core));
  app.route('/', oauthRoutes(core));
  app.route('/', hostedRoutes(core));
  app.route('/', federationRoutes(core));
  app.route('/', samlRoutes(core));
  app.get('/health', (c) => c.json({ ok: true }));
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  app.onError((error, c) => {
    core.logger.error('unhandled error', { error: error.stack ?? error.message });
    return c.json({ error: 'server_error' }, 500);
  });
  return app;
}
