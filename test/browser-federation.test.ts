import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminSetUserPasswordCommand, CreateIdentityProviderCommand, CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startCognate, type TestCognate } from './support/cognate.js';
import { startOidcUpstream, type OidcUpstream } from './support/oidc-upstream.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';

const ARTIFACTS = join('test-artifacts', 'browser-federation');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];

/** The application's callback: shows the code it got. */
async function startApp(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const code = new URL(req.url ?? '/', 'http://app').searchParams.get('code') ?? '';
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><title>App</title><output id="code">${code.replace(/[^\w-]/g, '')}</output>`);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  return { server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe('federated sign-in in Chromium: provider button, upstream, and confirming a link', () => {
  let cognate: TestCognate;
  let upstream: OidcUpstream;
  let app: { server: Server; origin: string };
  let pool: TestPool;
  let clientId: string;
  let browser: Browser;

  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    [cognate, app] = await Promise.all([startCognate(), startApp()]);
    pool = await createPool(cognate, {});
    upstream = await startOidcUpstream([`${cognate.url}/${pool.poolId}/oauth2/idpresponse`], {
      'grace-1906': { email: 'grace@example.org', email_verified: true, name: 'Grace Hopper' },
    });
    await cognate.admin.send(new CreateIdentityProviderCommand({
      UserPoolId: pool.poolId, ProviderName: 'Corporate', ProviderType: 'OIDC', AttributeMapping: { email: 'email', name: 'name' },
      ProviderDetails: {
        client_id: upstream.clientId, client_secret: upstream.clientSecret, oidc_issuer: upstream.issuer, authorize_scopes: 'openid email profile', link_policy: 'confirm',
      },
    }));
    clientId = (await cognate.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId, ClientName: 'Shop', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [`${app.origin}/callback`], SupportedIdentityProviders: ['COGNITO', 'Corporate'],
    }))).UserPoolClient!.ClientId!;
    await cognate.admin.send(new AdminCreateUserCommand({
      UserPoolId: pool.poolId, Username: 'grace', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'grace@example.org' }, { Name: 'email_verified', Value: 'true' }],
    }));
    await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'grace', Password: PASSWORD, Permanent: true }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await new Promise((done) => app?.server.close(done));
    await upstream?.close();
    await cognate?.close();
  });

  it('signs in with the provider button, proves the existing account with its password, and lands at the app linked', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL(`${cognate.url}/${pool.poolId}/oauth2/authorize`);
    for (const [k, v] of Object.entries({ client_id: clientId, response_type: 'code', redirect_uri: `${app.origin}/callback`, scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256', state: 'st-1' })) {
      authorize.searchParams.set(k, v);
    }
    await page.goto(authorize.href);
    const button = page.getByRole('link', { name: 'Continue with Corporate' });
    await button.waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '1-sign-in-with-provider.png'), fullPage: true });

    upstream.nextLogin = 'grace-1906';
    await button.click();
    await page.getByRole('heading', { name: 'Link your account' }).waitFor();
    assert.match(await page.locator('#link-intro').innerText(), /grace@example\.org.*Corporate/);
    await page.screenshot({ path: join(ARTIFACTS, '2-confirm-link.png'), fullPage: true });

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Link with my password' }).click();
    await page.waitForURL(`${app.origin}/callback**`);
    assert.match(await page.locator('#code').innerText(), /^[\w-]{20,}$/);
    await page.screenshot({ path: join(ARTIFACTS, '3-back-at-the-app.png'), fullPage: true });

    const { UserAttributes } = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'grace' }));
    assert.match(UserAttributes?.find((a) => a.Name === 'identities')?.Value ?? '', /"userId":"grace-1906"/);
    await context.close();
  });
});
