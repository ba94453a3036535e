import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, hiddenFields } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { signUpConfirmed } from './support/users.js';

const CALLBACK = 'https://spa.example.com/cb';

describe('implicit flow (only for clients that allow it)', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let clientId: string;
  let issuer: string;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
    await signUpConfirmed(cognate, pool, 'ivo');
    const { UserPoolClient } = await cognate.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId, ClientName: 'legacy-spa', AllowedOAuthFlows: ['implicit'], AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    clientId = UserPoolClient!.ClientId!;
    issuer = `${cognate.url}/${pool.poolId}`;
  });
  after(() => cognate.close());

  const url = (params: Record<string, string>) =>
    `${issuer}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email', state: 'st', ...params })}`;

  it('returns tokens in the fragment, with the nonce in the ID token', async () => {
    const browser = new Browser();
    const page = await browser.get(url({ response_type: 'token', nonce: 'n-123' }));
    const answer = await browser.post(`${issuer}/login`, { ...hiddenFields(await page.text()), username: 'ivo', password: PASSWORD });
    const location = new URL(answer.headers.get('location')!);
    assert.equal(location.search, '', 'nothing in the query');
    const fragment = new URLSearchParams(location.hash.slice(1));
    assert.equal(fragment.get('state'), 'st');
    assert.equal(fragment.get('token_type'), 'Bearer');
    const { payload } = await jwtVerify(fragment.get('id_token')!, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), { issuer, audience: clientId });
    assert.equal(payload.nonce, 'n-123');
    assert.equal(fragment.get('refresh_token'), null, 'no refresh token through the front channel');
  });

  it('requires a nonce, and refuses the code flow this client was not given', async () => {
    const noNonce = await fetch(url({ response_type: 'token' }), { redirect: 'manual' });
    assert.equal(new URLSearchParams(new URL(noNonce.headers.get('location')!).hash.slice(1)).get('error'), 'invalid_request');
    const codeFlow = await fetch(url({ response_type: 'code' }), { redirect: 'manual' });
    assert.equal(new URL(codeFlow.headers.get('location')!).searchParams.get('error'), 'unauthorized_client');
  });
});
