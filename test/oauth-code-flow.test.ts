import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { Browser, hiddenFields } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { signUpConfirmed } from './support/users.js';

const CALLBACK = 'http://127.0.0.1:9/callback';
const LOGOUT = 'http://127.0.0.1:9/signed-out';
const insecure = { execute: [oidc.allowInsecureRequests] };

describe('authorization code flow with PKCE, hosted sign-in and RP-initiated logout (openid-client)', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let clientId: string;
  let issuer: string;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
    await signUpConfirmed(cognate, pool, 'wanda');
    const { UserPoolClient } = await cognate.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId, ClientName: 'spa', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [CALLBACK], LogoutURLs: [LOGOUT],
        SupportedIdentityProviders: ['COGNITO'], ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = UserPoolClient!.ClientId!;
    issuer = `${cognate.url}/${pool.poolId}`;
  });
  after(() => cognate.close());

  async function start(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256', nonce, state, ...extra,
    });
    return { url, verifier, nonce, state };
  }

  async function signInThroughForm(browser: Browser, url: URL, username = 'wanda', password = PASSWORD) {
    const page = await browser.get(url.href);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    const fields = hiddenFields(await page.text());
    return browser.post(`${issuer.replace(/\/[^/]+$/, '')}/${pool.poolId}/login`, { ...fields, username, password });
  }

  it('signs in, exchanges the code with PKCE and validates the ID token and nonce', async () => {
    const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), insecure);
    assert.equal(config.serverMetadata().authorization_endpoint, `${issuer}/oauth2/authorize`);
    const { url, verifier, nonce, state } = await start(config);
    const browser = new Browser();
    const answer = await signInThroughForm(browser, url);
    assert.equal(answer.status, 302);
    const location = new URL(answer.headers.get('location')!);
    assert.equal(location.origin + location.pathname, CALLBACK);
    assert.equal(location.searchParams.get('iss'), issuer);
    const tokens = await oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
    const claims = tokens.claims()!;
    assert.equal(claims['cognito:username'], 'wanda');
    assert.equal(claims.aud, clientId);
    assert.equal(claims.nonce, nonce);
    assert.ok(tokens.refresh_token);
    assert.equal(tokens.scope ?? 'openid email', 'openid email');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.email, 'wanda@example.com');
    assert.equal(info.name, undefined, 'profile was not requested');
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.equal(refreshed.claims()?.sub, claims.sub);

    // Single sign-on: the next request with the same browser needs no password.
    const second = await start(config);
    const sso = await browser.get(second.url.href);
    assert.equal(sso.status, 302);
    const ssoTokens = await oidc.authorizationCodeGrant(config, new URL(sso.headers.get('location')!), { pkceCodeVerifier: second.verifier, expectedNonce: second.nonce, expectedState: second.state });
    assert.equal(ssoTokens.claims()?.auth_time, claims.auth_time, 'auth_time is the original sign-in');

    // prompt=login forces the form even with a session.
    const forced = await start(config, { prompt: 'login' });
    assert.equal((await browser.get(forced.url.href)).status, 200);

    // RP-initiated logout with id_token_hint, post_logout_redirect_uri and state.
    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: LOGOUT, state: 'bye' });
    const loggedOut = await browser.get(logoutUrl.href);
    assert.equal(loggedOut.status, 302);
    assert.equal(loggedOut.headers.get('location'), `${LOGOUT}?state=bye`);
    const afterLogout = await start(config);
    assert.equal((await browser.get(afterLogout.url.href)).status, 200, 'the session is gone');
  });

  it('prompt=none without a session answers login_required to the client', async () => {
    const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), insecure);
    const { url, state } = await start(config, { prompt: 'none' });
    const response = await new Browser().get(url.href);
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'login_required');
    assert.equal(location.searchParams.get('state'), state);
  });

  it('shows a generic message for a wrong password and stays on the form', async () => {
    const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), insecure);
    const { url } = await start(config);
    const browser = new Browser();
    const wrong = await signInThroughForm(browser, url, 'wanda', 'Wrong-Password-1');
    assert.equal(wrong.status, 400);
    const html = await wrong.text();
    assert.match(html, /Incorrect username or password\./);
    assert.match(html, /aria-describedby="form-error"/);
    const unknown = await signInThroughForm(browser, url, 'nobody-at-all', 'Wrong-Password-1');
    assert.match(await unknown.text(), /Incorrect username or password\./);
  });

  it('speaks German when ui_locales asks for it', async () => {
    const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), insecure);
    const { url } = await start(config, { ui_locales: 'de' });
    const html = await (await new Browser().get(url.href)).text();
    assert.match(html, /<html lang="de">/);
    assert.match(html, /Anmelden/);
  });
});
