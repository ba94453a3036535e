import { CodeChallengeMethod, OAuth2Client, OAuth2Tokens } from 'arctic';
import { base64url } from 'jose';
import { UpstreamError } from '../src/errors.js';
import type { ProviderContext, UpstreamRequest } from './types.js';
import { upstreamFetch } from './upstream-url.js';

/** What one OAuth 2.0 upstream needs; the shared code below does the rest. */
export interface OAuth2Options {
  clientId: string;
  /** Sent in the token request body (every social upstream accepts client_secret_post); Apple's is a fresh JWT. */
  clientSecret?: () => Promise<string>;
  redirectUri: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Facebook's token endpoint is documented as GET; the others take POST. */
  tokenRequestMethod?: string;
  scopes: string[];
  /** PKCE (S256) where the upstream supports it. */
  pkce: boolean;
}

/** `authorize_scopes`: space-separated in Cognito, comma-separated for Facebook. */
export const scopesOf = (value: string | undefined): string[] => (value ?? '').split(/[\s,]+/).filter(Boolean);

/** The OAuth 2.0 client a provider's stored details describe; the stored client_secret unless `overrides` says otherwise. */
export function oauth2Options(
  redirectUri: string, details: Record<string, string | undefined> & { authorize_url: string; token_url: string }, overrides: Partial<OAuth2Options> & { pkce: boolean },
): OAuth2Options {
  return {
    clientId: details.client_id ?? '',
    clientSecret: async () => details.client_secret ?? '',
    redirectUri,
    authorizeUrl: details.authorize_url,
    tokenUrl: details.token_url,
    scopes: scopesOf(details.authorize_scopes),
    ...overrides,
  };
}

export const randomToken = (ctx: ProviderContext): string => base64url.encode(ctx.randomBytes(32));

/** The upstream authorization URL with state (and PKCE); `kept.codeVerifier` waits for the callback. */
export function authorizationRequest(ctx: ProviderContext, options: OAuth2Options, state: string, extra: Record<string, string | undefined> = {}): UpstreamRequest {
  const client = new OAuth2Client(options.clientId, null, options.redirectUri);
  const codeVerifier = options.pkce ? randomToken(ctx) : undefined;
  const url = codeVerifier
    ? client.createAuthorizationURLWithPKCE(options.authorizeUrl, state, CodeChallengeMethod.S256, codeVerifier, options.scopes)
    : client.createAuthorizationURL(options.authorizeUrl, state, options.scopes);
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) url.searchParams.set(name, value);
  return { url: url.href, kept: codeVerifier ? { codeVerifier } : {} };
}

async function upstreamJson(response: Response, what: string): Promise<Record<string, unknown>> {
  const data: unknown = await response.json().catch(() => undefined);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UpstreamError(`The identity provider's ${what} is not a JSON object (HTTP ${response.status})`);
  return data as Record<string, unknown>;
}

/**
 * The callback's code exchanged at the token endpoint. Sent through the context's fetch
 * (arctic's own exchange uses the global fetch and HTTP Basic only); the answer is read with
 * arctic's OAuth2Tokens. Refusals become UpstreamError.
 */
export async function exchangeCode(ctx: ProviderContext, options: OAuth2Options, params: URLSearchParams, kept: Record<string, string>): Promise<OAuth2Tokens> {
  const code = params.get('code');
  if (!code) throw new UpstreamError('The identity provider sent no authorization code');
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, client_id: options.clientId });
  if (options.clientSecret) body.set('client_secret', await options.clientSecret());
  if (kept.codeVerifier) body.set('code_verifier', kept.codeVerifier);
  const headers = { accept: 'application/json', 'user-agent': 'cognate' };
  const fetchUpstream = upstreamFetch(ctx);
  const response = await (options.tokenRequestMethod === 'GET'
    ? fetchUpstream(`${options.tokenUrl}${options.tokenUrl.includes('?') ? '&' : '?'}${body}`, { headers, redirect: 'manual' })
    : fetchUpstream(options.tokenUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' })
  ).catch((error: unknown) => {
    throw error instanceof UpstreamError ? error : new UpstreamError('The identity provider\'s token endpoint could not be reached', { cause: error });
  });
  const data = await upstreamJson(response, 'token response');
  if (!response.ok || typeof data.error === 'string') {
    const error = typeof data.error === 'string' ? data.error.slice(0, 64) : `HTTP ${response.status}`;
    throw new UpstreamError(`The identity provider refused the authorization code (${error})`);
  }
  if (typeof data.access_token !== 'string') throw new UpstreamError('The identity provider\'s token response has no access_token');
  return new OAuth2Tokens(data);
}

/** The ID token of a token response, required for the OIDC-based upstreams. */
export function idTokenOf(tokens: OAuth2Tokens): string {
  try {
    return tokens.idToken();
  } catch {
    throw new UpstreamError('The identity provider\'s token response has no id_token');
  }
}

/** A JSON profile (userinfo, Graph API, Amazon profile) read with the access token. */
export async function fetchProfile(ctx: ProviderContext, url: string, accessToken: string, method = 'GET'): Promise<Record<string, unknown>> {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }, redirect: 'manual' };
  if (method === 'POST') init.body = new URLSearchParams();
  const response = await upstreamFetch(ctx)(url, init).catch((error: unknown) => {
    throw error instanceof UpstreamError ? error : new UpstreamError('The identity provider\'s profile endpoint could not be reached', { cause: error });
  });
  const data = await upstreamJson(response, 'profile');
  if (!response.ok) throw new UpstreamError(`The identity provider refused the profile request (HTTP ${response.status})`);
  return data;
}

/** An upstream-asserted flag, written as a boolean or as the strings "true"/"false" (Apple does both). */
export const flag = (value: unknown): boolean | undefined => (value === true || value === 'true' ? true : value === false || value === 'false' ? false : undefined);

/** ProviderDetails keys that must be present and non-empty. */
export function missing(details: Record<string, string>, keys: string[]): string[] {
  return keys.filter((key) => !details[key]?.trim()).map((key) => `${key} is required`);
}
