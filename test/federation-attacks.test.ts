import { AdminDeleteUserCommand, CreateIdentityProviderCommand, InvalidParameterException, type IdentityProviderTypeType } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { CALLBACK, federatedApp, follow, redeem, signInThrough, startSignIn, users, type FederatedApp } from './support/federation.js';
import { UpstreamDouble, type Tamper } from './support/social-doubles.js';

const now = () => Math.floor(Date.now() / 1000);

/** Each ID-token attack, and what refuses it: verifyIdToken (Google), openid-client's own checks or verifyIdToken (generic OIDC). */
const ID_TOKEN_ATTACKS: { name: string; tamper: (clientId: string) => Tamper; reason: RegExp; generic: RegExp }[] = [
  { name: 'a wrong issuer', tamper: () => ({ claims: { iss: 'https://evil.example' } }), reason: /issued by another issuer/, generic: /"iss"/ },
  { name: 'a wrong audience', tamper: () => ({ claims: { aud: 'another-client' } }), reason: /for another audience/, generic: /"aud"/ },
  { name: 'several audiences without our azp', tamper: (clientId) => ({ claims: { aud: [clientId, 'another-client'] } }), reason: /another party \(azp\)/, generic: /additional untrusted audiences/ },
  { name: 'a wrong nonce', tamper: () => ({ claims: { nonce: 'replayed-from-elsewhere' } }), reason: /does not carry the nonce/, generic: /"nonce"/ },
  { name: 'alg none', tamper: () => ({ signing: 'none' }), reason: /signed with none, which is not allowed/, generic: /"alg"/ },
  { name: 'HS256 keyed with the public key', tamper: () => ({ signing: 'hs256-public-key' }), reason: /signed with HS256, which is not allowed/, generic: /"alg"/ },
  { name: 'a key not in the JWKS', tamper: () => ({ signing: 'unpublished-key' }), reason: /key the identity provider does not publish/, generic: /does not publish/ },
  { name: 'an expired token', tamper: () => ({ claims: { iat: now() - 1200, exp: now() - 600 } }), reason: /has expired/, generic: /"exp"/ },
];

