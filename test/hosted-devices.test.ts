import {
  AdminForgetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, hiddenFields } from './support/browser.js';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { accessTokenOf, enrollTotp, mfaPool, newUser, nextCode, TOTP_ON } from './support/mfa.js';
import { PASSWORD, type TestPool } from './support/pools.js';

const CALLBACK = 'https://app.example.com/cb';
const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
type DeviceConfiguration = NonNullable<CreateUserPoolCommandInput['DeviceConfiguration']>;

interface HostedPool {
  pool: TestPool;
  clientId: string;
  issuer: string;
}

describe('hosted UI: remember this device', () => {
  let cognate: TestCognate;
  before(async () => {
    cognate = await startCognate();
  });
  after(() => cognate.close());

  async function hostedPool(devices?: DeviceConfiguration): Promise<HostedPool> {
    const pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON }, devices ? { DeviceConfiguration: devices } : {});
    const { UserPoolClient } = await cognate.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId, ClientName: 'web', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'], GenerateSecret: true,
    }));
    return { pool, clientId: UserPoolClient!.ClientId!, issuer: `${cognate.url}/${pool.poolId}` };
  }

  /** A user with TOTP turned on; returns the authenticator's secret. */
  async function totpUser(target: HostedPool, username: string): Promise<string> {
    await newUser(cognate, target.pool, username);
    return enrollTotp(cognate, await accessTokenOf(cognate, target.pool, username));
  }

  /** The sign-in form submitted with the password, as a fresh sign-in (no SSO session). */
  async function passwordStep(browser: Browser, target: HostedPool, username: string): Promise<Response> {
    browser.cookies.delete('cognate_sso');
    const query = new URLSearchParams({ client_id: target.clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' });
    const page = await browser.get(`${target.issuer}/oauth2/authorize?${query}`, { 'user-agent': CHROME_ON_LINUX });
    return browser.post(`${target.issuer}/login`, { ...hiddenFields(await page.text()), username, password: PASSWORD }, { 'user-agent': CHROME_ON_LINUX });
  }

  /** Password, then the authenticator code, optionally ticking "Remember this device"; returns the MFA page's HTML. */
  async function signInWithMfa(browser: Browser, target: HostedPool, username: string, secret: string, remember: boolean): Promise<string> {
    const mfa = await passwordStep(browser, target, username);
    assert.equal(mfa.status, 200, 'the MFA page');
    const html = await mfa.text();
    const done = await browser.post(
      `${target.issuer}/mfa`,
      { ...hiddenFields(html), code: nextCode(cognate, secret), ...(remember ? { remember: '1' } : {}) },
      { 'user-agent': CHROME_ON_LINUX },
    );
    assert.equal(done.status, 302);
    assert.ok(new URL(done.headers.get('location')!).searchParams.get('code'));
    return html;
  }

  async function skipsMfa(browser: Browser, target: HostedPool, username: string): Promise<boolean> {
    const answer = await passwordStep(browser, target, username);
    if (answer.status === 302) return Boolean(new URL(answer.headers.get('location')!).searchParams.get('code'));
    assert.match(await answer.text(), /authenticator app/);
    return false;
  }

  function listDevices(target: HostedPool, username: string) {
    return cognate.admin.send(new AdminListDevicesCommand({ UserPoolId: target.pool.poolId, Username: username }));
  }

  it('remembers the browser when asked: a device named after the browser, a hashed secret, then no MFA from that browser', async () => {
    const target = await hostedPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const secret = await totpUser(target, 'ada');
    const browser = new Browser();
    const page = await passwordStep(browser, target, 'ada');
    const html = await page.text();
    assert.match(html, /<input type="checkbox" name="remember" value="1" aria-describedby="remember-hint"\/> Remember this device/, 'offered, not ticked, on a user opt-in pool');
    const done = await browser.post(`${target.issuer}/mfa`, { ...hiddenFields(html), code: nextCode(cognate, secret), remember: '1' }, { 'user-agent': CHROME_ON_LINUX });
    assert.equal(done.status, 302);
    const cookie = done.headers.getSetCookie().find((line) => line.startsWith('cognate_device='));
    assert.ok(cookie, 'the device cookie is set');
    assert.match(cookie, /; Max-Age=31536000/);
    assert.match(cookie, new RegExp(`; Path=/${target.pool.poolId}`));
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);

    const { Devices } = await listDevices(target, 'ada');
    assert.equal(Devices?.length, 1);
    const attributes = Object.fromEntries(Devices![0]!.DeviceAttributes!.map((a) => [a.Name, a.Value]));
    assert.deepEqual(attributes, { device_name: 'Chrome on Linux', device_status: 'remembered' });
    const value = browser.cookies.get('cognate_device')!;
    assert.equal(value.split('.')[0], Devices![0]!.DeviceKey);
    const db = new Database(cognate.dbPath, { readonly: true, fileMustExist: true });
    try {
      assert.ok(!JSON.stringify(db.prepare('SELECT * FROM devices').all()).includes(value.split('.')[1]!), 'only a hash of the secret is stored');
    } finally {
      db.close();
    }

    advance(cognate, 31_000);
    assert.equal(await skipsMfa(browser, target, 'ada'), true, 'the remembered browser skips MFA');
    assert.equal(await skipsMfa(new Browser(), target, 'ada'), false, 'another browser still needs the code');
  });

  it('remembers nothing unless asked', async () => {
    const target = await hostedPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const secret = await totpUser(target, 'bea');
    const browser = new Browser();
    await signInWithMfa(browser, target, 'bea', secret, false);
    assert.equal(browser.cookies.get('cognate_device'), undefined);
    assert.deepEqual((await listDevices(target, 'bea')).Devices, []);
    assert.equal(await skipsMfa(browser, target, 'bea'), false);
  });

  it('a stolen cookie skips MFA for no other user and no other pool', async () => {
    const target = await hostedPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
    const secret = await totpUser(target, 'cyd');
    await totpUser(target, 'dan');
    const browser = new Browser();
    assert.match(await signInWithMfa(browser, target, 'cyd', secret, true), /name="remember" value="1" checked=""/, 'ticked on an always-remember pool');
    const stolen = browser.cookies.get('cognate_device')!;

    const thief = new Browser();
    thief.cookies.set('cognate_device', stolen);
    assert.equal(await skipsMfa(thief, target, 'dan'), false, 'another user of the pool');

    const other = await hostedPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
    await totpUser(other, 'cyd');
    assert.equal(await skipsMfa(thief, other, 'cyd'), false, 'the same name in another pool');
    const forged = `${stolen.split('.')[0]}.${'A'.repeat(43)}`;
    thief.cookies.set('cognate_device', forged);
    assert.equal(await skipsMfa(thief, target, 'cyd'), false, 'the device key without its secret');
    assert.equal(await skipsMfa(browser, target, 'cyd'), true, 'the browser it belongs to still skips MFA');
  });

  it('forgetting the device, marking it not remembered, or a global sign-out makes the cookie useless', async () => {
    const target = await hostedPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const secret = await totpUser(target, 'eve');
    const browser = new Browser();
    const rememberAgain = async () => {
      await signInWithMfa(browser, target, 'eve', secret, true);
      assert.equal(await skipsMfa(browser, target, 'eve'), true);
      const { Devices } = await listDevices(target, 'eve');
      return Devices!.at(-1)!.DeviceKey!;
    };

    const forgotten = await rememberAgain();
    await cognate.admin.send(new AdminForgetDeviceCommand({ UserPoolId: target.pool.poolId, Username: 'eve', DeviceKey: forgotten }));
    assert.equal(await skipsMfa(browser, target, 'eve'), false, 'AdminForgetDevice');

    const demoted = await rememberAgain();
    await cognate.admin.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: target.pool.poolId, Username: 'eve', DeviceKey: demoted, DeviceRememberedStatus: 'not_remembered' }));
    assert.equal(await skipsMfa(browser, target, 'eve'), false, 'not_remembered on a user opt-in pool');

    await rememberAgain();
    advance(cognate, 1_000);
    await cognate.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: target.pool.poolId, Username: 'eve' }));
    assert.equal(await skipsMfa(browser, target, 'eve'), false, 'a global sign-out');
  });

  it('is not offered where a remembered device cannot skip MFA, and a forged checkbox remembers nothing', async () => {
    for (const devices of [undefined, { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false }]) {
      const target = await hostedPool(devices);
      const secret = await totpUser(target, 'fay');
      const browser = new Browser();
      const html = await signInWithMfa(browser, target, 'fay', secret, true);
      assert.doesNotMatch(html, /name="remember"/);
      assert.equal(browser.cookies.get('cognate_device'), undefined);
      assert.deepEqual((await listDevices(target, 'fay')).Devices ?? [], []);
    }
  });
});
