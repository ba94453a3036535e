import { CreateUserPoolClientCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { totp } from './support/totp.js';
import { signUpConfirmed } from './support/users.js';

const ARTIFACTS = join('test-artifacts', 'browser-mfa');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const CALLBACK = 'https://app.example.com/callback';

describe('hosted MFA in Chromium: TOTP setup from the QR page, then sign-in with a code', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let clientId: string;
  let browser: Browser;
  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    cognate = await startCognate();
    pool = await createPool(cognate);
    await cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    clientId = (await cognate.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId, ClientName: 'mfa-app', GenerateSecret: true, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
    }))).UserPoolClient!.ClientId!;
    await signUpConfirmed(cognate, pool, 'mina');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await cognate?.close();
  });

  /** Signs in with the password; the app's callback is never reached here, so stop at its URL. */
  async function passwordStep(page: Page) {
    const params = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' });
    await page.goto(`${cognate.url}/${pool.poolId}/oauth2/authorize?${params}`);
    await page.getByLabel('Username or email').fill('mina');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
  }

  async function codeAtCallback(page: Page): Promise<string> {
    const request = await page.waitForRequest((r) => r.url().startsWith(CALLBACK));
    return new URL(request.url()).searchParams.get('code')!;
  }

  it('sets up the authenticator, then needs its code on the next sign-in', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 1000 } });
    await context.route(`${CALLBACK}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>app</h1>' }));
    const page = await context.newPage();
    await passwordStep(page);
    await page.getByRole('heading', { name: 'Set up an authenticator app' }).waitFor();
    assert.ok(await page.getByRole('img', { name: 'QR code for your authenticator app' }).isVisible());
    await page.screenshot({ path: join(ARTIFACTS, '01-totp-setup.png'), fullPage: true });
    const secret = (await page.locator('#totp-secret').textContent())!;
    await page.getByLabel('Code').fill('000000' === totp(secret, cognate.clock.now()) ? '111111' : '000000');
    await page.keyboard.press('Enter');
    await page.getByText('That code is not right. Try again.').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '02-totp-wrong.png'), fullPage: true });
    const done = codeAtCallback(page);
    await page.getByLabel('Code').fill(totp(secret, cognate.clock.now()));
    await page.keyboard.press('Enter');
    assert.ok(await done, 'the app received a code after setup');
    await context.close();

    advance(cognate, 31_000);
    const again = await browser.newContext({ viewport: { width: 800, height: 900 } });
    await again.route(`${CALLBACK}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>app</h1>' }));
    const second = await again.newPage();
    await passwordStep(second);
    await second.getByRole('heading', { name: 'Verify it is you' }).waitFor();
    await second.screenshot({ path: join(ARTIFACTS, '03-totp-code.png'), fullPage: true });
    const signedIn = codeAtCallback(second);
    await second.getByLabel('Code').fill(totp(secret, cognate.clock.now()));
    await second.keyboard.press('Enter');
    assert.ok(await signedIn);
    await again.close();
  });
});
