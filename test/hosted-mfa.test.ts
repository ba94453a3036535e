import {
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, hiddenFields } from './support/browser.js';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { totp } from './support/totp.js';
import { signIn, signUpConfirmed } from './support/users.js';

const CALLBACK = 'https://app.example.com/cb';

describe('hosted sign-in with a second factor', () => {
  let cognate: TestCognate;
  before(async () => {
    cognate = await startCognate();
  });
  after(() => cognate.close());

  async function oauthPool(mode: 'ON' | 'OPTIONAL'): Promise<{ pool: TestPool; clientId: string; clientSecret: string; issuer: string }> {
    const pool = await createPool(cognate);
    await cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: mode, SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const { UserPoolClient } = await cognate.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId, ClientName: 'web', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'], GenerateSecret: true,
      }),
    );
    return { pool, clientId: UserPoolClient!.ClientId!, clientSecret: UserPoolClient!.ClientSecret!, issuer: `${cognate.url}/${pool.poolId}` };
  }

  /** Signs in through the form and returns the page that follows it. */
  async function passwordStep(browser: Browser, issuer: string, clientId: string, username: string) {
    const page = await browser.get(`${issuer}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`);
    return browser.post(`${issuer}/login`, { ...hiddenFields(await page.text()), username, password: PASSWORD });
  }

  it('asks for the authenticator code before answering the client, refusing a wrong one', async () => {
    const { pool, clientId, issuer } = await oauthPool('OPTIONAL');
    await signUpConfirmed(cognate, pool, 'tara');
    const { AccessToken } = await signIn(cognate, pool, 'tara');
    const { SecretCode } = await cognate.app.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await cognate.app.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, cognate.clock.now()) }));
    await cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    advance(cognate, 31_000);

    const browser = new Browser();
    const mfaPage = await passwordStep(browser, issuer, clientId, 'tara');
    assert.equal(mfaPage.status, 200, 'a page, not a redirect with a code');
    assert.equal(mfaPage.headers.get('location'), null);
    const html = await mfaPage.text();
    assert.match(html, /authenticator app/);
    const fields = hiddenFields(html);
    const wrong = await browser.post(`${issuer}/mfa`, { ...fields, code: '000000' === totp(SecretCode!, cognate.clock.now()) ? '111111' : '000000' });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /not right/);
    const right = await browser.post(`${issuer}/mfa`, { ...fields, code: totp(SecretCode!, cognate.clock.now()) });
    assert.equal(right.status, 302);
    assert.ok(new URL(right.headers.get('location')!).searchParams.get('code'));
  });

  /** Sign-in families (refresh-token families) the store holds for a user. */
  function familiesOf(sub: string): string[] {
    const db = new Database(cognate.dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT DISTINCT family_id AS f FROM refresh_tokens WHERE sub = ?').all(sub) as { f: string }[]).map((r) => r.f);
    } finally {
      db.close();
    }
  }

  it('issues no tokens of its own: the code exchange starts the only new sign-in family', async () => {
    const { pool, clientId, clientSecret, issuer } = await oauthPool('OPTIONAL');
    const sub = await signUpConfirmed(cognate, pool, 'wes');
    const { AccessToken } = await signIn(cognate, pool, 'wes');
    const { SecretCode } = await cognate.app.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await cognate.app.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, cognate.clock.now()) }));
    await cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    advance(cognate, 31_000);
    const before = familiesOf(sub);
    assert.equal(before.length, 1, 'the API sign-in above started one family');

    const browser = new Browser();
    const mfaPage = await passwordStep(browser, issuer, clientId, 'wes');
    const done = await browser.post(`${issuer}/mfa`, { ...hiddenFields(await mfaPage.text()), code: totp(SecretCode!, cognate.clock.now()) });
    assert.equal(done.status, 302);
    assert.deepEqual(familiesOf(sub), before, 'signing in through the hosted pages stores no refresh token');

    const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
    const exchanged = await fetch(`${issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }),
    });
    assert.equal(exchanged.status, 200);
    assert.ok(((await exchanged.json()) as { refresh_token?: string }).refresh_token);
    const after = familiesOf(sub);
    assert.equal(after.length, 2, 'exactly one new family: the one the code exchange started');
  });

  it('sets up an authenticator from the QR page when the pool requires MFA', async () => {
    const { pool, clientId, issuer } = await oauthPool('ON');
    await signUpConfirmed(cognate, pool, 'uma');
    const browser = new Browser();
    const setup = await passwordStep(browser, issuer, clientId, 'uma');
    assert.equal(setup.status, 200);
    const html = await setup.text();
    assert.match(html, /<img src="data:image\/svg\+xml;base64,/);
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(html)?.[1];
    assert.ok(secret, 'the key is shown for typing by hand');
    const done = await browser.post(`${issuer}/mfa`, { ...hiddenFields(html), code: totp(secret, cognate.clock.now()) });
    assert.equal(done.status, 302);
    assert.ok(new URL(done.headers.get('location')!).searchParams.get('code'));
  });

  it('a forged or replayed MFA form never yields a code', async () => {
    const { pool, clientId, issuer } = await oauthPool('ON');
    await signUpConfirmed(cognate, pool, 'vlad');
    const browser = new Browser();
    const html = await (await passwordStep(browser, issuer, clientId, 'vlad')).text();
    const fields = hiddenFields(html);
    const forged = await browser.post(`${issuer}/mfa`, { ...fields, session: 'x'.repeat(64), code: '123456' });
    assert.equal(forged.headers.get('location'), null);
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(html)![1]!;
    const first = await browser.post(`${issuer}/mfa`, { ...fields, code: totp(secret, cognate.clock.now()) });
    assert.equal(first.status, 302);
    advance(cognate, 31_000);
    const replay = await browser.post(`${issuer}/mfa`, { ...fields, code: totp(secret, cognate.clock.now()) });
    assert.equal(replay.headers.get('location'), null, 'a used session cannot be answered again');
  });
});
