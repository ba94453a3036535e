import * as client from 'openid-client';
import { UpstreamError } from '../src/errors.js';
import { ASYMMETRIC_ALGORITHMS, upstreamKeys, verifyIdToken } from './id-token.js';
import { missing, randomToken, scopesOf } from './oauth2.js';
import type { ProviderContext, ProviderKind } from './types.js';
import { anyHttp, upstreamFetch } from './upstream-url.js';

const REQUEST_METHODS = ['GET', 'POST'];
/** Beyond Cognito: how to authenticate at the token endpoint; without a secret, `none` (PKCE only). */
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];
const CLOCK_SKEW_SECONDS = 60;

const customFetch = (ctx: ProviderContext) => upstreamFetch(ctx) as client.CustomFetch;

/** The endpoints an issuer publishes at `/.well-known/openid-configuration`. */
async function discover(ctx: ProviderContext, issuer: string, clientId: string): Promise<Record<string, string>> {
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    [client.customFetch]: customFetch(ctx), execute: anyHttp([issuer]) ? [client.allowInsecureRequests] : [], timeout: 10,
  });
  const metadata = config.serverMetadata();
  const found = { authorize_url: metadata.authorization_endpoint, token_url: metadata.token_endpoint, attributes_url: metadata.userinfo_endpoint, jwks_uri: metadata.jwks_uri };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

function problemsOf(details: Record<string, string>): string[] {
  const problems = missing(details, ['client_id', 'oidc_issuer', 'authorize_scopes']);
  if (details.authorize_scopes && !scopesOf(details.authorize_scopes).includes('openid')) problems.push('authorize_scopes must include openid');
  if (details.attributes_request_method !== undefined && !REQUEST_METHODS.includes(details.attributes_request_method)) problems.push('attributes_request_method must be GET or POST');
  if (details.token_endpoint_auth_method !== undefined && !AUTH_METHODS.includes(details.token_endpoint_auth_method)) problems.push(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
  return problems;
}

const clientAuth = (details: Record<string, string>): client.ClientAuth =>
  !details.client_secret ? client.None() : details.token_endpoint_auth_method === 'client_secret_post' ? client.ClientSecretPost(details.client_secret) : client.ClientSecretBasic(details.client_secret);

function upstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof client.ResponseBodyError) return new UpstreamError(`The identity provider refused the authorization code (${error.error.slice(0, 64)})`, { cause: error });
  // openid-client's own message is generic ("unexpected JWT claim value encountered"); its cause names the check.
  const detail = error instanceof client.ClientError && error.cause instanceof Error ? error.cause.message : (error as Error).message;
  return new UpstreamError(`The identity provider's answer did not verify: ${detail}`, { cause: error });
}

/**
 * Any OpenID Connect provider through openid-client: endpoints from discovery (stored when
 * the provider is saved) or given explicitly, PKCE S256 + nonce + state, the ID token
 * checked by verifyIdToken, and the userinfo (GET or POST) of the same subject.
 */
export const oidc: ProviderKind = {
  type: 'OIDC',
  secretKeys: ['client_secret'],
  async check(details, ctx) {
    const problems = problemsOf(details);
    if (problems.length > 0) return { problems, details };
    let discovered: Record<string, string> = {};
    if (!details.authorize_url || !details.token_url || !details.jwks_uri) {
      try {
        discovered = await discover(ctx, details.oidc_issuer!, details.client_id!);
      } catch (error) {
        problems.push(`oidc_issuer: OpenID discovery failed (${(error as Error).message})`);
      }
    }
    const stored = { attributes_request_method: 'GET', attributes_url_add_attributes: 'false', ...discovered, ...details };
    if (problems.length === 0) problems.push(...missing(stored, ['authorize_url', 'token_url', 'jwks_uri']).map((p) => `${p} (not found by discovery)`));
    return { problems, details: stored };
  },
  issuer: (details) => details.oidc_issuer ?? '',
  create(setup, ctx) {
    const details = setup.details;
    const issuer = details.oidc_issuer ?? '';
    const clientId = details.client_id ?? '';
    const metadata: client.ServerMetadata = {
      issuer,
      authorization_endpoint: details.authorize_url,
      token_endpoint: details.token_url,
      userinfo_endpoint: details.attributes_url,
      jwks_uri: details.jwks_uri,
      // openid-client checks the algorithm too; verifyIdToken holds the real allow-list.
      id_token_signing_alg_values_supported: ASYMMETRIC_ALGORITHMS,
    };
    const config = new client.Configuration(metadata, clientId, {
      client_secret: details.client_secret,
      // openid-client checks the ID token's times on its own clock: align it with the injected one.
      [client.clockSkew]: Math.round((ctx.now() - Date.now()) / 1000),
      [client.clockTolerance]: CLOCK_SKEW_SECONDS,
    }, clientAuth(details));
    config[client.customFetch] = customFetch(ctx);
    // Every URL passed the upstream rule when saved, and upstreamFetch applies it again per call.
    if (anyHttp([issuer, details.authorize_url, details.token_url, details.attributes_url, details.jwks_uri])) client.allowInsecureRequests(config);
    return {
      async authorize({ state, nonce, loginHint }) {
        const codeVerifier = randomToken(ctx);
        const url = client.buildAuthorizationUrl(config, {
          redirect_uri: setup.redirectUri, scope: scopesOf(details.authorize_scopes).join(' '), state, nonce,
          code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
          ...(loginHint ? { login_hint: loginHint } : {}),
        });
        return { url: url.href, kept: { codeVerifier } };
      },
      async callback(kept, params) {
        if (!kept) throw new UpstreamError('This OpenID provider\'s sign-ins must start at Cognate');
        const callbackUrl = new URL(setup.redirectUri);
        for (const [name, value] of params) callbackUrl.searchParams.append(name, value);
        try {
          const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
            pkceCodeVerifier: kept.codeVerifier, expectedNonce: kept.nonce, expectedState: params.get('state') ?? undefined, idTokenExpected: true,
          });
          const claims = await verifyIdToken(tokens.id_token ?? '', { issuer, audience: clientId, keys: upstreamKeys(ctx, details.jwks_uri ?? ''), nonce: kept.nonce, now: ctx.now() });
          const userinfo = details.attributes_url ? await fetchUserinfo(config, details, tokens.access_token) : { sub: claims.sub };
          if (userinfo.sub !== claims.sub) throw new UpstreamError('The identity provider\'s userinfo is about another user than its ID token');
          return { issuer, subject: claims.sub, claims: { ...userinfo, ...claims } };
        } catch (error) {
          throw upstreamError(error);
        }
      },
    };
  },
};

async function fetchUserinfo(config: client.Configuration, details: Record<string, string>, accessToken: string): Promise<Record<string, unknown>> {
  const method = details.attributes_request_method === 'POST' ? 'POST' : 'GET';
  const body = method === 'POST' ? new URLSearchParams() : undefined;
  const headers = new Headers({ accept: 'application/json', ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) });
  const response = await client.fetchProtectedResource(config, accessToken, new URL(details.attributes_url!), method, body, headers);
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok || typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UpstreamError(`The identity provider's userinfo answered HTTP ${response.status} without a JSON object`);
  }
  return data as Record<string, unknown>;
}
