import { CreateResourceServerCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, hiddenFields } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { signUpConfirmed } from './support/users.js';

const CALLBACK = 'https://app.example.com/cb';

describe('prompt=select_account and prompt=consent', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let issuer: string;
  let clientId: string;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
    await cognate.admin.send(new CreateResourceServerCommand({
      UserPoolId: pool.poolId, Identifier: 'https://api.example.com', Name: 'orders', Scopes: [{ ScopeName: 'orders.read', ScopeDescription: 'Read your orders' }],
    }));
    clientId = (await cognate.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId, ClientName: 'Order Tracker', AllowedOAuthFlows: ['code', 'implicit'], AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'https://api.example.com/orders.read'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
      GenerateSecret: true,
    }))).UserPoolClient!.ClientId!;
    issuer = `${cognate.url}/${pool.poolId}`;
    await signUpConfirmed(cognate, pool, 'ana');
    await signUpConfirmed(cognate, pool, 'ben');
  });
  after(() => cognate.close());

  const authorizeUrl = (extra: Record<string, string>) =>
    `${issuer}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid email', state: 'st-1', ...extra })}`;

  /** A browser with an SSO session for `username`. */
  async function signedInBrowser(username: string): Promise<Browser> {
    const browser = new Browser();
    const form = await browser.get(authorizeUrl({}));
    const done = await browser.post(`${issuer}/login`, { ...hiddenFields(await form.text()), username, password: PASSWORD });
    assert.equal(done.status, 302);
    assert.ok(browser.cookies.get('cognate_sso'));
    return browser;
  }

  const post = (browser: Browser, page: string, html: string, fields: Record<string, string>) =>
    browser.post(`${issuer}/${page}`, { ...hiddenFields(html), ...fields });

  it('select_account with a session offers to continue as that account, which answers the client', async () => {
    const browser = await signedInBrowser('ana');
    const page = await browser.get(authorizeUrl({ prompt: 'select_account' }));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1>Choose an account<\/h1>/);
    assert.match(html, /You are signed in as ana\./);
    assert.match(html, /<button type="submit" name="choice" value="continue"[^>]*>Continue as ana<\/button>/);
    assert.match(html, /value="switch"[^>]*>Use another account<\/button>/);

    const forged = await post(new Browser(), 'selectAccount', html, { choice: 'continue' });
    assert.equal(forged.status, 403, 'the form needs its CSRF cookie');
    const done = await post(browser, 'selectAccount', html, { choice: 'continue' });
    assert.equal(done.status, 302);
    const location = new URL(done.headers.get('location')!);
    assert.ok(location.searchParams.get('code'));
    assert.equal(location.searchParams.get('state'), 'st-1');
  });

  it('"Use another account" ends the session and shows the sign-in form, where another user signs in', async () => {
    const browser = await signedInBrowser('ana');
    const stolenSession = browser.cookies.get('cognate_sso')!;
    const html = await (await browser.get(authorizeUrl({ prompt: 'select_account' }))).text();
    const switched = await post(browser, 'selectAccount', html, { choice: 'switch' });
    assert.equal(switched.status, 200);
    const loginHtml = await switched.text();
    assert.match(loginHtml, /<h1>Sign in<\/h1>/);
    assert.equal(browser.cookies.get('cognate_sso'), undefined, 'the cookie is cleared');
    const replay = new Browser();
    replay.cookies.set('cognate_sso', stolenSession);
    assert.equal((await replay.get(authorizeUrl({}))).status, 200, 'the old session no longer answers');

    const asBen = await browser.post(`${issuer}/login`, { ...hiddenFields(loginHtml), username: 'ben', password: PASSWORD });
    assert.equal(asBen.status, 302);
    assert.ok(new URL(asBen.headers.get('location')!).searchParams.get('code'));
  });

  it('select_account without a session is the sign-in form, and continuing a session that changed meanwhile signs in again', async () => {
    const page = await new Browser().get(authorizeUrl({ prompt: 'select_account' }));
    assert.match(await page.text(), /<h1>Sign in<\/h1>/);

    const browser = await signedInBrowser('ana');
    const html = await (await browser.get(authorizeUrl({ prompt: 'select_account' }))).text();
    const tampered = await post(browser, 'selectAccount', html, { choice: 'continue', account: 'some-other-sub' });
    assert.equal(tampered.status, 200);
    assert.match(await tampered.text(), /<h1>Sign in<\/h1>/);
  });

  it('consent shows the client and its scopes; Deny answers access_denied with state and iss', async () => {
    const browser = await signedInBrowser('ana');
    const page = await browser.get(authorizeUrl({ prompt: 'consent', scope: 'openid email https://api.example.com/orders.read' }));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Order Tracker would like to:/);
    for (const text of ['Confirm who you are', 'See your email address', 'Read your orders']) assert.match(html, new RegExp(`<li>${text}</li>`));
    assert.match(html, /You are signed in as ana\./);

    assert.equal((await post(new Browser(), 'consent', html, { decision: 'deny' })).status, 403, 'the form needs its CSRF cookie');
    const denied = await post(browser, 'consent', html, { decision: 'deny' });
    assert.equal(denied.status, 302);
    const location = new URL(denied.headers.get('location')!);
    assert.equal(location.origin + location.pathname, CALLBACK);
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 'st-1');
    assert.equal(location.searchParams.get('iss'), issuer);
    assert.equal(location.searchParams.get('code'), null);
  });

  it('consent after a fresh sign-in; Allow answers with a code', async () => {
    const browser = new Browser();
    const form = await browser.get(authorizeUrl({ prompt: 'consent' }));
    const consent = await browser.post(`${issuer}/login`, { ...hiddenFields(await form.text()), username: 'ben', password: PASSWORD });
    assert.equal(consent.status, 200, 'the consent page, not yet a code');
    const html = await consent.text();
    assert.match(html, /<h1>Allow access\?<\/h1>/);
    const allowed = await post(browser, 'consent', html, { decision: 'allow' });
    assert.equal(allowed.status, 302);
    const location = new URL(allowed.headers.get('location')!);
    assert.ok(location.searchParams.get('code'));
    assert.equal(location.searchParams.get('iss'), issuer);
  });

  it('consent for the implicit flow denies in the fragment; a consent form without its session signs in again', async () => {
    const browser = await signedInBrowser('ana');
    const html = await (await browser.get(authorizeUrl({ prompt: 'consent', response_type: 'token', scope: 'email' }))).text();
    const denied = await post(browser, 'consent', html, { decision: 'deny' });
    const fragment = new URLSearchParams(new URL(denied.headers.get('location')!).hash.slice(1));
    assert.equal(fragment.get('error'), 'access_denied');
    assert.equal(fragment.get('state'), 'st-1');

    await browser.get(`${issuer}/logout`);
    const late = await post(browser, 'consent', html, { decision: 'allow' });
    assert.equal(late.status, 200);
    assert.match(await late.text(), /<h1>Sign in<\/h1>/);
  });

  it('prompt=none cannot be combined with consent or select_account', async () => {
    const browser = await signedInBrowser('ana');
    for (const prompt of ['none consent', 'none select_account']) {
      const answer = await browser.get(authorizeUrl({ prompt }));
      assert.equal(answer.status, 302);
      assert.equal(new URL(answer.headers.get('location')!).searchParams.get('error'), 'invalid_request');
    }
  });
});
