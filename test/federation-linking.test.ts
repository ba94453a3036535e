import {
  AdminCreateUserCommand, AdminDisableProviderForUserCommand, AdminGetUserCommand, AdminLinkProviderForUserCommand, AdminSetUserPasswordCommand,
  UpdateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Browser, hiddenFields } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { federatedApp, redeem, signInThrough, startSignIn, users, type FederatedApp } from './support/federation.js';
import { startOidcUpstream, type OidcUpstream } from './support/oidc-upstream.js';
import { PASSWORD } from './support/pools.js';

/** The hidden fields of the first form on the page (the page has one form per choice). */
const firstForm = (html: string) => hiddenFields(/<form[\s\S]*?<\/form>/.exec(html)![0]);
const attribute = (list: { Name?: string; Value?: string }[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;

describe('account linking: admin links, link policies and the hosted account page', () => {
  let cognate: TestCognate;
  let upstream: OidcUpstream;
  let app: FederatedApp;
  let details: Record<string, string>;
  let counter = 0;

  before(async () => {
    cognate = await startCognate();
    app = await federatedApp(cognate, async (redirectUri) => {
      upstream = await startOidcUpstream([redirectUri]);
      details = { client_id: upstream.clientId, client_secret: upstream.clientSecret, oidc_issuer: upstream.issuer, authorize_scopes: 'openid email profile' };
      return [{ ProviderName: 'Upstream', ProviderType: 'OIDC', ProviderDetails: details, AttributeMapping: { email: 'email', name: 'name' } }];
    });
  });
  after(async () => {
    await cognate.close();
    await upstream.close();
  });

  /** Each case gets its own upstream account and native user, so cases do not see each other's links. */
  let subject: string;
  let email: string;
  beforeEach(() => {
    counter += 1;
    subject = `person-${counter}`;
    email = `person${counter}@example.org`;
  });

  async function linkPolicy(policy: string) {
    await app.admin.send(new UpdateIdentityProviderCommand({ UserPoolId: app.poolId, ProviderName: 'Upstream', ProviderDetails: { ...details, link_policy: policy } }));
  }

  async function nativeUser(username: string, attributes: Record<string, string>) {
    await app.admin.send(new AdminCreateUserCommand({
      UserPoolId: app.poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }));
    await app.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: app.poolId, Username: username, Password: PASSWORD, Permanent: true }));
    const { UserAttributes } = await app.admin.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: username }));
    return attribute(UserAttributes, 'sub')!;
  }

  async function upstreamSignIn(claims: Record<string, unknown>, browser = new Browser()) {
    upstream.accounts.set(subject, claims);
    upstream.nextLogin = subject;
    const { callback, checks } = await signInThrough(app, browser, { identity_provider: 'Upstream' });
    return (await redeem(app, callback, checks)).claims()!;
  }

  const link = (username: string, value = subject) => app.admin.send(new AdminLinkProviderForUserCommand({
    UserPoolId: app.poolId,
    DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: username },
    SourceUser: { ProviderName: 'Upstream', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: value },
  }));

  it('an admin-linked identity signs in as the native user: one sub, identities listed; disabling the link separates them again', async () => {
    await linkPolicy('never');
    const sub = await nativeUser(`native${counter}`, { email, email_verified: 'true' });
    await link(`native${counter}`);
    await link(`native${counter}`); // linking again changes nothing
    const claims = await upstreamSignIn({ email, email_verified: true, name: 'Linked Person' });
    assert.equal(claims.sub, sub);
    assert.equal(claims['cognito:username'], `native${counter}`);
    assert.deepEqual((claims.identities as { userId: string; providerName: string }[]).map((i) => [i.providerName, i.userId]), [['Upstream', subject]]);
    const { UserAttributes, UserStatus } = await app.admin.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: `native${counter}` }));
    assert.equal(UserStatus, 'CONFIRMED');
    assert.equal(attribute(UserAttributes, 'name'), 'Linked Person', 'mapped attributes reach the native user');
    assert.match(attribute(UserAttributes, 'identities') ?? '', /"providerName":"Upstream"/);

    await app.admin.send(new AdminDisableProviderForUserCommand({
      UserPoolId: app.poolId, User: { ProviderName: 'Upstream', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: subject },
    }));
    const after = await app.admin.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: `native${counter}` }));
    assert.equal(attribute(after.UserAttributes, 'identities'), undefined, 'unlinked');
    const separate = await upstreamSignIn({ email, email_verified: true });
    assert.notEqual(separate.sub, sub);
    assert.equal(separate['cognito:username'], `Upstream_${subject}`);
  });

  it('refuses links Cognito refuses: a federated destination, an identity that already has its own user, a sixth link', async () => {
    await linkPolicy('never');
    await upstreamSignIn({ email, email_verified: true });
    const federatedSubject = subject;
    await assert.rejects(link(`Upstream_${federatedSubject}`, 'someone-else'), { name: 'InvalidParameterException' });
    await nativeUser(`target${counter}`, { email: `t${counter}@example.org` });
    await assert.rejects(link(`target${counter}`, federatedSubject), (e: Error) => e.name === 'InvalidParameterException' && /Merging is not currently supported/.test(e.message));
    for (let i = 0; i < 5; i++) await link(`target${counter}`, `extra-${counter}-${i}`);
    await assert.rejects(link(`target${counter}`, `extra-${counter}-5`), { name: 'LimitExceededException' });
    await assert.rejects(link(`nobody${counter}`), { name: 'UserNotFoundException' });
  });

  it('verified_email links only when both sides have the email verified', async () => {
    await linkPolicy('verified_email');
    const verified = await nativeUser(`v${counter}`, { email, email_verified: 'true' });
    assert.equal((await upstreamSignIn({ email, email_verified: true })).sub, verified, 'both verified: linked');

    counter += 1;
    subject = `person-${counter}`;
    const unverifiedUpstream = `up${counter}@example.org`;
    const native = await nativeUser(`u${counter}`, { email: unverifiedUpstream, email_verified: 'true' });
    const claims = await upstreamSignIn({ email: unverifiedUpstream, email_verified: false });
    assert.notEqual(claims.sub, native, 'an unverified upstream email links nothing');

    counter += 1;
    subject = `person-${counter}`;
    const unverifiedNative = `nat${counter}@example.org`;
    const other = await nativeUser(`n${counter}`, { email: unverifiedNative, email_verified: 'false' });
    assert.notEqual((await upstreamSignIn({ email: unverifiedNative, email_verified: true })).sub, other, 'an unverified native email links nothing');
    const before = (await users(app)).length;
    assert.ok(before > 0);
  });

  async function confirmPage(browser: Browser) {
    upstream.accounts.set(subject, { email, email_verified: false, name: 'Claimant' });
    upstream.nextLogin = subject;
    const { response, checks } = await startSignIn(app, browser, { identity_provider: 'Upstream' });
    let page = await browser.get(response.headers.get('location')!);
    while (page.status === 302 || page.status === 303) page = await browser.get(new URL(page.headers.get('location')!, page.url).href);
    const html = await page.text();
    return { page, html, checks };
  }

  it('confirm: the person proves the native account with its password before the link is made; a wrong one links nothing', async () => {
    await linkPolicy('confirm');
    const sub = await nativeUser(`c${counter}`, { email, email_verified: 'true' });
    const browser = new Browser();
    const { html, checks } = await confirmPage(browser);
    assert.match(html, /Link your account/);
    const action = `${cognate.url}/${app.poolId}/linkAccount`;
    const wrong = await browser.post(action, { ...firstForm(html), password: 'Wrong-Horse-1' });
    assert.equal(wrong.status, 400);
    const retry = await wrong.text();
    assert.match(retry, /Incorrect username or password/);
    assert.equal((await users(app)).some((u) => u.Username === `Upstream_${subject}`), false, 'nothing created');

    const linked = await browser.post(action, { ...firstForm(retry), password: PASSWORD });
    assert.equal(linked.status, 302);
    const callback = new URL(linked.headers.get('location')!);
    const claims = (await redeem(app, callback, checks)).claims()!;
    assert.equal(claims.sub, sub);
  });

  it('confirm: an emailed code proves the account too, and declining creates a separate user', async () => {
    await linkPolicy('confirm');
    const sub = await nativeUser(`e${counter}`, { email, email_verified: 'true' });
    const browser = new Browser();
    const { html, checks } = await confirmPage(browser);
    const action = `${cognate.url}/${app.poolId}/linkAccount`;
    const sent = await browser.post(action, { ...firstForm(html), intent: 'send-code' });
    const codePage = await sent.text();
    assert.match(codePage, /We sent a code to/);
    const code = /(\d{6})/.exec(cognate.inbox.last(email).body)![1]!;
    const linked = await browser.post(action, { ...firstForm(codePage), code });
    assert.equal(linked.status, 302);
    assert.equal((await redeem(app, new URL(linked.headers.get('location')!), checks)).claims()!.sub, sub);

    counter += 1;
    subject = `person-${counter}`;
    email = `person${counter}@example.org`;
    const other = await nativeUser(`d${counter}`, { email, email_verified: 'true' });
    const second = new Browser();
    const declined = await confirmPage(second);
    const forms = [...declined.html.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]);
    const declineForm = forms.find((f) => f.includes('value="decline"'))!;
    const answer = await second.post(action, hiddenFields(declineForm));
    assert.equal(answer.status, 302);
    const claims = (await redeem(app, new URL(answer.headers.get('location')!), declined.checks)).claims()!;
    assert.notEqual(claims.sub, other);
    assert.equal(claims['cognito:username'], `Upstream_${subject}`);
  });

  it('confirm: a pending link works once, and only in the browser that started it', async () => {
    await linkPolicy('confirm');
    await nativeUser(`o${counter}`, { email, email_verified: 'true' });
    const browser = new Browser();
    const { html } = await confirmPage(browser);
    const action = `${cognate.url}/${app.poolId}/linkAccount`;
    const thief = new Browser();
    for (const [k, v] of browser.cookies) if (k !== 'cognate_browser') thief.cookies.set(k, v);
    const stolen = await thief.post(action, { ...firstForm(html), password: PASSWORD });
    assert.equal(stolen.status, 400);
    assert.match(await stolen.text(), /another browser|expired/);
    // The failed attempt used the pending link up: the owner starts again, and a replay of that one fails too.
    const fresh = await confirmPage(browser);
    assert.equal((await browser.post(action, { ...firstForm(fresh.html), password: PASSWORD })).status, 302);
    assert.equal((await browser.post(action, { ...firstForm(fresh.html), password: PASSWORD })).status, 400);
  });

  it('a signed-in native user links the provider from the account page, then unlinks it', async () => {
    await linkPolicy('never');
    const sub = await nativeUser(`a${counter}`, { email, email_verified: 'true' });
    const browser = new Browser();
    const { response } = await startSignIn(app, browser, {});
    const login = await response.text();
    const query = new URL(response.url).search;
    const signedIn = await browser.post(`${cognate.url}/${app.poolId}/login`, { ...firstForm(login), username: `a${counter}`, password: PASSWORD });
    assert.equal(signedIn.status, 302);

    const account = `${cognate.url}/${app.poolId}/account${query}`;
    const page = await (await browser.get(account)).text();
    assert.match(page, /Link Upstream/);
    upstream.accounts.set(subject, { email: `other${counter}@example.org`, email_verified: true });
    upstream.nextLogin = subject;
    let hop = await browser.post(`${cognate.url}/${app.poolId}/account`, { ...firstForm(page), intent: 'link', provider: 'Upstream' });
    while (hop.status >= 300 && hop.status < 400 && !hop.headers.get('location')!.includes('/account?')) hop = await browser.get(new URL(hop.headers.get('location')!, hop.url).href);
    const linkedPage = await (await browser.get(new URL(hop.headers.get('location')!, hop.url).href)).text();
    assert.match(linkedPage, /Upstream is now linked to your account/);
    assert.equal((await upstreamSignIn({ email: `other${counter}@example.org`, email_verified: true })).sub, sub, 'the provider now signs in as the native user');

    const unlinked = await browser.post(`${cognate.url}/${app.poolId}/account`, { ...firstForm(linkedPage), intent: 'unlink', provider: 'Upstream' });
    assert.match(await unlinked.text(), /Upstream is no longer linked/);
    const { UserAttributes } = await app.admin.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: `a${counter}` }));
    assert.equal(attribute(UserAttributes, 'identities'), undefined);
    assert.equal((await browser.get(`${cognate.url}/${app.poolId}/account${query}`, {})).status, 200);
    const stranger = await new Browser().get(account);
    assert.equal(stranger.status, 302, 'no session: sign in first');
    assert.match(stranger.headers.get('location')!, /\/login\?/);
  });
});
