import {
  ConfirmSignUpCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { Browser, hiddenFields } from './support/browser.js';
import { startTestWorker, type TestWorker } from './support/worker.js';

const CALLBACK = 'http://127.0.0.1:9/callback';
const API = 'https://api.example.com';
const PASSWORD = 'Correct-Horse-9';
const insecure = { execute: [oidc.allowInsecureRequests] };
const oauthError = (code: string) => (error: unknown) => {
  assert.ok(error instanceof oidc.ResponseBodyError, `expected an OAuth error response, got ${String(error)}`);
  assert.equal(error.error, code);
  return true;
};

describe('OAuth 2.0 and OpenID Connect on the real Worker entry in workerd (openid-client)', { timeout: 120_000 }, () => {
  let cognate: TestWorker;
  let poolId: string;
  let issuer: string;
  let spaId: string;
  let machine: { id: string; secret: string };

  before(async () => {
    cognate = await startTestWorker();
    const { UserPool } = await cognate.admin.send(new CreateUserPoolCommand({ PoolName: 'worker-oauth', AutoVerifiedAttributes: ['email'] }));
    poolId = UserPool!.Id!;
    issuer = `${cognate.url}/${poolId}`;
    const { UserPoolClient: spa } = await cognate.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId, ClientName: 'spa', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    spaId = spa!.ClientId!;

    // The user signs up through the public API and confirms with the code the webhook received.
    await cognate.app.send(
      new SignUpCommand({ ClientId: spaId, Username: 'wren', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'wren@example.com' }] }),
    );
    const { code } = cognate.inbox.last('wren@example.com');
    await cognate.app.send(new ConfirmSignUpCommand({ ClientId: spaId, Username: 'wren', ConfirmationCode: code }));

    await cognate.admin.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId, Identifier: API, Name: 'api',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }, { ScopeName: 'write', ScopeDescription: 'write' }],
      }),
    );
    const { UserPoolClient: m } = await cognate.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId, ClientName: 'machine', GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: [`${API}/read`],
      }),
    );
    machine = { id: m!.ClientId!, secret: m!.ClientSecret! };
  });

  after(async () => {
    await cognate?.close();
  });

  const spaConfig = () => oidc.discovery(new URL(issuer), spaId, undefined, oidc.None(), insecure);

  /** An authorization request with PKCE (S256), nonce and state, answered through the hosted sign-in form. */
  async function signInForCode(config: oidc.Configuration) {
    const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
    const expectedNonce = oidc.randomNonce();
    const expectedState = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256', nonce: expectedNonce, state: expectedState,
    });
    const browser = new Browser();
    const page = await browser.get(url.href);
    assert.equal(page.status, 200, 'the authorization endpoint shows the sign-in form');
    const fields = hiddenFields(await page.text());
    assert.ok(fields._csrf && fields.request, 'the form carries the CSRF token and the authorization request');
    assert.ok(browser.cookies.has('cognate_csrf'), 'the CSRF cookie was set');
    const answer = await browser.post(`${cognate.url}/${poolId}/login`, { ...fields, username: 'wren', password: PASSWORD });
    assert.equal(answer.status, 302, `the form is accepted (${answer.status} ${answer.status === 302 ? '' : await answer.text()})`);
    assert.ok(browser.cookies.has('cognate_sso'), 'the SSO session cookie was set');
    const callback = new URL(answer.headers.get('location')!);
    assert.equal(callback.origin + callback.pathname, CALLBACK);
    assert.ok(callback.searchParams.get('code'));
    assert.equal(callback.searchParams.get('state'), expectedState);
    assert.equal(callback.searchParams.get('iss'), issuer);
    return { callback, checks: { pkceCodeVerifier, expectedNonce, expectedState } };
  }

  it('discovers the pool, signs in through the hosted form and exchanges the code with PKCE; userInfo and refresh work', async () => {
    const config = await spaConfig();
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, issuer);
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'revocation_endpoint'] as const) {
      assert.ok(metadata[endpoint]?.startsWith(`${issuer}/`), `${endpoint} is on the issuer: ${metadata[endpoint]}`);
    }

    const { callback, checks } = await signInForCode(config);
    // openid-client checks the ID token's signature (discovered JWKS), issuer, audience, nonce and the iss parameter.
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    const claims = tokens.claims()!;
    assert.equal(claims.iss, issuer);
    assert.equal(claims.aud, spaId);
    assert.equal(claims.nonce, checks.expectedNonce);
    assert.equal(claims['cognito:username'], 'wren');
    assert.equal(claims.email, 'wren@example.com');
    assert.equal(claims.token_use, 'id');
    assert.ok(tokens.refresh_token, 'ALLOW_REFRESH_TOKEN_AUTH yields a refresh token');
    const access = decodeJwt(tokens.access_token);
    assert.equal(access.token_use, 'access');
    assert.equal(access.client_id, spaId);
    assert.equal(access.scope, 'openid email');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.sub, claims.sub);
    assert.equal(info.email, 'wren@example.com');

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.equal(refreshed.claims()?.sub, claims.sub);
    assert.equal(refreshed.claims()?.auth_time, claims.auth_time, 'a refresh keeps the original auth_time');
    assert.ok(refreshed.access_token);

    // RFC 7009 revocation ends the refresh token family on D1.
    const latest = refreshed.refresh_token ?? tokens.refresh_token!;
    await oidc.tokenRevocation(config, latest, { token_type_hint: 'refresh_token' });
    await assert.rejects(oidc.refreshTokenGrant(config, latest), oauthError('invalid_grant'));
  });

  it('client_credentials issues an access token with the granted custom scope, verifiable against the discovered JWKS', async () => {
    const config = await oidc.discovery(new URL(issuer), machine.id, machine.secret, undefined, insecure);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: `${API}/read` });
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer, algorithms: ['RS256'] });
    assert.ok(protectedHeader.kid);
    assert.equal(payload.token_use, 'access');
    assert.equal(payload.client_id, machine.id);
    assert.equal(payload.sub, machine.id);
    assert.equal(payload.scope, `${API}/read`);
    assert.equal(tokens.refresh_token, undefined);
    assert.equal(tokens.id_token, undefined);
    await assert.rejects(oidc.clientCredentialsGrant(config, { scope: `${API}/write` }), oauthError('invalid_scope'));
    const wrongSecret = await oidc.discovery(new URL(issuer), machine.id, 'not-the-secret', undefined, insecure);
    await assert.rejects(oidc.clientCredentialsGrant(wrongSecret), oauthError('invalid_client'));
  });

  it('a replayed code is refused with invalid_grant and revokes what its first use issued', async () => {
    const config = await spaConfig();
    const { callback, checks } = await signInForCode(config);
    const first = await oidc.authorizationCodeGrant(config, callback, checks);
    await assert.rejects(oidc.authorizationCodeGrant(config, callback, checks), oauthError('invalid_grant'));
    await assert.rejects(oidc.fetchUserInfo(config, first.access_token, oidc.skipSubjectCheck), (error: unknown) => {
      assert.ok(error instanceof oidc.WWWAuthenticateChallengeError, String(error));
      assert.equal(error.status, 401);
      return true;
    });
    await assert.rejects(oidc.refreshTokenGrant(config, first.refresh_token!), oauthError('invalid_grant'));
  });

  it('concurrent redemptions of one code: exactly one wins the D1 compare-and-set', async () => {
    const config = await spaConfig();
    const { callback, checks } = await signInForCode(config);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => oidc.authorizationCodeGrant(config, callback, checks)));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1, `one redemption succeeds: ${results.map((r) => r.status).join(', ')}`);
    for (const lost of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) oauthError('invalid_grant')(lost.reason);
  });
});
