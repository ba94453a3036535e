import { AdminInitiateAuthCommand, CreateResourceServerCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, secretHash, type TestPool } from './support/pools.js';
import { signUpConfirmed } from './support/users.js';

const insecure = { execute: [oidc.allowInsecureRequests] };

describe('OAuth 2.0 endpoints with openid-client as the relying party', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let machine: TestPool;
  let issuer: string;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate, {}, {
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    issuer = `${cognate.url}/${pool.poolId}`;
    await cognate.admin.send(
      new CreateResourceServerCommand({
        UserPoolId: pool.poolId, Identifier: 'https://api.example.com', Name: 'api',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }, { ScopeName: 'write', ScopeDescription: 'write' }],
      }),
    );
    const { UserPoolClient } = await cognate.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId, ClientName: 'worker', GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['https://api.example.com/read'],
      }),
    );
    machine = { poolId: pool.poolId, clientId: UserPoolClient!.ClientId!, clientSecret: UserPoolClient!.ClientSecret! };
  });
  after(() => cognate.close());

  const configFor = (p: TestPool, auth?: oidc.ClientAuth) => oidc.discovery(new URL(issuer), p.clientId, p.clientSecret, auth, insecure);

  async function adminSignIn(username: string) {
    const { AuthenticationResult } = await cognate.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.poolId, ClientId: pool.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD, SECRET_HASH: secretHash(pool, username) },
      }),
    );
    return AuthenticationResult!;
  }

  it('client_credentials yields an access token with only the granted custom scope', async () => {
    const config = await configFor(machine);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'https://api.example.com/read' });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), { issuer });
    assert.equal(payload.token_use, 'access');
    assert.equal(payload.client_id, machine.clientId);
    assert.equal(payload.sub, machine.clientId);
    assert.equal(payload.scope, 'https://api.example.com/read');
    assert.equal(tokens.refresh_token, undefined);
    await assert.rejects(oidc.clientCredentialsGrant(config, { scope: 'https://api.example.com/write' }), (e: oidc.ResponseBodyError) => e.error === 'invalid_scope');
    const defaults = await oidc.clientCredentialsGrant(config);
    assert.equal(decodeJwt(defaults.access_token).scope, 'https://api.example.com/read', 'no scope asked: all granted custom scopes');
    const post = await configFor(machine, oidc.ClientSecretPost(machine.clientSecret));
    assert.ok((await oidc.clientCredentialsGrant(post)).access_token, 'client_secret_post works too');
  });

  it('refuses a wrong client secret with invalid_client and a Basic challenge', async () => {
    const response = await fetch(`${issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${machine.clientId}:wrong`)}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Basic/);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
    const config = await oidc.discovery(new URL(issuer), machine.clientId, 'not-the-secret', undefined, insecure);
    await assert.rejects(oidc.clientCredentialsGrant(config), (e: oidc.ResponseBodyError) => e.error === 'invalid_client');
  });

  it('refuses client_credentials for a client without that flow', async () => {
    const config = await configFor(pool);
    await assert.rejects(oidc.clientCredentialsGrant(config), (e: oidc.ResponseBodyError) => e.error === 'unauthorized_client');
  });

  it('refreshes with the refresh_token grant; openid-client validates the new ID token', async () => {
    await signUpConfirmed(cognate, { ...pool, clientSecret: undefined, clientId: (await createPublicClient()).clientId }, 'olive');
    const first = await adminSignIn('olive');
    const config = await configFor(pool);
    const refreshed = await oidc.refreshTokenGrant(config, first.RefreshToken!);
    assert.ok(refreshed.id_token);
    assert.equal(refreshed.claims()?.['cognito:username'], 'olive');
    assert.equal(decodeJwt(refreshed.access_token).origin_jti, decodeJwt(first.AccessToken!).origin_jti);
  });

  it('userInfo answers claims for a bearer access token and refuses a bad one', async () => {
    const tokens = await adminSignIn('olive');
    const config = await configFor(pool);
    const sub = decodeJwt(tokens.AccessToken!).sub!;
    const info = await oidc.fetchUserInfo(config, tokens.AccessToken!, sub);
    assert.equal(info.sub, sub);
    assert.equal(info.email, 'olive@example.com');
    assert.equal(info.email_verified, true);
    assert.equal(info.username, 'olive');
    const post = await fetch(`${issuer}/oauth2/userInfo`, { method: 'POST', headers: { authorization: `Bearer ${tokens.AccessToken}` } });
    assert.equal(post.status, 200);
    const bad = await fetch(`${issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.IdToken}` } });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /invalid_token/);
    const none = await fetch(`${issuer}/oauth2/userInfo`);
    assert.equal(none.status, 401);
    const machineToken = (await oidc.clientCredentialsGrant(await configFor(machine))).access_token;
    assert.equal((await fetch(`${issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${machineToken}` } })).status, 401, 'a client token has no user');
  });

  it('introspects own tokens, and revocation turns them inactive', async () => {
    const tokens = await adminSignIn('olive');
    const config = await configFor(pool);
    const access = await oidc.tokenIntrospection(config, tokens.AccessToken!);
    assert.equal(access.active, true);
    assert.equal(access.client_id, pool.clientId);
    assert.equal(access.username, 'olive');
    const refresh = await oidc.tokenIntrospection(config, tokens.RefreshToken!);
    assert.equal(refresh.active, true);
    const foreign = await oidc.tokenIntrospection(await configFor(machine), tokens.AccessToken!);
    assert.equal(foreign.active, false, "another client cannot introspect this client's tokens");
    assert.equal((await oidc.tokenIntrospection(config, 'garbage')).active, false);

    await oidc.tokenRevocation(config, tokens.RefreshToken!);
    assert.equal((await oidc.tokenIntrospection(config, tokens.RefreshToken!)).active, false);
    assert.equal((await oidc.tokenIntrospection(config, tokens.AccessToken!)).active, false, 'access tokens of the family go too');
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.RefreshToken!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
    await oidc.tokenRevocation(config, 'unknown-token');
  });

  it('answers malformed requests with invalid_request and unknown grants with unsupported_grant_type', async () => {
    const basic = `Basic ${btoa(`${machine.clientId}:${machine.clientSecret}`)}`;
    const post = (body: string, type = 'application/x-www-form-urlencoded') =>
      fetch(`${issuer}/oauth2/token`, { method: 'POST', headers: { 'content-type': type, authorization: basic }, body });
    const json = await post('{"grant_type":"client_credentials"}', 'application/json');
    assert.equal(((await json.json()) as { error: string }).error, 'invalid_request');
    const repeated = await post('grant_type=client_credentials&grant_type=client_credentials');
    assert.equal(((await repeated.json()) as { error: string }).error, 'invalid_request');
    const password = await post('grant_type=password&username=a&password=b');
    assert.equal(((await password.json()) as { error: string }).error, 'unsupported_grant_type');
    assert.equal(password.headers.get('cache-control'), 'no-store');
    const unknownPool = await fetch(`${cognate.url}/local_Nope12345/oauth2/token`, { method: 'POST' });
    assert.equal(unknownPool.status, 404);
  });

  async function createPublicClient() {
    const { UserPoolClient } = await cognate.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'public', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
    return { clientId: UserPoolClient!.ClientId! };
  }
});
