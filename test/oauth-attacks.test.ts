import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { Browser, hiddenFields } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { signUpConfirmed } from './support/users.js';

const CALLBACK = 'https://app.example.com/callback';

describe('authorization endpoint and code exchange under attack', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let publicId: string;
  let confidential: { id: string; secret: string };
  let issuer: string;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
    await signUpConfirmed(cognate, pool, 'victor');
    const base = {
      UserPoolId: pool.poolId, AllowedOAuthFlows: ['code' as const], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'], ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH' as const],
    };
    publicId = (await cognate.admin.send(new CreateUserPoolClientCommand({ ...base, ClientName: 'public' }))).UserPoolClient!.ClientId!;
    const secretClient = (await cognate.admin.send(new CreateUserPoolClientCommand({ ...base, ClientName: 'web', GenerateSecret: true }))).UserPoolClient!;
    confidential = { id: secretClient.ClientId!, secret: secretClient.ClientSecret! };
    issuer = `${cognate.url}/${pool.poolId}`;
  });
  after(() => cognate.close());

  const authorizeUrl = (params: Record<string, string>) => `${issuer}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', scope: 'openid', ...params })}`;

  /** Signs in through the form and returns the code the client receives. */
  async function code(params: Record<string, string>): Promise<string> {
    const browser = new Browser();
    const page = await browser.get(authorizeUrl(params));
    const answer = await browser.post(`${issuer}/login`, { ...hiddenFields(await page.text()), username: 'victor', password: PASSWORD });
    return new URL(answer.headers.get('location')!).searchParams.get('code')!;
  }

  const exchange = (form: Record<string, string>, client = confidential) =>
    fetch(`${issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${client.id}:${client.secret}`)}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, ...form }),
    });

  it('never redirects to a redirect_uri that is not registered exactly', async () => {
    for (const variant of [
      `${CALLBACK}/extra`, `${CALLBACK}?next=evil`, 'https://APP.example.com/callback', `${CALLBACK}/`,
      'https://app.example.com:8443/callback', 'http://app.example.com/callback', 'https://app.example.com.evil.io/callback', `${CALLBACK}#frag`,
    ]) {
      const response = await fetch(authorizeUrl({ client_id: confidential.id, redirect_uri: variant }), { redirect: 'manual' });
      assert.equal(response.status, 400, variant);
      assert.equal(response.headers.get('location'), null, `no redirect to ${variant}`);
    }
    const unknownClient = await fetch(authorizeUrl({ client_id: 'nope', redirect_uri: CALLBACK }), { redirect: 'manual' });
    assert.equal(unknownClient.status, 400);
  });

  it('requires S256 PKCE from public clients and refuses plain', async () => {
    const missing = await fetch(authorizeUrl({ client_id: publicId, redirect_uri: CALLBACK, state: 's1' }), { redirect: 'manual' });
    const location = new URL(missing.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('state'), 's1');
    const plain = await fetch(authorizeUrl({ client_id: publicId, redirect_uri: CALLBACK, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }), { redirect: 'manual' });
    assert.equal(new URL(plain.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  });

  it('refuses a wrong or missing code_verifier, and a verifier for a code issued without PKCE', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const challenge = await oidc.calculatePKCECodeChallenge(verifier);
    const withPkce = await code({ client_id: confidential.id, redirect_uri: CALLBACK, code_challenge: challenge, code_challenge_method: 'S256' });
    const noVerifier = await exchange({ code: withPkce });
    assert.equal(((await noVerifier.json()) as { error: string }).error, 'invalid_grant');
    const again = await code({ client_id: confidential.id, redirect_uri: CALLBACK, code_challenge: challenge, code_challenge_method: 'S256' });
    const wrong = await exchange({ code: again, code_verifier: oidc.randomPKCECodeVerifier() });
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_grant');
    const withoutPkce = await code({ client_id: confidential.id, redirect_uri: CALLBACK });
    const downgrade = await exchange({ code: withoutPkce, code_verifier: verifier });
    assert.equal(((await downgrade.json()) as { error: string }).error, 'invalid_grant');
  });

  it('binds the code to its client and redirect URI', async () => {
    const issued = await code({ client_id: confidential.id, redirect_uri: CALLBACK });
    const otherRedirect = await exchange({ code: issued, redirect_uri: `${CALLBACK}/x` });
    assert.equal(((await otherRedirect.json()) as { error: string }).error, 'invalid_grant');
    const stolen = await code({ client_id: confidential.id, redirect_uri: CALLBACK });
    const byPublic = await fetch(`${issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, code: stolen, client_id: publicId }),
    });
    assert.equal(((await byPublic.json()) as { error: string }).error, 'invalid_grant');
  });

  it('a reused code fails and revokes the tokens its first use issued', async () => {
    const issued = await code({ client_id: confidential.id, redirect_uri: CALLBACK });
    const first = (await (await exchange({ code: issued })).json()) as { access_token: string; refresh_token: string };
    assert.ok(first.access_token);
    const second = await exchange({ code: issued });
    assert.equal(second.status, 400);
    assert.equal(((await second.json()) as { error: string }).error, 'invalid_grant');
    const info = await fetch(`${issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${first.access_token}` } });
    assert.equal(info.status, 401, 'the first access token is revoked');
    const refresh = await fetch(`${issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${confidential.id}:${confidential.secret}`)}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    });
    assert.equal(((await refresh.json()) as { error: string }).error, 'invalid_grant', 'and so is its refresh token');
  });

  it('refuses login form posts without the CSRF token or from another origin', async () => {
    const browser = new Browser();
    const page = await browser.get(authorizeUrl({ client_id: confidential.id, redirect_uri: CALLBACK }));
    const fields = hiddenFields(await page.text());
    const forged = await new Browser().post(`${issuer}/login`, { ...fields, username: 'victor', password: PASSWORD });
    assert.equal(forged.status, 403, 'a token without its cookie is refused');
    const mismatched = await browser.post(`${issuer}/login`, { ...fields, _csrf: 'x'.repeat(43), username: 'victor', password: PASSWORD });
    assert.equal(mismatched.status, 403);
    const crossSite = await browser.post(`${issuer}/login`, { ...fields, username: 'victor', password: PASSWORD }, { origin: 'https://evil.example' });
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.headers.get('location'), null);
    const honest = await browser.post(`${issuer}/login`, { ...fields, username: 'victor', password: PASSWORD });
    assert.equal(honest.status, 302);
  });

  it('userInfo and introspection refuse alg none and HS256 keyed with the public key', async () => {
    const issued = await code({ client_id: confidential.id, redirect_uri: CALLBACK });
    const { access_token } = (await (await exchange({ code: issued })).json()) as { access_token: string };
    const [header, payload] = access_token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${b64({ alg: 'none', kid })}.${b64(claims)}.`;
    const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as { keys: object[] };
    const hs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
    for (const forged of [none, hs256]) {
      const info = await fetch(`${issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${forged}` } });
      assert.equal(info.status, 401);
      const introspection = await fetch(`${issuer}/oauth2/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${confidential.id}:${confidential.secret}`)}` },
        body: new URLSearchParams({ token: forged }),
      });
      assert.deepEqual(await introspection.json(), { active: false });
    }
    const genuine = await fetch(`${issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${access_token}` } });
    assert.equal(genuine.status, 200, 'the real token still works');
  });

  it('escapes what it reflects into the page', async () => {
    const page = await fetch(authorizeUrl({ client_id: confidential.id, redirect_uri: CALLBACK, login_hint: '"><script>alert(1)</script>' }));
    const html = await page.text();
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.match(html, /&lt;script&gt;/);
  });
});
