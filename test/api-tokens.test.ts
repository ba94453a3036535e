import {
  AdminDisableUserCommand,
  AdminUserGlobalSignOutCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, base64url } from 'jose';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { createPool, type TestPool } from './support/pools.js';
import { errorName, signIn, signUpConfirmed } from './support/users.js';

const ID_CLAIMS = ['sub', 'iss', 'aud', 'token_use', 'auth_time', 'iat', 'exp', 'jti', 'origin_jti', 'cognito:username', 'email', 'email_verified', 'at_hash'];
const ACCESS_CLAIMS = ['sub', 'iss', 'client_id', 'token_use', 'scope', 'auth_time', 'iat', 'exp', 'jti', 'origin_jti', 'username'];

async function discover(cognate: TestCognate, poolId: string) {
  const response = await fetch(`${cognate.url}/${poolId}/.well-known/openid-configuration`);
  assert.equal(response.status, 200);
  return (await response.json()) as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
}

function refresh(cognate: TestCognate, pool: TestPool, token: string) {
  return cognate.app.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
}

describe('pool tokens', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
  });
  after(() => cognate.close());

  it('are verified by a third party from the discovered jwks_uri alone, with exactly the documented claims', async () => {
    const sub = await signUpConfirmed(cognate, pool, 'tess');
    const tokens = await signIn(cognate, pool, 'tess');
    const discovery = await discover(cognate, pool.poolId);
    assert.equal(discovery.issuer, `${cognate.url}/${pool.poolId}`);
    assert.ok(discovery.jwks_uri.startsWith(`${cognate.url}/`), 'jwks_uri is on the issuer host');
    const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload: id, protectedHeader } = await jwtVerify(tokens.IdToken!, keys, { issuer: discovery.issuer, audience: pool.clientId });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.ok(protectedHeader.kid);
    assert.equal(id.token_use, 'id');
    assert.equal(id.sub, sub);
    assert.equal(id['cognito:username'], 'tess');
    assert.equal(id.email, 'tess@example.com');
    assert.equal(id.email_verified, true);
    assert.deepEqual(Object.keys(id).sort(), [...ID_CLAIMS].sort());
    const expectedAtHash = base64url.encode(createHash('sha256').update(tokens.AccessToken!).digest().subarray(0, 16));
    assert.equal(id.at_hash, expectedAtHash);

    const { payload: access } = await jwtVerify(tokens.AccessToken!, keys, { issuer: discovery.issuer });
    assert.equal(access.token_use, 'access');
    assert.equal(access.client_id, pool.clientId);
    assert.equal(access.scope, 'aws.cognito.signin.user.admin');
    assert.equal(access.username, 'tess');
    assert.equal(access.origin_jti, id.origin_jti);
    assert.notEqual(access.jti, id.jti);
    assert.deepEqual(Object.keys(access).sort(), [...ACCESS_CLAIMS].sort());
    assert.equal((access.exp as number) - (access.iat as number), 3600);
  });

  it('can be ES256 when the pool asks for it at creation', async () => {
    const ec = await createPool(cognate, { UserPoolTags: { 'cognate:signing-alg': 'ES256' } });
    await signUpConfirmed(cognate, ec, 'ursula');
    const tokens = await signIn(cognate, ec, 'ursula');
    const discovery = await discover(cognate, ec.poolId);
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['ES256']);
    const { protectedHeader } = await jwtVerify(tokens.IdToken!, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: discovery.issuer, audience: ec.clientId });
    assert.equal(protectedHeader.alg, 'ES256');
  });

  it('refresh with REFRESH_TOKEN_AUTH keeps the sign-in family and auth_time', async () => {
    await signUpConfirmed(cognate, pool, 'vera');
    const first = await signIn(cognate, pool, 'vera');
    advance(cognate, 60_000);
    const { AuthenticationResult: next } = await refresh(cognate, pool, first.RefreshToken!);
    assert.equal(next?.RefreshToken, undefined, 'no new refresh token without rotation');
    const a = decodeJwt(first.IdToken!);
    const b = decodeJwt(next!.IdToken!);
    assert.equal(b.origin_jti, a.origin_jti);
    assert.equal(b.auth_time, a.auth_time);
    assert.ok((b.iat as number) > (a.iat as number));
    await assert.rejects(refresh(cognate, pool, 'not-a-token'), errorName('NotAuthorizedException'));
  });

  it('refresh tokens of one client do not work for another', async () => {
    await signUpConfirmed(cognate, pool, 'walt');
    const tokens = await signIn(cognate, pool, 'walt');
    const other = await createPool(cognate);
    await assert.rejects(refresh(cognate, { ...other }, tokens.RefreshToken!), errorName('NotAuthorizedException'));
  });

  it('rotate with GetTokensFromRefreshToken, and a reused token revokes the whole family', async () => {
    const rotating = await createPool(cognate, {}, { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } });
    await signUpConfirmed(cognate, rotating, 'xena');
    const first = await signIn(cognate, rotating, 'xena');
    const rotate = (token: string) => cognate.app.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotating.clientId, RefreshToken: token }));
    const second = (await rotate(first.RefreshToken!)).AuthenticationResult!;
    assert.ok(second.RefreshToken && second.RefreshToken !== first.RefreshToken);
    const third = (await rotate(second.RefreshToken!)).AuthenticationResult!;
    advance(cognate, 1000);
    await assert.rejects(rotate(first.RefreshToken!), errorName('NotAuthorizedException'), 'a rotated-away token is refused');
    await assert.rejects(rotate(third.RefreshToken!), errorName('NotAuthorizedException'), 'reuse revoked the newest token too');
    await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: third.AccessToken })), errorName('NotAuthorizedException'), 'and its access tokens');
    assert.ok((await signIn(cognate, rotating, 'xena')).RefreshToken, 'a new sign-in still works');
  });

  it('RevokeToken makes the refresh token and its access tokens unusable', async () => {
    await signUpConfirmed(cognate, pool, 'yuri');
    const tokens = await signIn(cognate, pool, 'yuri');
    const other = await signIn(cognate, pool, 'yuri');
    await cognate.app.send(new RevokeTokenCommand({ ClientId: pool.clientId, Token: tokens.RefreshToken! }));
    await assert.rejects(refresh(cognate, pool, tokens.RefreshToken!), errorName('NotAuthorizedException'));
    await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), errorName('NotAuthorizedException'));
    assert.ok((await refresh(cognate, pool, other.RefreshToken!)).AuthenticationResult, 'another session of the same user is untouched');
    await cognate.app.send(new RevokeTokenCommand({ ClientId: pool.clientId, Token: 'unknown-token' }));
  });

  it('GlobalSignOut and AdminUserGlobalSignOut end every session of the user', async () => {
    await signUpConfirmed(cognate, pool, 'zack');
    const a = await signIn(cognate, pool, 'zack');
    const b = await signIn(cognate, pool, 'zack');
    await cognate.app.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }));
    for (const session of [a, b]) {
      await assert.rejects(refresh(cognate, pool, session.RefreshToken!), errorName('NotAuthorizedException'));
      await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: session.AccessToken })), errorName('NotAuthorizedException'));
    }
    const c = await signIn(cognate, pool, 'zack');
    assert.ok((await cognate.app.send(new GetUserCommand({ AccessToken: c.AccessToken }))).Username, 'a sign-in after sign-out works');
    await cognate.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.poolId, Username: 'zack' }));
    await assert.rejects(refresh(cognate, pool, c.RefreshToken!), errorName('NotAuthorizedException'));
  });

  it('a disabled user can neither refresh nor use an access token', async () => {
    await signUpConfirmed(cognate, pool, 'abby');
    const tokens = await signIn(cognate, pool, 'abby');
    await cognate.admin.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'abby' }));
    await assert.rejects(refresh(cognate, pool, tokens.RefreshToken!), errorName('NotAuthorizedException'));
    await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), errorName('NotAuthorizedException'));
  });

  it('expired access tokens are refused', async () => {
    await signUpConfirmed(cognate, pool, 'ben');
    const tokens = await signIn(cognate, pool, 'ben');
    advance(cognate, 3_601_000);
    await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), (e: Error) => e.name === 'NotAuthorizedException' && /expired/.test(e.message));
  });

  it('refuses forged tokens: alg none, HS256 keyed with the public key, another pool key, tampered claims', async () => {
    await signUpConfirmed(cognate, pool, 'cleo');
    const tokens = await signIn(cognate, pool, 'cleo');
    const header = decodeProtectedHeader(tokens.AccessToken!);
    const claims = decodeJwt(tokens.AccessToken!);
    const getUser = (token: string) => cognate.app.send(new GetUserCommand({ AccessToken: token }));
    const b64 = (value: object) => base64url.encode(JSON.stringify(value));
    await assert.rejects(getUser(`${b64({ alg: 'none', typ: 'JWT', kid: header.kid })}.${b64(claims)}.`), errorName('NotAuthorizedException'));
    const jwks = (await (await fetch(`${cognate.url}/${pool.poolId}/.well-known/jwks.json`)).json()) as { keys: object[] };
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const hs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: header.kid }).sign(publicKeyBytes);
    await assert.rejects(getUser(hs256), errorName('NotAuthorizedException'));
    const [h, , s] = tokens.AccessToken!.split('.');
    await assert.rejects(getUser(`${h}.${b64({ ...claims, sub: 'someone-else' })}.${s}`), errorName('NotAuthorizedException'));
    const other = await createPool(cognate);
    await signUpConfirmed(cognate, other, 'cleo');
    const foreign = await signIn(cognate, other, 'cleo');
    const foreignClaims = decodeJwt(foreign.AccessToken!);
    const [fh, , fs] = foreign.AccessToken!.split('.');
    await assert.rejects(getUser(`${fh}.${b64({ ...foreignClaims, iss: claims.iss })}.${fs}`), errorName('NotAuthorizedException'));
    await assert.rejects(getUser(tokens.IdToken!), errorName('NotAuthorizedException'), 'an ID token is not an access token');
  });
});
