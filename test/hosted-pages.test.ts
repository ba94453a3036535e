import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminSetUserPasswordCommand, ConfirmSignUpCommand, CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, hiddenFields } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, type TestPool } from './support/pools.js';

const CALLBACK = 'https://app.example.com/callback';

/** The hosted pages over plain HTTP (the browser test drives the same pages in Chromium). */
describe('hosted sign-up, confirmation, password reset and new-password pages', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let issuer: string;
  let clients: { open: string; hidden: string; secret: string };
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate, {
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false } },
      Schema: [{ Name: 'given_name', AttributeDataType: 'String', Required: true, Mutable: true }],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
    const base = {
      UserPoolId: pool.poolId, AllowedOAuthFlows: ['code' as const], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
    };
    const create = async (ClientName: string, extra: Record<string, unknown> = {}) =>
      (await cognate.admin.send(new CreateUserPoolClientCommand({ ...base, ClientName, ...extra }))).UserPoolClient!.ClientId!;
    clients = {
      open: await create('open'),
      hidden: await create('hidden', { PreventUserExistenceErrors: 'ENABLED' }),
      secret: await create('secret', { GenerateSecret: true }),
    };
    issuer = `${cognate.url}/${pool.poolId}`;
  });
  after(() => cognate.close());

  const query = (clientId: string, extra: Record<string, string> = {}) =>
    new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 's1', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256', ...extra }).toString();

  /** Opens a page and submits its form with the given fields (plus the page's hidden ones). */
  async function submit(browser: Browser, page: string, fields: Record<string, string>, clientId = clients.open, previous?: string) {
    const html = previous ?? (await (await browser.get(`${issuer}/${page}?${query(clientId)}`)).text());
    const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
    return browser.post(`${cognate.url}${action}`, { ...hiddenFields(html), ...fields });
  }

  const codeFrom = (location: string | null) => new URL(location!).searchParams.get('code');

  it('signs up with the pool schema, confirms with the emailed code and returns to the client signed in', async () => {
    const browser = new Browser();
    const page = await browser.get(`${issuer}/signup?${query(clients.open)}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    for (const label of ['Username', 'Email', 'Given name', 'Password']) assert.match(html, new RegExp(`<label for="[^"]+" class="label-customizable">${label}</label>`));
    assert.match(html, /at least 10 characters/);
    assert.doesNotMatch(html, /special character/, 'the policy hint follows the pool');

    const missing = await submit(browser, 'signup', { username: 'nina', email: '', given_name: 'Nina', password: 'Weak' }, clients.open, html);
    assert.equal(missing.status, 400);
    const missingHtml = await missing.text();
    assert.match(missingHtml, /id="f-email"[^>]*aria-invalid="true" aria-describedby="f-email-error"/);
    assert.match(missingHtml, /id="f-email-error" class="error errorMessage-customizable">This field is required\./);

    const weak = await submit(browser, 'signup', { username: 'nina', email: 'nina@example.com', given_name: 'Nina', password: 'weakpassword' }, clients.open, missingHtml);
    const weakHtml = await weak.text();
    assert.match(weakHtml, /id="f-password-error"[^>]*>This password does not meet the requirements\./);
    assert.match(weakHtml, /id="f-password"[^>]*aria-describedby="f-password-hint f-password-error"/);
    assert.match(weakHtml, /value="nina@example.com"/, 'typed values are kept');

    const confirmPage = await submit(browser, 'signup', { username: 'nina', email: 'nina@example.com', given_name: 'Nina', password: 'Strong-Pass-10' }, clients.open, weakHtml);
    assert.equal(confirmPage.status, 200);
    const confirmHtml = await confirmPage.text();
    assert.match(confirmHtml, /We sent a code by email to n\*\*\*@e\*\*\*/);
    const { code } = cognate.inbox.last('nina@example.com');

    const wrong = await submit(browser, 'confirm', { code: '000000' }, clients.open, confirmHtml);
    const wrongHtml = await wrong.text();
    assert.match(wrongHtml, /This code is not correct/);
    const done = await submit(browser, 'confirm', { code }, clients.open, wrongHtml);
    assert.equal(done.status, 302);
    assert.ok(codeFrom(done.headers.get('location')), 'the browser that signed up continues signed in');
    const user = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'nina' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'given_name')?.Value, 'Nina');
  });

  it('confirms from another browser without signing it in, and resends codes', async () => {
    await submit(new Browser(), 'signup', { username: 'otto', email: 'otto@example.com', given_name: 'Otto', password: 'Strong-Pass-10' });
    const other = new Browser();
    const page = await other.get(`${issuer}/confirm?${query(clients.open)}&username=otto`);
    const html = await page.text();
    assert.doesNotMatch(html, /name="username" type="text"/, 'the known username is not asked again');
    const resent = await submit(other, 'confirm', { intent: 'resend' }, clients.open, html);
    assert.match(await resent.text(), /A new code is on its way\./);
    const { code } = cognate.inbox.last('otto@example.com');
    const done = await submit(other, 'confirm', { code }, clients.open, html);
    assert.equal(done.status, 200);
    assert.match(await done.text(), /Your account is confirmed\. Sign in to continue\./);
  });

  it('resets a forgotten password and signs in with the new one', async () => {
    await submit(new Browser(), 'signup', { username: 'rita', email: 'rita@example.com', given_name: 'Rita', password: 'Strong-Pass-10' });
    await cognate.app.send(new ConfirmSignUpCommand({ ClientId: clients.open, Username: 'rita', ConfirmationCode: cognate.inbox.last('rita@example.com').code }));
    const browser = new Browser();
    const sent = await submit(browser, 'forgotPassword', { username: 'rita' });
    assert.equal(sent.status, 200);
    const resetHtml = await sent.text();
    assert.match(resetHtml, /We sent a code by email to r\*\*\*@e\*\*\*/);
    const { code } = cognate.inbox.last('rita@example.com');
    const weak = await submit(browser, 'confirmForgotPassword', { code, password: 'short' }, clients.open, resetHtml);
    assert.match(await weak.text(), /This password does not meet the requirements\./);
    const done = await submit(browser, 'confirmForgotPassword', { code, password: 'Brand-New-Pass-11' }, clients.open, resetHtml);
    assert.equal(done.status, 302);
    assert.ok(codeFrom(done.headers.get('location')));
    const again = await submit(new Browser(), 'login', { username: 'rita', password: 'Brand-New-Pass-11' });
    assert.equal(again.status, 302);
  });

  it('asks for a new password after a temporary one, then signs in (and keeps the challenge open on a refusal)', async () => {
    await cognate.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId, Username: 'tom', TemporaryPassword: 'Temporary-Pass-1', MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'tom@example.com' }, { Name: 'given_name', Value: 'Tom' }],
      }),
    );
    for (const clientId of [clients.open, clients.secret]) {
      const browser = new Browser();
      const challenge = await submit(browser, 'login', { username: 'tom', password: clientId === clients.open ? 'Temporary-Pass-1' : 'Second-Pass-22' }, clientId);
      assert.equal(challenge.status, 200);
      const html = await challenge.text();
      assert.match(html, /Choose a new password/);
      const weak = await submit(browser, 'newPassword', { password: 'weak' }, clientId, html);
      assert.equal(weak.status, 400);
      const next = clientId === clients.open ? 'Second-Pass-22' : 'Third-Pass-333';
      const done = await submit(browser, 'newPassword', { password: next }, clientId, await weak.text());
      assert.equal(done.status, 302, `${clientId}: ${done.status}`);
      assert.ok(codeFrom(done.headers.get('location')));
      if (clientId === clients.open) {
        // Back to a temporary password for the confidential client's turn.
        await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'tom', Password: 'Second-Pass-22', Permanent: false }));
      }
    }
  });

  it('refuses a forged challenge session', async () => {
    const browser = new Browser();
    const html = await (await browser.get(`${issuer}/signup?${query(clients.open)}`)).text();
    const fields = hiddenFields(html);
    const forged = await browser.post(`${issuer}/newPassword`, { ...fields, session: 'x'.repeat(64), username: 'tom', password: 'Another-Pass-44' });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /This page has expired/);
  });

  it('checks CSRF on every form', async () => {
    for (const page of ['login', 'signup', 'confirm', 'forgotPassword', 'confirmForgotPassword', 'newPassword']) {
      const browser = new Browser();
      const html = await (await browser.get(`${issuer}/signup?${query(clients.open)}`)).text();
      const { _csrf: _, ...rest } = hiddenFields(html);
      const response = await browser.post(`${issuer}/${page}`, { ...rest, username: 'x', password: 'y', _csrf: 'A'.repeat(43) });
      assert.equal(response.status, 403, page);
      assert.equal(response.headers.get('location'), null);
    }
  });

  it('links sign-in, sign-up and password reset with the same authorization request', async () => {
    const html = await (await new Browser().get(`${issuer}/oauth2/authorize?${query(clients.open)}`)).text();
    const q = query(clients.open).replace(/&/g, '&amp;');
    assert.ok(html.includes(`href="/${pool.poolId}/signup?${q}"`), html);
    assert.ok(html.includes(`href="/${pool.poolId}/forgotPassword?${q}"`));
    const signup = await (await new Browser().get(`${issuer}/signup?${query(clients.open)}`)).text();
    assert.ok(signup.includes(`href="/${pool.poolId}/login?${q}"`));
  });

  it('answers the same for taken and free names when the client hides users', async () => {
    const observe = async (page: string, fields: Record<string, string>) => {
      const response = await submit(new Browser(), page, fields, clients.hidden);
      return `${response.status} ${(await response.text()).replace(/value="[^"]*"/g, '').replace(/\w\*\*\*@\w\*\*\*/g, '?***@?***')}`;
    };
    const signUp = (username: string) => observe('signup', { username, email: `${username}-x@example.com`, given_name: 'X', password: 'Strong-Pass-10' });
    const taken = await signUp('nina');
    assert.match(taken, /^200 .*Confirm your account/);
    assert.equal(taken, await signUp('nobody-here'));
    const forgot = await observe('forgotPassword', { username: 'nina' });
    assert.match(forgot, /^200 .*Set a new password/);
    assert.equal(forgot, await observe('forgotPassword', { username: 'ghost' }));
    const reset = (username: string) => observe('confirmForgotPassword', { username, code: '123456', password: 'Strong-Pass-10' });
    assert.equal(await reset('otto'), await reset('ghost'));
    assert.equal(await observe('confirm', { username: 'nina', code: '123456' }), await observe('confirm', { username: 'ghost', code: '123456' }));
    assert.equal(await observe('confirm', { username: 'nina', intent: 'resend' }), await observe('confirm', { username: 'ghost', intent: 'resend' }));
  });

  it('speaks German on every page when ui_locales asks for it', async () => {
    const browser = new Browser();
    for (const [page, title] of [['signup', 'Konto erstellen'], ['confirm', 'Konto bestätigen'], ['forgotPassword', 'Passwort zurücksetzen'], ['confirmForgotPassword', 'Neues Passwort festlegen']]) {
      const html = await (await browser.get(`${issuer}/${page}?${query(clients.open, { ui_locales: 'de' })}`)).text();
      assert.match(html, /<html lang="de">/, page);
      assert.ok(html.includes(`<h1>${title}</h1>`), page);
    }
  });

  it('offers no sign-up where only administrators create users', async () => {
    const closed = await createPool(cognate, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const clientId = (await cognate.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: closed.poolId, ClientName: 'closed', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
    }))).UserPoolClient!.ClientId!;
    const signIn = await (await fetch(`${cognate.url}/${closed.poolId}/oauth2/authorize?${query(clientId)}`)).text();
    assert.doesNotMatch(signIn, /\/signup\?/);
    assert.match(signIn, /Forgot your password\?/);
    const signUp = await fetch(`${cognate.url}/${closed.poolId}/signup?${query(clientId)}`);
    assert.equal(signUp.status, 403);
    assert.match(await signUp.text(), /Sign-up is not available for this application\./);
  });
});