describe('federation attacks: nothing is created unless every check passes', () => {
  let cognate: TestCognate;
  let app: FederatedApp;
  const google = new UpstreamDouble('Google', 'google-client', 'google-secret');
  const generic = new UpstreamDouble('OIDC', 'generic-client', 'generic-secret');

  before(async () => {
    cognate = await startCognate();
    await Promise.all([google.start(), generic.start()]);
    app = await federatedApp(cognate, () => [
      { ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: google.clientId, client_secret: google.clientSecret, ...google.endpoints } },
      {
        ProviderName: 'Generic', ProviderType: 'OIDC',
        ProviderDetails: { client_id: generic.clientId, client_secret: generic.clientSecret, authorize_scopes: 'openid email', ...generic.endpoints },
      },
    ]);
    google.person = { sub: 'victim-1', email: 'victim@gmail.test', email_verified: true };
    generic.person = { sub: 'victim-2', email: 'victim@corp.test', email_verified: true };
  });
  after(async () => {
    await cognate.close();
    await Promise.all([google.close(), generic.close()]);
  });
  // A user let in by one broken check must not fail the tests after it.
  afterEach(async () => {
    for (const user of await users(app)) await cognate.admin.send(new AdminDeleteUserCommand({ UserPoolId: app.poolId, Username: user.Username! }));
  });

  async function refused(provider: string): Promise<URLSearchParams> {
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: provider });
    assert.equal(callback.origin + callback.pathname, CALLBACK);
    assert.equal(callback.searchParams.get('code'), null, 'no code is issued');
    assert.equal(callback.searchParams.get('state'), checks.expectedState, 'the error carries the app\'s state');
    assert.deepEqual(await users(app), [], 'no user was created');
    return callback.searchParams;
  }

  for (const attack of ID_TOKEN_ATTACKS) {
    it(`refuses an ID token with ${attack.name} (Google path, then generic OIDC through openid-client)`, async () => {
      google.tamper = attack.tamper(google.clientId);
      const answer = await refused('Google');
      assert.equal(answer.get('error'), 'invalid_request');
      assert.match(answer.get('error_description')!, attack.reason);
      generic.tamper = attack.tamper(generic.clientId);
      const viaOpenidClient = await refused('Generic');
      assert.equal(viaOpenidClient.get('error'), 'invalid_request');
      assert.match(viaOpenidClient.get('error_description')!, attack.generic);
    });
  }

  it('refuses userinfo about another subject than the ID token', async () => {
    generic.userinfoSubject = 'someone-else';
    const answer = await refused('Generic');
    generic.userinfoSubject = undefined;
    assert.match(answer.get('error_description')!, /userinfo is about another user/);
  });

  it('passes an upstream access_denied on to the app with its state', async () => {
    google.refusal = 'access_denied';
    const answer = await refused('Google');
    assert.equal(answer.get('error'), 'access_denied');
    // Sign in with Apple names a cancelled sign-in its own way; the app still hears access_denied.
    google.refusal = 'user_cancelled_authorize';
    assert.equal((await refused('Google')).get('error'), 'access_denied');
    google.refusal = 'server_error';
    assert.equal((await refused('Google')).get('error'), 'invalid_request');
  });

  /** The upstream's answer, not yet delivered to Cognate. */
  async function upstreamAnswer(browser: Browser) {
    const { response, checks } = await startSignIn(app, browser, { identity_provider: 'Google' });
    const atUpstream = await browser.get(response.headers.get('location')!);
    assert.equal(atUpstream.status, 302);
    return { idpResponse: atUpstream.headers.get('location')!, checks };
  }

  it('refuses a callback with an unknown state', async () => {
    const browser = new Browser();
    const { idpResponse } = await upstreamAnswer(browser);
    const forged = new URL(idpResponse);
    forged.searchParams.set('state', 'a-state-cognate-never-issued');
    const page = await browser.get(forged.href);
    assert.equal(page.status, 400);
    assert.equal(page.headers.get('location'), null);
    assert.match(await page.text(), /expired or was already used/);
    assert.deepEqual(await users(app), []);
  });

  it('refuses a callback from another browser, and the state is spent for the first one too', async () => {
    const browser = new Browser();
    const { idpResponse } = await upstreamAnswer(browser);
    const elsewhere = await new Browser().get(idpResponse);
    assert.equal(elsewhere.status, 400);
    assert.match(await elsewhere.text(), /started in another browser/);
    assert.equal((await browser.get(idpResponse)).status, 400);
    assert.deepEqual(await users(app), []);
  });

  it('accepts a callback once: a replay is refused', async () => {
    const browser = new Browser();
    const { idpResponse, checks } = await upstreamAnswer(browser);
    const first = await follow(browser, await browser.get(idpResponse));
    await redeem(app, new URL(first.headers.get('location')!), checks);
    const replay = await browser.get(idpResponse);
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /expired or was already used/);
    assert.equal((await users(app)).length, 1);
  });

  it('refuses plain http upstreams on other hosts at CreateIdentityProvider', async () => {
    await assert.rejects(
      cognate.admin.send(new CreateIdentityProviderCommand({
        UserPoolId: app.poolId, ProviderName: 'Plain', ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'x', oidc_issuer: 'http://idp.example.com', authorize_scopes: 'openid', authorize_url: 'http://idp.example.com/auth', token_url: 'https://idp.example.com/token', jwks_uri: 'https://idp.example.com/jwks' },
      })),
      (error: unknown) => {
        assert.ok(error instanceof InvalidParameterException, String(error));
        assert.match(error.message, /authorize_url must use https/);
        assert.match(error.message, /oidc_issuer must use https/);
        assert.doesNotMatch(error.message, /token_url/);
        return true;
      },
    );
  });

  it('refuses invalid ProviderDetails, naming each problem', async () => {
    const problems = async (ProviderName: string, ProviderType: IdentityProviderTypeType, ProviderDetails: Record<string, string>) => {
      const error = await cognate.admin.send(new CreateIdentityProviderCommand({ UserPoolId: app.poolId, ProviderName, ProviderType, ProviderDetails })).then(
        () => assert.fail('accepted'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof InvalidParameterException, String(error));
      return error.message;
    };
    const oidc = await problems('Broken', 'OIDC', { oidc_issuer: 'https://idp.example.com', authorize_scopes: 'email profile', attributes_request_method: 'PUT' });
    for (const problem of [/client_id is required/, /authorize_scopes must include openid/, /attributes_request_method must be GET or POST/]) assert.match(oidc, problem);

    const { generateKeyPair, exportPKCS8 } = await import('jose');
    const rsa = await exportPKCS8((await generateKeyPair('RS256', { extractable: true })).privateKey);
    const apple = await problems('SignInWithApple', 'SignInWithApple', { client_id: 'com.example', key_id: 'KEY1234567', private_key: rsa });
    for (const problem of [/team_id is required/, /private_key must be a PKCS#8 PEM of an EC P-256 private key/]) assert.match(apple, problem);

    const facebook = await problems('Facebook', 'Facebook', { client_id: '1', api_version: '17' });
    for (const problem of [/client_secret is required/, /api_version must look like v17.0/]) assert.match(facebook, problem);
    assert.match(await problems('Google', 'Google', { client_id: 'x', client_secret: 'y', authorize_scopes: 'email' }), /authorize_scopes must include openid/);
    assert.match(await problems('Nowhere', 'OIDC', { client_id: 'x', oidc_issuer: `${google.url}/nothing-here`, authorize_scopes: 'openid' }), /OpenID discovery failed/);
  });
});
