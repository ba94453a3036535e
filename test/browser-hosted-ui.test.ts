import {
  AdminCreateUserCommand, CreateUserPoolClientCommand, SetUICustomizationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { startCognate, type TestCognate } from './support/cognate.js';
import { solidPng } from './support/png.js';
import { createPool, type TestPool } from './support/pools.js';

const ARTIFACTS = join('test-artifacts', 'browser-hosted-ui');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];
const PASSWORD = 'Correct-Horse-9';

/** The relying party: a callback page that shows the code it received, and a signed-out page. */
async function startRelyingParty(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://rp');
    const escape = (s: string | null) => (s ?? '').replace(/[<>&"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const body =
      url.pathname === '/callback'
        ? `<h1>Relying party</h1><p>code: <output id="code">${escape(url.searchParams.get('code'))}</output></p><p>error: <output id="error">${escape(url.searchParams.get('error'))}</output></p>`
        : `<h1>Signed out at the relying party</h1><p>state: <output id="state">${escape(url.searchParams.get('state'))}</output></p>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!DOCTYPE html><html lang="en"><title>RP</title>${body}</html>`);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  return { server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe('hosted UI in Chromium (playwright-core)', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let rp: { server: Server; origin: string };
  let browser: Browser;
  let clients: { shop: string; blog: string };
  let shots = 0;

  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    [cognate, rp] = await Promise.all([startCognate(), startRelyingParty()]);
    pool = await createPool(cognate, {
      Schema: [{ Name: 'given_name', AttributeDataType: 'String', Required: true, Mutable: true }],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
    const client = async (ClientName: string) =>
      (await cognate.admin.send(new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId, ClientName, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [`${rp.origin}/callback`], LogoutURLs: [`${rp.origin}/signed-out`], SupportedIdentityProviders: ['COGNITO'],
      }))).UserPoolClient!.ClientId!;
    clients = { shop: await client('Shop'), blog: await client('Blog') };
    // Pool-wide branding with a logo; the blog client has its own (CSS only, so no logo).
    await cognate.admin.send(new SetUICustomizationCommand({
      UserPoolId: pool.poolId, ImageFile: solidPng(160, 48, [37, 99, 235]), CSS: '.banner-customizable { background-color: rgb(254, 243, 199); padding: 8px; }',
    }));
    await cognate.admin.send(new SetUICustomizationCommand({
      UserPoolId: pool.poolId, ClientId: clients.blog, CSS: '.submitButton-customizable { background-color: rgb(10, 125, 50); }',
    }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await new Promise((done) => rp?.server.close(done));
    await cognate?.close();
  });

  async function newPage(locale = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width: 800, height: 900 } });
    context.setDefaultTimeout(15_000);
    return { context, page: await context.newPage() };
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${String(++shots).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  /** A PKCE authorization request as an app would start it. */
  function authorizeUrl(clientId: string, extra: Record<string, string> = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = new URLSearchParams({
      client_id: clientId, redirect_uri: `${rp.origin}/callback`, response_type: 'code', scope: 'openid email', state: randomBytes(8).toString('hex'),
      code_challenge: challenge, code_challenge_method: 'S256', ...extra,
    });
    return { url: `${cognate.url}/${pool.poolId}/oauth2/authorize?${params}`, verifier };
  }

  /** Waits for the relying party's callback page and redeems its code; returns the ID token's claims and the token. */
  async function landAtCallback(page: Page, clientId: string, verifier: string) {
    await page.waitForURL(`${rp.origin}/callback?**`);
    const code = await page.locator('#code').textContent();
    assert.ok(code, `the callback got a code (error: ${await page.locator('#error').textContent()})`);
    const response = await fetch(`${cognate.url}/${pool.poolId}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: `${rp.origin}/callback`, code_verifier: verifier }),
    });
    assert.equal(response.status, 200);
    const { id_token } = (await response.json()) as { id_token: string };
    return { claims: decodeJwt(id_token), idToken: id_token };
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('signs up with the emailed code and lands at the app signed in', async () => {
    const { context, page } = await newPage();
    const { url, verifier } = authorizeUrl(clients.shop);
    await page.goto(url);
    await shot(page, 'sign-in');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    assert.equal(await focusedId(page), 'f-username', 'the first field has focus');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Email').fill('alice@example.com');
    await page.getByLabel('Given name').fill('Alice');
    await page.getByLabel('Password').fill('too-weak');
    await page.keyboard.press('Enter');
    await page.getByText('This password does not meet the requirements.').waitFor();
    assert.equal(await focusedId(page), 'f-password', 'focus moves to the field in error');
    assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
    await shot(page, 'sign-up-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();

    await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
    await page.getByText('We sent a code by email to a***@e***').waitFor();
    await shot(page, 'confirm');
    await page.getByLabel('Verification code').fill(cognate.inbox.last('alice@example.com').code!);
    await page.keyboard.press('Enter');
    const { claims } = await landAtCallback(page, clients.shop, verifier);
    assert.equal(claims['cognito:username'], 'alice');
    assert.equal(claims.email_verified, true);
    await shot(page, 'callback');
    await context.close();
  });

  it('signs in, single-signs-on into a second client without a password, and signs out (RP-initiated)', async () => {
    const { context, page } = await newPage();
    const first = authorizeUrl(clients.shop);
    await page.goto(first.url);
    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill('Wrong-Password-1');
    await page.keyboard.press('Enter');
    await page.getByText('Incorrect username or password.').waitFor();
    await shot(page, 'sign-in-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const signedIn = await landAtCallback(page, clients.shop, first.verifier);
    assert.equal(signedIn.claims['cognito:username'], 'alice');

    const second = authorizeUrl(clients.blog);
    const pages: string[] = [];
    page.on('framenavigated', (frame) => pages.push(frame.url()));
    await page.goto(second.url);
    const sso = await landAtCallback(page, clients.blog, second.verifier);
    assert.equal(sso.claims.aud, clients.blog);
    assert.equal(sso.claims.auth_time, signedIn.claims.auth_time, 'the same sign-in, no new password');
    assert.ok(!pages.some((u) => u.includes('/login')), 'no sign-in form was shown');

    const logout = new URLSearchParams({ id_token_hint: sso.idToken, post_logout_redirect_uri: `${rp.origin}/signed-out`, state: 'bye' });
    await page.goto(`${cognate.url}/${pool.poolId}/logout?${logout}`);
    await page.waitForURL(`${rp.origin}/signed-out?state=bye`);
    await shot(page, 'signed-out');
    await page.goto(authorizeUrl(clients.shop).url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.ok(await page.getByLabel('Password').isVisible(), 'the session ended: the form is back');
    await context.close();
  });

  it('resets a forgotten password with the emailed code', async () => {
    const { context, page } = await newPage();
    const { url, verifier } = authorizeUrl(clients.shop);
    await page.goto(url);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Username or email').fill('alice');
    await shot(page, 'forgot-password');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await page.getByLabel('Verification code').fill(cognate.inbox.last('alice@example.com').code!);
    await page.getByLabel('New password').fill('Another-Horse-10');
    await shot(page, 'reset-password');
    await page.getByRole('button', { name: 'Reset password' }).click();
    const { claims } = await landAtCallback(page, clients.shop, verifier);
    assert.equal(claims['cognito:username'], 'alice');
    await context.close();

    // The new password works from a fresh browser.
    const fresh = await newPage();
    const again = authorizeUrl(clients.shop);
    await fresh.page.goto(again.url);
    await fresh.page.getByLabel('Username or email').fill('alice');
    await fresh.page.getByLabel('Password').fill('Another-Horse-10');
    await fresh.page.keyboard.press('Enter');
    await landAtCallback(fresh.page, clients.shop, again.verifier);
    await fresh.context.close();
  });

  it('makes a user with a temporary password choose a new one', async () => {
    await cognate.admin.send(new AdminCreateUserCommand({
      UserPoolId: pool.poolId, Username: 'bob', TemporaryPassword: 'Temporary-Pass-1', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }, { Name: 'email_verified', Value: 'true' }, { Name: 'given_name', Value: 'Bob' }],
    }));
    const { context, page } = await newPage();
    const { url, verifier } = authorizeUrl(clients.shop);
    await page.goto(url);
    await page.getByLabel('Username or email').fill('bob');
    await page.getByLabel('Password').fill('Temporary-Pass-1');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    assert.equal(await focusedId(page), 'f-password');
    await page.getByLabel('New password').fill('Bobs-Own-Pass-22');
    await shot(page, 'new-password');
    await page.getByRole('button', { name: 'Save' }).click();
    const { claims } = await landAtCallback(page, clients.shop, verifier);
    assert.equal(claims['cognito:username'], 'bob');
    await context.close();
  });

  it('speaks German when ui_locales=de, on every page of the flow', async () => {
    const { context, page } = await newPage('en-US');
    await page.goto(authorizeUrl(clients.shop, { ui_locales: 'de' }).url);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.ok(await page.getByLabel('Benutzername oder E-Mail').isVisible());
    await shot(page, 'sign-in-de');
    await page.getByRole('link', { name: 'Registrieren' }).click();
    await page.getByRole('heading', { name: 'Konto erstellen' }).waitFor();
    assert.ok(await page.getByLabel('Vorname').isVisible());
    await page.getByRole('button', { name: 'Registrieren' }).click();
    await page.getByText('Bitte prüfen Sie die markierten Felder.').waitFor();
    await shot(page, 'sign-up-de-errors');
    await page.getByRole('link', { name: 'Anmelden' }).click();
    await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
    await page.getByRole('heading', { name: 'Passwort zurücksetzen' }).waitFor();
    await context.close();
  });

  it('applies branding: the pool logo and CSS, and a client stylesheet that replaces them', async () => {
    const { context, page } = await newPage();
    await page.goto(authorizeUrl(clients.shop).url);
    const logo = page.locator('img.logo-customizable');
    await logo.waitFor();
    assert.ok(await logo.isVisible());
    assert.ok((await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)) === 160, 'the logo loaded');
    assert.equal(await logo.getAttribute('alt'), 'Shop');
    assert.equal(await page.locator('.banner-customizable').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(254, 243, 199)');
    await shot(page, 'branding-pool');

    await page.goto(authorizeUrl(clients.blog).url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(10, 125, 50)');
    assert.equal(await page.locator('img.logo-customizable').count(), 0, "the blog's own branding has no logo");
    await shot(page, 'branding-client');
    await context.close();
  });
});
