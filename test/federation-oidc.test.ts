import { AdminGetUserCommand, DescribeIdentityProviderCommand, UpdateIdentityProviderCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { federatedApp, redeem, signInThrough, startSignIn, users, type FederatedApp } from './support/federation.js';
import { startOidcUpstream, type OidcUpstream } from './support/oidc-upstream.js';

const attribute = (list: { Name?: string; Value?: string }[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;

describe('OpenID Connect federation against a real OpenID provider (oidc-provider on loopback)', () => {
  let cognate: TestCognate;
  let upstream: OidcUpstream;
  let app: FederatedApp;

  before(async () => {
    cognate = await startCognate();
    app = await federatedApp(cognate, async (redirectUri) => {
      upstream = await startOidcUpstream([redirectUri], {
        'ada-4711': { email: 'ada@example.org', email_verified: true, name: 'Ada Lovelace' },
        'unverified-1': { email: 'unverified@example.org', email_verified: false, name: 'Not Sure' },
      });
      return [{
        ProviderName: 'Upstream', ProviderType: 'OIDC', IdpIdentifiers: ['example.org'],
        ProviderDetails: { client_id: upstream.clientId, client_secret: upstream.clientSecret, oidc_issuer: upstream.issuer, authorize_scopes: 'openid email profile' },
        AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
      }];
    });
  });
  after(async () => {
    await cognate.close();
    await upstream.close();
  });

  it('stores the discovered endpoints and Cognito\'s defaults with the provider', async () => {
    const { IdentityProvider } = await cognate.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: app.poolId, ProviderName: 'Upstream' }));
    const details = IdentityProvider!.ProviderDetails!;
    assert.equal(details.authorize_url, `${upstream.issuer}/auth`);
    assert.equal(details.token_url, `${upstream.issuer}/token`);
    assert.equal(details.attributes_url, `${upstream.issuer}/me`);
    assert.equal(details.jwks_uri, `${upstream.issuer}/jwks`);
    assert.equal(details.attributes_request_method, 'GET');
    assert.equal(details.client_secret, upstream.clientSecret, 'Describe returns the secret, as Cognito does');
  });

  it('signs in through the upstream: PKCE, nonce and state upstream, then pool tokens with identities and mapped attributes', async () => {
    upstream.nextLogin = 'ada-4711';
    const browser = new Browser();
    const { callback, checks } = await signInThrough(app, browser, { identity_provider: 'Upstream' });
    assert.equal(callback.searchParams.get('state'), checks.expectedState);
    const tokens = await redeem(app, callback, checks);
    const claims = tokens.claims()!;
    assert.equal(claims['cognito:username'], 'Upstream_ada-4711');
    assert.equal(claims.email, 'ada@example.org');
    assert.equal(claims.email_verified, true, 'the upstream asserted the email verified');
    assert.equal(claims.nonce, checks.expectedNonce);
    const identities = claims.identities as { userId: string; providerName: string; providerType: string; issuer: string; primary: string }[];
    assert.deepEqual(identities.map(({ userId, providerName, providerType, issuer, primary }) => ({ userId, providerName, providerType, issuer, primary })), [
      { userId: 'ada-4711', providerName: 'Upstream', providerType: 'OIDC', issuer: upstream.issuer, primary: 'true' },
    ]);
    const user = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'Upstream_ada-4711' }));
    assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
    assert.equal(attribute(user.UserAttributes, 'name'), 'Ada Lovelace');
    const authorize = upstream.requests.find((r) => r.path === '/auth');
    assert.ok(authorize, 'the browser went to the upstream\'s authorization endpoint');
    assert.ok(upstream.requests.some((r) => r.path === '/me' && r.method === 'GET'), 'userinfo was read with GET');
  });

  it('a second sign-in updates a changed mapped attribute of the same user', async () => {
    upstream.accounts.set('ada-4711', { email: 'ada@example.org', email_verified: true, name: 'Augusta Ada King' });
    upstream.nextLogin = 'ada-4711';
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: 'Upstream' });
    assert.equal((await redeem(app, callback, checks)).claims()!['cognito:username'], 'Upstream_ada-4711');
    const user = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'Upstream_ada-4711' }));
    assert.equal(attribute(user.UserAttributes, 'name'), 'Augusta Ada King');
    assert.equal((await users(app)).filter((u) => u.Username === 'Upstream_ada-4711').length, 1);
  });

  it('an email the upstream does not assert verified stays unverified', async () => {
    upstream.nextLogin = 'unverified-1';
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: 'Upstream' });
    const claims = (await redeem(app, callback, checks)).claims()!;
    assert.equal(claims.email, 'unverified@example.org');
    assert.equal(claims.email_verified, false);
  });

  it('idp_identifier with an email address routes to the provider owning its domain', async () => {
    upstream.nextLogin = 'ada-4711';
    const browser = new Browser();
    const { response } = await startSignIn(app, browser, { idp_identifier: 'ada@Example.org' });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.origin + location.pathname, `${upstream.issuer}/auth`);
    assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(location.searchParams.get('nonce'));
    assert.equal(location.searchParams.get('redirect_uri'), `${app.issuer}/oauth2/idpresponse`);
    const unknown = await startSignIn(app, browser, { idp_identifier: 'someone@elsewhere.test' });
    assert.equal(new URL(unknown.response.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  });

  it('reads userinfo with POST when attributes_request_method says so', async () => {
    // The secret is left out: the stored one is kept.
    await cognate.admin.send(new UpdateIdentityProviderCommand({
      UserPoolId: app.poolId, ProviderName: 'Upstream',
      ProviderDetails: { client_id: upstream.clientId, oidc_issuer: upstream.issuer, authorize_scopes: 'openid email profile', attributes_request_method: 'POST' },
    }));
    upstream.requests.length = 0;
    upstream.nextLogin = 'ada-4711';
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: 'Upstream' });
    assert.equal((await redeem(app, callback, checks)).claims()!.email, 'ada@example.org');
    assert.deepEqual(upstream.requests.filter((r) => r.path === '/me').map((r) => r.method), ['POST']);
  });
});
