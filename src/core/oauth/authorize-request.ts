import { OAuthError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';

export type ResponseType = 'code' | 'token';
export type Prompt = 'none' | 'login' | 'consent' | 'select_account';

/** A validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636). */
export interface AuthorizeRequest {
  client: ClientRecord;
  redirectUri: string;
  responseType: ResponseType;
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  prompts: Set<Prompt>;
  maxAgeSeconds?: number;
  loginHint?: string;
  uiLocales?: string;
  identityProvider?: string;
}

/** Before the client and redirect URI are known good, errors are shown, never redirected. */
export class AuthorizePageError extends OAuthError {}

/** After that, errors go back to the client's redirect URI with its state. */
export class AuthorizeRedirectError extends OAuthError {
  constructor(
    error: string,
    description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly responseType: ResponseType,
  ) {
    super(error, description);
  }
}

const PROMPTS: readonly Prompt[] = ['none', 'login', 'consent', 'select_account'];
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new AuthorizePageError('invalid_request', `Parameter ${name} is repeated`);
  return values[0] === '' ? undefined : values[0];
}

/** The checks of `/oauth2/authorize`, in order; read top to bottom. */
export async function parseAuthorizeRequest(core: Core, pool: PoolRecord, params: URLSearchParams): Promise<AuthorizeRequest> {
  const clientId = single(params, 'client_id');
  if (!clientId) throw new AuthorizePageError('invalid_request', 'client_id is required');
  const client = await core.store.clients.get(pool.id, clientId);
  if (!client) throw new AuthorizePageError('invalid_client', 'Unknown client');

  // Exact string match only: no wildcards, no normalisation of case, port, path or query.
  const redirectUri = single(params, 'redirect_uri');
  const callbacks = (client.config.CallbackURLs as string[] | undefined) ?? [];
  if (!redirectUri || !callbacks.includes(redirectUri)) throw new AuthorizePageError('invalid_request', 'redirect_uri is not registered for this client');

  const rawType = single(params, 'response_type');
  const responseType: ResponseType = rawType === 'token' ? 'token' : 'code';
  const state = single(params, 'state');
  const fail = (error: string, description: string): never => {
    throw new AuthorizeRedirectError(error, description, redirectUri, state, responseType);
  };

  const flows = client.config.AllowedOAuthFlowsUserPoolClient === true ? ((client.config.AllowedOAuthFlows as string[] | undefined) ?? []) : [];
  if (rawType !== 'code' && rawType !== 'token') fail('unsupported_response_type', 'response_type must be code or token');
  if (!flows.includes(responseType === 'code' ? 'code' : 'implicit')) fail('unauthorized_client', `This client may not use response_type ${responseType}`);

  const allowedScopes = (client.config.AllowedOAuthScopes as string[] | undefined) ?? [];
  const requested = single(params, 'scope');
  const scopes = requested === undefined ? allowedScopes : [...new Set(requested.split(' ').filter(Boolean))];
  if (scopes.some((s) => !allowedScopes.includes(s))) fail('invalid_scope', 'A requested scope is not allowed for this client');

  const method = single(params, 'code_challenge_method');
  const codeChallenge = single(params, 'code_challenge');
  if (codeChallenge !== undefined || method !== undefined) {
    if ((method ?? 'plain') !== 'S256') fail('invalid_request', 'code_challenge_method must be S256');
    if (!codeChallenge || !CODE_CHALLENGE.test(codeChallenge)) fail('invalid_request', 'code_challenge must be a base64url SHA-256');
  }
  if (responseType === 'code' && !client.secretEnc && !codeChallenge) fail('invalid_request', 'PKCE (code_challenge with S256) is required for public clients');

  const nonce = single(params, 'nonce');
  if (responseType === 'token' && scopes.includes('openid') && !nonce) fail('invalid_request', 'nonce is required for the implicit flow');

  const prompts = new Set((single(params, 'prompt') ?? '').split(' ').filter(Boolean) as Prompt[]);
  if ([...prompts].some((p) => !PROMPTS.includes(p))) fail('invalid_request', 'Unknown prompt value');
  if (prompts.has('none') && prompts.size > 1) fail('invalid_request', 'prompt=none cannot be combined with other values');

  const maxAge = single(params, 'max_age');
  if (maxAge !== undefined && !/^\d{1,10}$/.test(maxAge)) fail('invalid_request', 'max_age must be a number of seconds');

  const supported = (client.config.SupportedIdentityProviders as string[] | undefined) ?? [];
  if (supported.length === 0) fail('unauthorized_client', 'This client has no identity provider enabled');
  const identityProvider = await chosenProvider(core, pool, supported, single(params, 'identity_provider'), single(params, 'idp_identifier'));
  if (identityProvider === null) fail('invalid_request', 'identity_provider / idp_identifier names no provider enabled for this client');

  return {
    client,
    redirectUri,
    responseType,
    scopes,
    state,
    nonce,
    codeChallenge,
    prompts,
    maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
    loginHint: single(params, 'login_hint'),
    uiLocales: single(params, 'ui_locales'),
    identityProvider: identityProvider ?? undefined,
  };
}

/**
 * The provider a request names: `identity_provider` by name, or `idp_identifier` by one of
 * a provider's IdpIdentifiers or, given an email address, by its domain. A client whose
 * only provider is external goes straight to it. `null`: named but not enabled here.
 */
async function chosenProvider(
  core: Core, pool: PoolRecord, supported: string[], name: string | undefined, identifier: string | undefined,
): Promise<string | null | undefined> {
  if (name !== undefined) return supported.includes(name) ? name : null;
  if (identifier !== undefined) {
    const wanted = identifier.toLowerCase();
    const domain = wanted.includes('@') ? wanted.slice(wanted.lastIndexOf('@') + 1) : undefined;
    const providers = await core.store.identityProviders.all(pool.id);
    const match = providers.find((p) => p.idpIdentifiers.some((id) => id.toLowerCase() === wanted || id.toLowerCase() === domain));
    return match && supported.includes(match.name) ? match.name : null;
  }
  if (supported.length === 1 && supported[0] !== 'COGNITO') return supported[0];
  return undefined;
}
