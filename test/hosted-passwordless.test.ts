import { AdminUpdateUserAttributesCommand, CreateUserPoolClientCommand, type CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, hiddenFields } from './support/browser.js';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { newUser } from './support/mfa.js';
import { createPool, type TestPool } from './support/pools.js';

const CALLBACK = 'https://app.example.com/cb';

describe('hosted sign-in with a code by email or text message', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let issuer: string;
  let clients: { open: string; hidden: string; passwordOnly: string };
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } } });
    const create = async (ClientName: string, extra: Partial<CreateUserPoolClientCommandInput>) =>
      (await cognate.admin.send(new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId, ClientName, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'], GenerateSecret: true, ...extra,
      }))).UserPoolClient!.ClientId!;
    clients = {
      open: await create('open', { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      hidden: await create('hidden', { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED' }),
      passwordOnly: await create('password-only', { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    };
    issuer = `${cognate.url}/${pool.poolId}`;
    await newUser(cognate, pool, 'pia');
    await newUser(cognate, pool, 'sam', '+15550100777');
    await cognate.admin.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: pool.poolId, Username: 'sam', UserAttributes: [{ Name: 'phone_number_verified', Value: 'true' }],
    }));
  });
  after(() => cognate.close());

  const query = (clientId: string) => new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'st' }).toString();

  /** Follows the login page's "Sign in with a code" link for `factor` and submits the username. */
  async function requestCode(browser: Browser, clientId: string, factor: 'EMAIL_OTP' | 'SMS_OTP', username: string): Promise<Response> {
    const login = await (await browser.get(`${issuer}/oauth2/authorize?${query(clientId)}`)).text();
    const href = new RegExp(`href="(/${pool.poolId}/passwordless\\?[^"]*factor=${factor}[^"]*)"`).exec(login)?.[1];
    assert.ok(href, `the sign-in page links to ${factor}`);
    const page = await browser.get(`${cognate.url}${href.replace(/&amp;/g, '&')}`);
    assert.equal(page.status, 200);
    return browser.post(`${issuer}/passwordless`, { ...hiddenFields(await page.text()), username });
  }

  const sentCount = (to: string) => cognate.inbox.messages.filter((m) => m.to === to).length;

  it('emails a code, refuses a wrong one at the field, resends, and signs in with the new code without MFA or password', async () => {
    const browser = new Browser();
    const codePage = await requestCode(browser, clients.open, 'EMAIL_OTP', 'pia');
    assert.equal(codePage.status, 200);
    const html = await codePage.text();
    assert.match(html, /We sent a code by email to p\*\*\*@e\*\*\*/);
    const first = cognate.inbox.last('pia@example.com');
    assert.equal(first.triggerSource, 'CustomMessage_Authentication');

    const wrong = await browser.post(`${issuer}/passwordless`, { ...hiddenFields(html), code: first.code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 400);
    const wrongHtml = await wrong.text();
    assert.match(wrongHtml, /id="f-code"[^>]*aria-invalid="true" aria-describedby="sent-to f-code-error"/);
    assert.match(wrongHtml, /id="f-code-error" class="error errorMessage-customizable">This code is not correct or has expired/);

    const resent = await browser.post(`${issuer}/passwordless`, { ...hiddenFields(wrongHtml), intent: 'resend' });
    const resentHtml = await resent.text();
    assert.match(resentHtml, /A new code is on its way\./);
    const second = cognate.inbox.last('pia@example.com');
    assert.notEqual(second, first);
    const stale = await browser.post(`${issuer}/passwordless`, { ...hiddenFields(wrongHtml), code: second.code });
    assert.equal(stale.status, 400, 'the replaced session is gone, even with the new code');

    const done = await browser.post(`${issuer}/passwordless`, { ...hiddenFields(resentHtml), code: second.code });
    assert.equal(done.status, 302);
    const location = new URL(done.headers.get('location')!);
    assert.equal(location.origin + location.pathname, CALLBACK);
    assert.ok(location.searchParams.get('code'));
    assert.equal(location.searchParams.get('state'), 'st');
    assert.ok(browser.cookies.get('cognate_sso'), 'an SSO session starts');
  });

  it('texts a code to a verified phone number', async () => {
    const browser = new Browser();
    const html = await (await requestCode(browser, clients.open, 'SMS_OTP', 'sam')).text();
    assert.match(html, /We sent a code by text message to \+\*+0777/);
    const done = await browser.post(`${issuer}/passwordless`, { ...hiddenFields(html), code: cognate.inbox.last('+15550100777').code });
    assert.equal(done.status, 302);
  });

  it('codes expire with their session', async () => {
    const browser = new Browser();
    const html = await (await requestCode(browser, clients.open, 'EMAIL_OTP', 'pia')).text();
    const { code } = cognate.inbox.last('pia@example.com');
    advance(cognate, 4 * 60_000);
    const late = await browser.post(`${issuer}/passwordless`, { ...hiddenFields(html), code });
    assert.equal(late.status, 400);
    assert.match(await late.text(), /id="f-code-error"[^>]*>This code has expired\. Ask for a new one\./);
  });

  it('without hidden users, says which names are unknown or cannot get a code', async () => {
    const unknown = await requestCode(new Browser(), clients.open, 'EMAIL_OTP', 'nobody');
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /id="f-username-error"[^>]*>We could not find an account with that name\./);
    const noPhone = await requestCode(new Browser(), clients.open, 'SMS_OTP', 'pia');
    assert.match(await noPhone.text(), /id="f-username-error"[^>]*>This account cannot receive a sign-in code this way\./);
  });

  it('with hidden users, unknown names and users without the address get the same page and nothing is sent', async () => {
    const page = async (username: string, factor: 'EMAIL_OTP' | 'SMS_OTP') => {
      const browser = new Browser();
      const answer = await requestCode(browser, clients.hidden, factor, username);
      const html = await answer.text();
      return { browser, status: answer.status, text: html.replace(/value="[^"]*"/g, 'value=""'), html };
    };
    const before = cognate.inbox.messages.length;
    const stranger = await page('nobody', 'SMS_OTP');
    const noPhone = await page('pia', 'SMS_OTP');
    assert.equal(cognate.inbox.messages.length, before, 'no message for either');
    const real = await page('sam', 'SMS_OTP');
    assert.equal(sentCount('+15550100777') > 0, true);
    for (const answer of [stranger, noPhone]) {
      assert.equal(answer.status, real.status);
      assert.equal(answer.text, real.text, 'the pages cannot be told apart');
    }
    assert.match(real.html, /If this account can receive sign-in codes this way, a code is on its way\./);
    const guessed = await stranger.browser.post(`${issuer}/passwordless`, { ...hiddenFields(stranger.html), code: '123456' });
    assert.match(await guessed.text(), /This code is not correct or has expired/);
  });

  it('is offered only to clients that allow USER_AUTH, and every form needs its CSRF token', async () => {
    const login = await (await new Browser().get(`${issuer}/oauth2/authorize?${query(clients.passwordOnly)}`)).text();
    assert.doesNotMatch(login, /passwordless/);
    const direct = await new Browser().get(`${issuer}/passwordless?${query(clients.passwordOnly)}&factor=EMAIL_OTP`);
    assert.equal(direct.status, 404);

    const browser = new Browser();
    const page = await browser.get(`${issuer}/passwordless?${query(clients.open)}&factor=EMAIL_OTP`);
    const fields = hiddenFields(await page.text());
    const before = sentCount('pia@example.com');
    const forged = await browser.post(`${issuer}/passwordless`, { ...fields, _csrf: 'x'.repeat(43), username: 'pia' });
    assert.equal(forged.status, 403);
    assert.equal(sentCount('pia@example.com'), before);
  });
});
