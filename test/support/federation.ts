import {
  CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  type CreateIdentityProviderCommandInput,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { hiddenFields, type Browser } from './browser.js';

export const CALLBACK = 'http://127.0.0.1:9/callback';
const insecure = { execute: [oidc.allowInsecureRequests] };

/** A pool whose app client signs in through upstream providers, as an app would use it (code flow + PKCE). */
export interface FederatedApp {
  admin: CognitoIdentityProviderClient;
  poolId: string;
  clientId: string;
  issuer: string;
  config: oidc.Configuration;
}

export type ProviderInput = Omit<CreateIdentityProviderCommandInput, 'UserPoolId'>;

/**
 * Creates the pool, its providers (given the redirect URI they must register upstream), and
 * a public client allowed to use them and COGNITO.
 */
export async function federatedApp(
  base: { url: string; admin: CognitoIdentityProviderClient },
  providersFor: (idpResponseUrl: string) => ProviderInput[] | Promise<ProviderInput[]>,
): Promise<FederatedApp> {
  const { UserPool } = await base.admin.send(new CreateUserPoolCommand({ PoolName: 'federation' }));
  const poolId = UserPool!.Id!;
  const providers = await providersFor(`${base.url}/${poolId}/oauth2/idpresponse`);
  for (const provider of providers) await base.admin.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ...provider }));
  const { UserPoolClient } = await base.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'app', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO', ...providers.map((p) => p.ProviderName!)],
    }),
  );
  const clientId = UserPoolClient!.ClientId!;
  const issuer = `${base.url}/${poolId}`;
  const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), insecure);
  return { admin: base.admin, poolId, clientId, issuer, config };
}

/** An authorization request at Cognate (PKCE, nonce, state); the answer should send the browser upstream. */
export async function startSignIn(app: FederatedApp, browser: Browser, extra: Record<string, string>) {
  const checks = { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedNonce: oidc.randomNonce(), expectedState: oidc.randomState() };
  const url = oidc.buildAuthorizationUrl(app.config, {
    redirect_uri: CALLBACK, scope: 'openid email profile', code_challenge: await oidc.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
    code_challenge_method: 'S256', nonce: checks.expectedNonce, state: checks.expectedState, ...extra,
  });
  const response = await browser.get(url.href);
  return { response, checks };
}

/**
 * Goes where the browser is sent until it reaches the app's callback: redirects on any host,
 * and auto-submitted forms (Apple's form_post) posted as a browser would.
 */
export async function follow(browser: Browser, first: Response, limit = 10): Promise<Response> {
  let response = first;
  for (let hop = 0; hop < limit; hop++) {
    const location = response.headers.get('location');
    if (location?.startsWith(CALLBACK)) return response;
    if (location && response.status >= 300 && response.status < 400) {
      response = await browser.get(new URL(location, response.url).href);
      continue;
    }
    const html = response.status === 200 && (response.headers.get('content-type') ?? '').includes('text/html') ? await response.text() : '';
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) return response;
    response = await browser.post(action.replace(/&amp;/g, '&'), hiddenFields(html));
  }
  throw new Error('too many hops');
}

/** The app's callback after a full trip through the upstream. */
export async function signInThrough(app: FederatedApp, browser: Browser, extra: Record<string, string>) {
  const { response, checks } = await startSignIn(app, browser, extra);
  assert.equal(response.status, 302, `Cognate sends the browser upstream (${response.status} ${response.status === 302 ? '' : await response.text()})`);
  const callback = await follow(browser, response);
  assert.equal(callback.status, 302, `the sign-in comes back to the app (${callback.status})`);
  return { callback: new URL(callback.headers.get('location')!), checks };
}

/** Tokens for a callback carrying a code, checked by openid-client as an app would. */
export async function redeem(app: FederatedApp, callback: URL, checks: Awaited<ReturnType<typeof startSignIn>>['checks']) {
  assert.equal(callback.searchParams.get('error'), null, `no error: ${callback.searchParams.get('error_description')}`);
  return oidc.authorizationCodeGrant(app.config, callback, checks);
}

export async function users(app: FederatedApp): Promise<UserType[]> {
  return (await app.admin.send(new ListUsersCommand({ UserPoolId: app.poolId }))).Users ?? [];
}
