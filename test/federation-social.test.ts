import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { federatedApp, redeem, signInThrough, type FederatedApp, type ProviderInput } from './support/federation.js';
import { appleKey, UpstreamDouble, type AppleKey } from './support/social-doubles.js';

const attributes = async (app: FederatedApp, username: string) => {
  const user = await app.admin.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: username }));
  return { status: user.UserStatus, ...Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value!])) } as Record<string, string>;
};

describe('Google, Facebook, Sign in with Apple, Login with Amazon and an explicitly configured OIDC provider against local doubles', () => {
  let cognate: TestCognate;
  let app: FederatedApp;
  let apple: AppleKey;
  const google = new UpstreamDouble('Google', 'google-client.apps.example', 'google-secret');
  const facebook = new UpstreamDouble('Facebook', '1234567890', 'facebook-app-secret');
  const amazon = new UpstreamDouble('LoginWithAmazon', 'amzn1.application-oa2-client.abc', 'amazon-secret');
  const corp = new UpstreamDouble('OIDC', 'corp-client', 'corp-secret');
  let appleDouble: UpstreamDouble;

  before(async () => {
    cognate = await startCognate();
    apple = await appleKey();
    appleDouble = new UpstreamDouble('SignInWithApple', 'com.example.web', '', apple);
    await Promise.all([google.start(), facebook.start(), amazon.start(), appleDouble.start(), corp.start()]);
    app = await federatedApp(cognate, (): ProviderInput[] => [
      {
        ProviderName: 'Google', ProviderType: 'Google',
        ProviderDetails: { client_id: google.clientId, client_secret: google.clientSecret, authorize_scopes: 'openid email profile', ...google.endpoints },
        AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
      },
      {
        ProviderName: 'Facebook', ProviderType: 'Facebook',
        ProviderDetails: { client_id: facebook.clientId, client_secret: facebook.clientSecret, authorize_scopes: 'public_profile,email', api_version: 'v19.0', ...facebook.endpoints },
        AttributeMapping: { email: 'email', name: 'name', given_name: 'first_name' },
      },
      {
        ProviderName: 'SignInWithApple', ProviderType: 'SignInWithApple',
        ProviderDetails: { client_id: appleDouble.clientId, team_id: apple.teamId, key_id: apple.keyId, private_key: apple.privateKeyPem, ...appleDouble.endpoints },
        AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name', given_name: 'firstName', family_name: 'lastName' },
      },
      {
        ProviderName: 'LoginWithAmazon', ProviderType: 'LoginWithAmazon',
        ProviderDetails: { client_id: amazon.clientId, client_secret: amazon.clientSecret, ...amazon.endpoints },
        AttributeMapping: { email: 'email', name: 'name' },
      },
      {
        ProviderName: 'Corp', ProviderType: 'OIDC',
        ProviderDetails: {
          client_id: corp.clientId, client_secret: corp.clientSecret, authorize_scopes: 'openid email', token_endpoint_auth_method: 'client_secret_post',
          attributes_request_method: 'POST', ...corp.endpoints,
        },
        AttributeMapping: { email: 'email', email_verified: 'email_verified' },
      },
    ]);
  });
  after(async () => {
    await cognate.close();
    await Promise.all([google, facebook, amazon, appleDouble, corp].map((d) => d.close()));
  });

  it('Google: OIDC with PKCE and nonce, the ID token verified, email verified as Google asserts', async () => {
    google.person = { sub: '110169484474386276334', email: 'grace@gmail.test', email_verified: true, name: 'Grace Hopper' };
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: 'Google', login_hint: 'grace@gmail.test' });
    const claims = (await redeem(app, callback, checks)).claims()!;
    assert.equal(claims['cognito:username'], 'Google_110169484474386276334');
    assert.equal(claims.email, 'grace@gmail.test');
    assert.equal(claims.email_verified, true);
    const [identity] = claims.identities as { providerType: string; issuer: unknown; userId: string }[];
    assert.deepEqual([identity!.providerType, identity!.issuer, identity!.userId], ['Google', null, '110169484474386276334']);

    const authorize = google.requests.find((r) => r.path === '/authorize')!.params;
    assert.equal(authorize.get('code_challenge_method'), 'S256');
    assert.ok(authorize.get('nonce'));
    assert.equal(authorize.get('login_hint'), 'grace@gmail.test');
    assert.equal(authorize.get('scope'), 'openid email profile');
    const token = google.requests.find((r) => r.path === '/token')!.params;
    assert.ok(token.get('code_verifier'), 'the code is redeemed with its PKCE verifier');
    assert.ok(google.requests.some((r) => r.path === '/userinfo'), 'userinfo is read when attributes_url names it');
  });

  it('Facebook: the Graph API profile with appsecret_proof names the user by id', async () => {
    facebook.person = { id: '10158000000000001', email: 'mark@facebook.test', name: 'Mark Example', first_name: 'Mark', birthday: '01/01/1990' };
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: 'Facebook' });
    const claims = (await redeem(app, callback, checks)).claims()!;
    assert.equal(claims['cognito:username'], 'Facebook_10158000000000001');
    assert.equal(claims.email, 'mark@facebook.test');
    assert.equal(claims.email_verified, false, 'Facebook does not assert the email verified');
    const user = await attributes(app, 'Facebook_10158000000000001');
    assert.equal(user.given_name, 'Mark');
    assert.equal(user.status, 'EXTERNAL_PROVIDER');
    const token = facebook.requests.find((r) => r.path === '/token')!;
    assert.equal(token.method, 'GET', 'Cognito\'s token_request_method for Facebook');
    const me = facebook.requests.find((r) => r.path === '/me')!.params;
    assert.ok(me.get('appsecret_proof'));
    assert.deepEqual(me.get('fields')!.split(',').filter((f) => ['id', 'email', 'name'].includes(f)).sort(), ['email', 'id', 'name']);
  });

  it('Sign in with Apple: form_post, ES256 client secret; the first sign-in\'s name is kept when later ones send none', async () => {
    appleDouble.person = { sub: '001234.abcdef0123456789.0042', email: 'x7yz@privaterelay.appleid.com', email_verified: 'true', is_private_email: 'true' };
    appleDouble.appleUser = { name: { firstName: 'Tim', lastName: 'Example' }, email: 'x7yz@privaterelay.appleid.com' };
    const first = await signInThrough(app, new Browser(), { identity_provider: 'SignInWithApple' });
    const claims = (await redeem(app, first.callback, first.checks)).claims()!;
    const username = 'SignInWithApple_001234.abcdef0123456789.0042';
    assert.equal(claims['cognito:username'], username);
    assert.equal(claims.email_verified, true, 'Apple\'s "true" string counts as asserted');
    assert.equal(appleDouble.requests.find((r) => r.path === '/authorize')!.params.get('response_mode'), 'form_post');
    assert.deepEqual(appleDouble.requests.filter((r) => r.path !== '/jwks').map((r) => `${r.method} ${r.path}`), ['GET /authorize', 'POST /token']);
    let user = await attributes(app, username);
    assert.deepEqual([user.given_name, user.family_name, user.name], ['Tim', 'Example', 'Tim Example']);

    appleDouble.appleUser = undefined;
    const again = await signInThrough(app, new Browser(), { identity_provider: 'SignInWithApple' });
    assert.equal((await redeem(app, again.callback, again.checks)).claims()!['cognito:username'], username);
    user = await attributes(app, username);
    assert.deepEqual([user.given_name, user.family_name, user.name], ['Tim', 'Example', 'Tim Example'], 'a sign-in without `user` leaves the name');
  });

  it('Login with Amazon: PKCE, then the profile names the user by user_id', async () => {
    amazon.person = { user_id: 'amzn1.account.AFAKEID0000000000000', name: 'Jeff Example', email: 'jeff@amazon.test', postal_code: '98109' };
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: 'LoginWithAmazon' });
    const claims = (await redeem(app, callback, checks)).claims()!;
    assert.equal(claims['cognito:username'], 'LoginWithAmazon_amzn1.account.AFAKEID0000000000000');
    assert.equal(claims.email, 'jeff@amazon.test');
    assert.equal((await attributes(app, 'LoginWithAmazon_amzn1.account.AFAKEID0000000000000')).name, 'Jeff Example');
    assert.equal(amazon.requests.find((r) => r.path === '/authorize')!.params.get('code_challenge_method'), 'S256');
    assert.equal(amazon.requests.find((r) => r.path === '/authorize')!.params.get('scope'), 'profile postal_code');
  });

  it('generic OIDC with explicit endpoints (no discovery): client_secret_post, userinfo by POST', async () => {
    corp.person = { sub: 'emp-0042', email: 'emp42@corp.test', email_verified: 'true' };
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: 'Corp' });
    const claims = (await redeem(app, callback, checks)).claims()!;
    assert.equal(claims['cognito:username'], 'Corp_emp-0042');
    assert.equal(claims.email_verified, true);
    assert.equal((claims.identities as { issuer: string }[])[0]!.issuer, corp.issuer);
    const token = corp.requests.find((r) => r.path === '/token')!;
    assert.equal(token.params.get('client_secret'), corp.clientSecret);
    assert.equal(token.headers.authorization, undefined);
    assert.ok(token.params.get('code_verifier'));
    assert.deepEqual(corp.requests.filter((r) => r.path === '/userinfo').map((r) => r.method), ['POST']);
    assert.equal(corp.requests.some((r) => r.path.startsWith('/.well-known')), false, 'nothing was discovered');
  });
});
