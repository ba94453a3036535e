import { issuerOf, type Core } from '../../core/context.js';
import { POOL_ID } from '../../core/api/input.js';

export type PublishedKind = 'jwks' | 'discovery';

/** Both documents are public and change only with the pool's keys; clients may cache them. */
export const PUBLISHED_HEADERS = { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' } as const;

const PATH = /^\/([^/?#]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

/** `/{poolId}/.well-known/jwks.json` or `/openid-configuration`, nothing else (no query). */
export function publishedPath(path: string): { poolId: string; kind: PublishedKind } | undefined {
  const match = PATH.exec(path);
  if (!match || !POOL_ID.test(match[1]!)) return undefined;
  return { poolId: match[1]!, kind: match[2] === 'jwks.json' ? 'jwks' : 'discovery' };
}

export interface PublishedDocuments {
  /** The body when the key ring holds the pool fresh, without a promise; otherwise undefined. */
  cached(poolId: string, kind: PublishedKind): string | undefined;
  /** The body, or undefined when there is no such pool. */
  load(poolId: string, kind: PublishedKind): Promise<string | undefined>;
}

const documents = new WeakMap<Core, PublishedDocuments>();

/**
 * Discovery and keys for each pool's issuer, the most requested URLs of an issuer: answered
 * from the key ring's cache (which also tells whether the pool exists) without reading the
 * pool. One instance per core, shared by the HTTP routes and a runtime's fast path.
 */
export function publishedDocuments(core: Core): PublishedDocuments {
  let found = documents.get(core);
  if (found) return found;
  // Discovery bodies by pool and signing algorithm, the only inputs that vary.
  const discoveryBodies = new Map<string, string>();
  const discoveryBody = (poolId: string, alg: string) => {
    const cacheKey = `${poolId} ${alg}`;
    let body = discoveryBodies.get(cacheKey);
    if (body === undefined) {
      body = JSON.stringify(discovery(issuerOf(core, poolId), alg));
      discoveryBodies.set(cacheKey, body);
    }
    return body;
  };
  found = {
    cached(poolId, kind) {
      const cached = core.keys.cachedPublication(poolId);
      if (!cached) return undefined;
      if (kind === 'jwks') return cached.jwksBody;
      return cached.alg ? discoveryBody(poolId, cached.alg) : undefined;
    },
    async load(poolId, kind) {
      const jwks = await core.keys.jwksBody(poolId);
      if (jwks === undefined || kind === 'jwks') return jwks;
      return discoveryBody(poolId, (await core.keys.signer(poolId)).alg);
    },
  };
  documents.set(core, found);
  return found;
}

/** Endpoints are added to discovery as they are implemented. */
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
