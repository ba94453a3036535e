import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { accessTokenOf, enrollTotp, mfaPool, newUser, TOTP_ON } from './support/mfa.js';
import { PASSWORD, type TestPool } from './support/pools.js';
import { totp } from './support/totp.js';

const ARTIFACTS = join('test-artifacts', 'browser-hosted-flows');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];

/** The relying party's callback: shows the code or the error it was sent. */
async function startRelyingParty(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://rp');
    const escape = (s: string | null) => (s ?? '').replace(/[<>&"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const body = `<h1>Relying party</h1><p>code: <output id="code">${escape(url.searchParams.get('code'))}</output></p>`
      + `<p>error: <output id="error">${escape(url.searchParams.get('error'))}</output></p><p>state: <output id="state">${escape(url.searchParams.get('state'))}</output></p>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!DOCTYPE html><html lang="en"><title>RP</title>${body}</html>`);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  return { server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe('hosted UI in Chromium: sign-in with a code, remember this device, consent', () => {
  let cognate: TestCognate;
  let rp: { server: Server; origin: string };
  let browser: Browser;
  let pool: TestPool;
  let clientId: string;
  let totpSecret: string;
  let shots = 0;

  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    [cognate, rp] = await Promise.all([startCognate(), startRelyingParty()]);
    pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON }, {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    });
    clientId = (await cognate.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId, ClientName: 'Photo Album', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [`${rp.origin}/callback`], SupportedIdentityProviders: ['COGNITO'],
      GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient!.ClientId!;
    await newUser(cognate, pool, 'lena');
    await newUser(cognate, pool, 'mark');
    totpSecret = await enrollTotp(cognate, await accessTokenOf(cognate, pool, 'mark'));
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

  const authorizeUrl = (extra: Record<string, string> = {}) =>
    `${cognate.url}/${pool.poolId}/oauth2/authorize?${new URLSearchParams({
      client_id: clientId, redirect_uri: `${rp.origin}/callback`, response_type: 'code', scope: 'openid email profile', state: 'album-1', ...extra,
    })}`;

  async function atCallback(page: Page): Promise<{ code: string; error: string; state: string }> {
    await page.waitForURL(`${rp.origin}/callback?**`);
    const read = async (id: string) => (await page.locator(`#${id}`).textContent()) ?? '';
    return { code: await read('code'), error: await read('error'), state: await read('state') };
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('signs in with a code sent by email: a wrong code is refused at the field, the right one lands at the app', async () => {
    const { context, page } = await newPage();
    await page.goto(authorizeUrl());
    await shot(page, 'sign-in-with-code-link');
    await page.getByRole('link', { name: 'Sign in with a code by email' }).click();
    await page.getByRole('heading', { name: 'Sign in with a code' }).waitFor();
    assert.equal(await focusedId(page), 'f-username');
    await page.getByLabel('Username or email').fill('lena');
    await shot(page, 'passwordless-username');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByText('We sent a code by email to l***@e***').waitFor();
    const { code } = cognate.inbox.last('lena@example.com');
    await page.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
    await page.keyboard.press('Enter');
    await page.getByText('This code is not correct or has expired').first().waitFor();
    assert.equal(await page.getByLabel('Verification code').getAttribute('aria-invalid'), 'true');
    assert.equal(await focusedId(page), 'f-code', 'focus is on the field in error');
    assert.ok(await page.getByText('We sent a code by email to l***@e***').isVisible(), 'the page still says where the code went');
    await shot(page, 'passwordless-wrong-code');
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const answer = await atCallback(page);
    assert.ok(answer.code, `a code, not ${answer.error}`);
    assert.equal(answer.state, 'album-1');
    await context.close();
  });

  it('remembers this browser after MFA, then signs in again without a code', async () => {
    const { context, page } = await newPage();
    await page.goto(authorizeUrl());
    await page.getByLabel('Username or email').fill('mark');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Verify it is you' }).waitFor();
    const remember = page.getByLabel('Remember this device');
    assert.equal(await remember.isChecked(), false, 'opt-in pools leave the box empty');
    await remember.check();
    await shot(page, 'mfa-remember-device');
    advance(cognate, 30_000);
    await page.getByLabel('Code').fill(totp(totpSecret, cognate.clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    assert.ok((await atCallback(page)).code);
    const cookie = (await context.cookies()).find((c) => c.name === 'cognate_device');
    assert.ok(cookie?.httpOnly && cookie.sameSite === 'Lax', 'an HttpOnly, SameSite=Lax device cookie');

    // prompt=login asks for the password again despite the SSO session; the remembered device stands in for MFA.
    await page.goto(authorizeUrl({ prompt: 'login' }));
    await page.getByLabel('Username or email').fill('mark');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    assert.ok((await atCallback(page)).code, 'no MFA page this time');
    await context.close();

    const other = await newPage();
    await other.page.goto(authorizeUrl());
    await other.page.getByLabel('Username or email').fill('mark');
    await other.page.getByLabel('Password').fill(PASSWORD);
    await other.page.keyboard.press('Enter');
    await other.page.getByRole('heading', { name: 'Verify it is you' }).waitFor();
    await other.context.close();
  });

  it('asks for consent: Deny tells the app access_denied, Allow gives it a code', async () => {
    const { context, page } = await newPage();
    await page.goto(authorizeUrl({ prompt: 'consent' }));
    await page.getByLabel('Username or email').fill('lena');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    await page.getByText('Photo Album would like to:').waitFor();
    assert.deepEqual(await page.getByRole('listitem').allTextContents(), ['Confirm who you are', 'See your email address', 'See your profile: your name and other details']);
    await shot(page, 'consent');
    await page.getByRole('button', { name: 'Deny' }).click();
    const denied = await atCallback(page);
    assert.equal(denied.error, 'access_denied');
    assert.equal(denied.code, '');
    assert.equal(denied.state, 'album-1');

    await page.goto(authorizeUrl({ prompt: 'consent' }));
    await page.getByRole('button', { name: 'Allow' }).click();
    assert.ok((await atCallback(page)).code, 'the session is still there: Allow answers with a code');
    await context.close();
  });

  it('offers to go on as the signed-in user, in German', async () => {
    const { context, page } = await newPage('de-DE');
    await page.goto(authorizeUrl());
    await page.getByLabel('Benutzername oder E-Mail').fill('lena');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await atCallback(page);
    await page.goto(authorizeUrl({ prompt: 'select_account consent' }));
    await page.getByRole('heading', { name: 'Konto auswählen' }).waitFor();
    await shot(page, 'select-account-de');
    await page.getByRole('button', { name: 'Weiter als lena' }).click();
    await page.getByRole('heading', { name: 'Zugriff erlauben?' }).waitFor();
    await shot(page, 'consent-de');
    await page.getByRole('button', { name: 'Erlauben' }).click();
    assert.ok((await atCallback(page)).code);
    await context.close();
  });
});
