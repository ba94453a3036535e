import {
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Browser, hiddenFields } from './browser.js';
import { EMAIL_CLAIM, type TestSamlIdp } from './saml-idp.js';

export const CALLBACK = 'http://127.0.0.1:9/callback';
export const LOGGED_OUT = 'http://127.0.0.1:9/signed-out';
export const PROVIDER = 'Corp';

/** A running Cognate: the Node server or the Worker, reached over HTTP and the admin SDK client. */
export interface Cognate {
  url: string;
  admin: CognitoIdentityProviderClient;
}

export interface SamlPool {
  cognate: Cognate;
  idp: TestSamlIdp;
  poolId: string;
  issuer: string;
  /** A public client (PKCE) whose only provider is the SAML one. */
  spa: string;
  /** A client with a secret, for IdP-initiated sign-in. */
  portal: { id: string; secret: string };
}

/**
 * A pool (with `custom:groups` for a multi-valued attribute) and the test IdP as SAML provider
 * `Corp`, attributes mapped by their SAML names; the IdP trusts the pool from its SP metadata.
 */
export async function samlPool(cognate: Cognate, idp: TestSamlIdp, details: Record<string, string> = {}): Promise<SamlPool> {
  const { UserPool } = await cognate.admin.send(new CreateUserPoolCommand({
    PoolName: 'saml', Schema: [{ Name: 'groups', AttributeDataType: 'String', Mutable: true }],
  }));
  const poolId = UserPool!.Id!;
  await cognate.admin.send(new CreateIdentityProviderCommand({
    UserPoolId: poolId, ProviderName: PROVIDER, ProviderType: 'SAML', ProviderDetails: { MetadataURL: idp.metadataUrl, ...details },
    AttributeMapping: { email: EMAIL_CLAIM, name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'custom:groups': 'groups' },
  }));
  const client = async (name: string, secret: boolean) => (await cognate.admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: name, GenerateSecret: secret, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [CALLBACK], LogoutURLs: [LOGGED_OUT], SupportedIdentityProviders: [PROVIDER],
  }))).UserPoolClient!;
  const spa = await client('spa', false);
  const portal = await client('portal', true);
  const issuer = `${cognate.url}/${poolId}`;
  await idp.trust(`${issuer}/saml2/metadata`, details.EncryptedResponses === 'true');
  return { cognate, idp, poolId, issuer, spa: spa.ClientId!, portal: { id: portal.ClientId!, secret: portal.ClientSecret! } };
}

export interface Started {
  browser: Browser;
  verifier: string;
  state: string;
  /** Where Cognate sent the browser: the IdP's SSO endpoint with the AuthnRequest. */
  idpUrl: URL;
}

/** `/oauth2/authorize?identity_provider=Corp` with PKCE: the redirect to the IdP. */
export async function startSignIn(pool: SamlPool, browser = new Browser()): Promise<Started> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    client_id: pool.spa, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid email profile', state,
    identity_provider: PROVIDER, code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  });
  const answer = await browser.get(`${pool.issuer}/oauth2/authorize?${query}`);
  assert.equal(answer.status, 302, await answer.text());
  const idpUrl = new URL(answer.headers.get('location')!);
  return { browser, verifier, state, idpUrl };
}

/** The IdP signs the user in and answers with its POST form's fields (SAMLResponse, RelayState). */
export async function idpForm(started: Started): Promise<Record<string, string>> {
  const page = await started.browser.get(started.idpUrl.href);
  assert.equal(page.status, 200, await page.clone().text());
  return hiddenFields(await page.text());
}

export async function postToAcs(pool: SamlPool, browser: Browser, fields: Record<string, string>): Promise<Response> {
  return browser.post(`${pool.issuer}/saml2/idpresponse`, fields);
}

/** The whole SP-initiated flow up to the redirect back to the client. */
export async function signInThroughIdp(pool: SamlPool, browser = new Browser()): Promise<{ started: Started; callback: URL }> {
  const started = await startSignIn(pool, browser);
  const answer = await postToAcs(pool, browser, await idpForm(started));
  assert.equal(answer.status, 302, await answer.text());
  return { started, callback: new URL(answer.headers.get('location')!) };
}

/** The code grant at the token endpoint: with the PKCE verifier, or with the client's secret. */
export async function redeem(pool: SamlPool, code: string, proof: { verifier: string } | { secret: string }): Promise<{ idToken: Record<string, unknown>; accessToken: string }> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if ('verifier' in proof) {
    form.set('client_id', pool.spa);
    form.set('code_verifier', proof.verifier);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${pool.portal.id}:${proof.secret}`).toString('base64')}`;
  }
  const response = await fetch(`${pool.issuer}/oauth2/token`, { method: 'POST', headers, body: form });
  const body = (await response.json()) as Record<string, string>;
  assert.equal(response.status, 200, JSON.stringify(body));
  return { idToken: decodeJwt(body.id_token!) as Record<string, unknown>, accessToken: body.access_token! };
}

/** An error the ACS sent back to the client: its redirect's error_description. */
export function refusal(answer: Response): string {
  assert.equal(answer.status, 302, `expected a redirect to the client, got ${answer.status}`);
  const location = new URL(answer.headers.get('location')!);
  assert.equal(location.origin + location.pathname, CALLBACK);
  assert.equal(location.searchParams.get('code'), null, 'no code for a refused response');
  return location.searchParams.get('error_description') ?? '';
}

export async function usernames(pool: SamlPool): Promise<string[]> {
  const { Users } = await pool.cognate.admin.send(new ListUsersCommand({ UserPoolId: pool.poolId }));
  return (Users ?? []).map((u) => u.Username!).sort();
}

/** RelayState of an IdP-initiated sign-in: the authorization request, Cognito-style. */
export function unsolicitedRelayState(pool: SamlPool, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ client_id: pool.portal.id, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid email', identity_provider: PROVIDER, ...extra }).toString();
}
