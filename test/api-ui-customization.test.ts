import {
  CreateUserPoolClientCommand, GetUICustomizationCommand, SetUICustomizationCommand, UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extensionCall } from './support/extension-call.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { solidPng } from './support/png.js';
import { createPool, type TestPool } from './support/pools.js';
import { errorName } from './support/users.js';

const CALLBACK = 'https://app.example.com/callback';
const LOGO = solidPng(40, 20, [200, 30, 30]);

describe('GetUICustomization / SetUICustomization and the branded stylesheet and logo', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let branded: string;
  let plain: string;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
    const client = async (ClientName: string) =>
      (await cognate.admin.send(new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId, ClientName, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
      }))).UserPoolClient!.ClientId!;
    branded = await client('branded');
    plain = await client('plain');
  });
  after(() => cognate.close());

  const set = (input: Partial<ConstructorParameters<typeof SetUICustomizationCommand>[0]>) =>
    cognate.admin.send(new SetUICustomizationCommand({ UserPoolId: pool.poolId, ...input }));
  const css = (clientId?: string) => fetch(`${cognate.url}/${pool.poolId}/ui/style.css${clientId ? `?client_id=${clientId}` : ''}`).then((r) => r.text());

  it('stores pool-wide branding (ALL) and reports it for clients without their own', async () => {
    const empty = await cognate.admin.send(new GetUICustomizationCommand({ UserPoolId: pool.poolId }));
    assert.deepEqual({ ...empty.UICustomization }, { UserPoolId: pool.poolId, ClientId: 'ALL' });
    const { UICustomization } = await set({ CSS: '.banner-customizable { background: #123456; }', ImageFile: LOGO });
    assert.equal(UICustomization?.ClientId, 'ALL');
    assert.equal(UICustomization?.CSS, '.banner-customizable { background: #123456; }');
    assert.ok(UICustomization?.CSSVersion);
    assert.ok(UICustomization?.CreationDate instanceof Date);
    assert.match(UICustomization?.ImageUrl ?? '', new RegExp(`^${cognate.url}/${pool.poolId}/ui/logo\\?v=\\d+$`));
    const forClient = await cognate.admin.send(new GetUICustomizationCommand({ UserPoolId: pool.poolId, ClientId: plain }));
    assert.equal(forClient.UICustomization?.ClientId, 'ALL');
    assert.match(await css(plain), /background: #123456/);
    const logo = await fetch(UICustomization!.ImageUrl!);
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await logo.arrayBuffer()), LOGO);
  });

  it("lets a client's branding replace the pool's as a whole, kept across UpdateUserPoolClient", async () => {
    await set({ ClientId: branded, CSS: '.submitButton-customizable { background: #0a7d32; }' });
    const own = await cognate.admin.send(new GetUICustomizationCommand({ UserPoolId: pool.poolId, ClientId: branded }));
    assert.equal(own.UICustomization?.ClientId, branded);
    assert.equal(own.UICustomization?.ImageUrl, undefined);
    const sheet = await css(branded);
    assert.match(sheet, /#0a7d32/);
    assert.doesNotMatch(sheet, /#123456/);
    assert.equal((await fetch(`${cognate.url}/${pool.poolId}/ui/logo?client_id=${branded}`)).status, 404);
    assert.match(await css(), /#123456/, 'the pool-wide stylesheet is unchanged');

    await cognate.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientId: branded, ClientName: 'branded', CallbackURLs: [CALLBACK] }));
    assert.match(await css(branded), /#0a7d32/);
    const raw = await extensionCall(cognate, 'DescribeUserPoolClient', { UserPoolId: pool.poolId, ClientId: branded }, 'AWSCognitoIdentityProviderService.');
    assert.equal((raw.json.UserPoolClient as Record<string, unknown>).UICustomization, undefined, 'Describe leaves branding out');
    const rawPool = await extensionCall(cognate, 'DescribeUserPool', { UserPoolId: pool.poolId }, 'AWSCognitoIdentityProviderService.');
    assert.equal((rawPool.json.UserPool as Record<string, unknown>).UICustomization, undefined);

    await set({ ClientId: branded });
    const cleared = await cognate.admin.send(new GetUICustomizationCommand({ UserPoolId: pool.poolId, ClientId: branded }));
    assert.equal(cleared.UICustomization?.ClientId, 'ALL', 'clearing falls back to the pool-wide branding');
  });

  it('refuses CSS that could load from another site or run code', async () => {
    for (const bad of [
      'body { color: red } </style><script>alert(1)</script>',
      '@import "https://evil.example/x.css";',
      '@\\69mport "x.css";',
      'body { background: url(https://evil.example/x.png) }',
      'body { background: url(//evil.example/x.png) }',
      "body { background: url('http:evil.example/x.png') }",
      'body { background: \\75 rl(https://evil.example/x.png) }',
      'body { width: expression(alert(1)) }',
      'body { background: url(javascript:alert(1)) }',
      'body { background: url(/\\\\evil.example/x.png) }',
      'body { background: image-set("https://evil.example/x.png" 1x) }',
      'body { content: "/*" } body { background: url(https://evil.example/x.png) } /* "*/',
      'body { behavior: url(/x.htc) }',
      'body { background: url(data:image/svg+xml;base64,PHN2Zz4=) }',
    ]) {
      await assert.rejects(set({ CSS: bad }), errorName('InvalidParameterException'), bad);
    }
    for (const good of [
      '.logo-customizable { max-height: 4rem } /* see https://docs.example.com */',
      '.banner-customizable { background: url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==) }',
      '.background-customizable { background: url("/local/ui/logo") } .label-customizable { content: "a:b" }',
    ]) {
      await set({ CSS: good });
    }
  });

  it('accepts only PNG or JPEG logos up to 100 KB, and only from a signed caller', async () => {
    await assert.rejects(set({ ImageFile: Buffer.from('GIF89a....') }), errorName('InvalidParameterException'));
    const huge = Buffer.concat([LOGO, Buffer.alloc(100 * 1024)]);
    await assert.rejects(set({ ImageFile: huge }), errorName('InvalidParameterException'));
    await set({ ImageFile: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]) });
    assert.equal((await fetch(`${cognate.url}/${pool.poolId}/ui/logo`)).headers.get('content-type'), 'image/jpeg');
    await assert.rejects(
      cognate.app.send(new SetUICustomizationCommand({ UserPoolId: pool.poolId, CSS: 'a{}' })),
      (error: Error) => error.name !== 'InvalidParameterException',
    );
    await assert.rejects(set({ ClientId: 'nosuchclient' }), errorName('ResourceNotFoundException'));
  });

  it('puts the branding on the hosted pages: versioned stylesheet per client and the logo', async () => {
    await set({ CSS: '.banner-customizable { background: #123456; }', ImageFile: LOGO });
    const query = new URLSearchParams({ client_id: plain, redirect_uri: CALLBACK, response_type: 'code', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
    const html = await (await fetch(`${cognate.url}/${pool.poolId}/oauth2/authorize?${query}`)).text();
    assert.match(html, new RegExp(`<link rel="stylesheet" href="/${pool.poolId}/ui/style.css\\?client_id=${plain}&amp;v=\\d+"/>`));
    assert.match(html, new RegExp(`<img class="logo-customizable" src="/${pool.poolId}/ui/logo\\?client_id=${plain}&amp;v=\\d+" alt="plain"/>`));
  });
});
