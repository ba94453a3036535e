import { Hono, type Context } from 'hono';
import { issuerOf, type Core } from '../../core/context.js';
import { POOL_ID } from '../../core/api/input.js';

/**
 * Discovery and keys for each pool's issuer, the most requested URLs of an issuer. Both are
 * answered from the key ring's cache (which also tells whether the pool exists) without
 * reading the pool, and without a promise when the cache is fresh. Endpoints are added to
 * discovery as they are implemented.
 */
export function wellKnownRoutes(core: Core) {
  const app = new Hono();
  // Discovery bodies by pool and signing algorithm, the only inputs that vary.
  const discoveryBodies = new Map<string, string>();
  const json = (c: Context, body: string): Response => c.body(body, 200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
  const notFound = (c: Context): Response => c.json({ error: 'not_found' }, 404);
  const discoveryBody = (poolId: string, alg: string) => {
    const cacheKey = `${poolId} ${alg}`;
    let body = discoveryBodies.get(cacheKey);
    if (body === undefined) {
      body = JSON.stringify(discovery(issuerOf(core, poolId), alg));
      discoveryBodies.set(cacheKey, body);
    }
    return body;
  };

  app.get('/:poolId/.well-known/jwks.json', (c): Response | Promise<Response> => {
    const poolId = c.req.param('poolId');
    if (!POOL_ID.test(poolId)) return notFound(c);
    const cached = core.keys.cachedPublication(poolId);
    if (cached) return json(c, cached.jwksBody);
    return core.keys.jwksBody(poolId).then((jwks) => (jwks === undefined ? notFound(c) : json(c, jwks)));
  });
  app.get('/:poolId/.well-known/openid-configuration', (c): Response | Promise<Response> => {
    const poolId = c.req.param('poolId');
    if (!POOL_ID.test(poolId)) return notFound(c);
    const cached = core.keys.cachedPublication(poolId);
    if (cached?.alg) return json(c, discoveryBody(poolId, cached.alg));
    return (async () => {
      if ((await core.keys.jwksBody(poolId)) === undefined) return notFound(c);
      return json(c, discoveryBody(poolId, (await core.keys.signer(poolId)).alg));
    })();
  });
  return app;
}

function discovery(issuer: string, alg: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    userinfo_endpoint: `${issuer}/oauth2/userInfo`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    end_session_endpoint: `${issuer}/logout`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    response_modes_supported: ['query', 'fragment'],
    authorization_response_iss_parameter_supported: true,
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    ui_locales_supported: ['en', 'de'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    response_types_supported: ['code', 'token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [alg],
    scopes_supported: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'],
    claims_supported: [
      'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'token_use', 'cognito:username',
      'cognito:groups', 'cognito:roles', 'cognito:preferred_role', 'username', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'identities',
    ],
  };
}
