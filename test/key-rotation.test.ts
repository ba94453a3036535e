import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runMaintenance } from '../src/core/maintenance.js';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { extensionCall } from './support/extension-call.js';
import { createPool, type TestPool } from './support/pools.js';
import { errorName, signIn, signUpConfirmed } from './support/users.js';

interface KeyShape { KeyId: string; Algorithm: string; Status: string }

describe('signing key rotation', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
    await signUpConfirmed(cognate, pool, 'rita');
  });
  after(() => cognate.close());

  const jwks = async () => (await (await fetch(`${cognate.url}/${pool.poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
  const kids = async () => (await jwks()).keys.map((k) => k.kid).sort();
  const keysOf = async () => (await extensionCall<{ Keys: KeyShape[] }>(cognate, 'ListSigningKeys', { UserPoolId: pool.poolId })).json.Keys;
  const verify = async (token: string) => jwtVerify(token, createLocalJWKSet(await jwks()), { issuer: `${cognate.url}/${pool.poolId}` });

  it('publishes a new key before it signs and keeps the old one until its tokens expire', async () => {
    const [first] = await keysOf();
    assert.equal(first?.Status, 'ACTIVE');
    const before = await signIn(cognate, pool, 'rita');
    assert.equal(decodeProtectedHeader(before.IdToken!).kid, first!.KeyId);

    const rotated = await extensionCall<{ Key: KeyShape }>(cognate, 'RotateSigningKey', { UserPoolId: pool.poolId });
    assert.equal(rotated.status, 200);
    const next = rotated.json.Key;
    assert.equal(next.Status, 'PENDING');
    assert.deepEqual(await kids(), [first!.KeyId, next.KeyId].sort(), 'published at once');
    const stillOld = await signIn(cognate, pool, 'rita');
    assert.equal(decodeProtectedHeader(stillOld.IdToken!).kid, first!.KeyId, 'but not used before the lead time');
    const again = await extensionCall<{ Key: KeyShape }>(cognate, 'RotateSigningKey', { UserPoolId: pool.poolId });
    assert.equal(again.json.Key.KeyId, next.KeyId, 'a waiting key is not multiplied');

    advance(cognate, 11 * 60_000);
    const after = await signIn(cognate, pool, 'rita');
    assert.equal(decodeProtectedHeader(after.IdToken!).kid, next.KeyId, 'the new key signs after the lead time');
    await verify(stillOld.IdToken!);
    assert.ok((await cognate.app.send(new GetUserCommand({ AccessToken: stillOld.AccessToken }))).Username, 'tokens of the retiring key still work');
    assert.deepEqual((await keysOf()).map((k) => k.Status).sort(), ['ACTIVE', 'RETIRING']);

    advance(cognate, 86_400_000 + 6 * 60_000);
    await runMaintenance(cognate.server.core, 90);
    assert.deepEqual(await kids(), [next.KeyId], 'the old key leaves once every token it signed has expired');
  });

  it('rotates on schedule when the key is older than the rotation period', async () => {
    const before = await kids();
    await runMaintenance(cognate.server.core, 90);
    assert.deepEqual(await kids(), before, 'nothing is due yet');
    advance(cognate, 91 * 86_400_000);
    await runMaintenance(cognate.server.core, 90);
    const keys = await keysOf();
    assert.equal(keys.filter((k) => k.Status === 'PENDING').length, 1);
  });

  it('replaces a compromised key at once: its tokens stop working', async () => {
    const tokens = await signIn(cognate, pool, 'rita');
    const replaced = await extensionCall<{ Key: KeyShape }>(cognate, 'RotateSigningKey', { UserPoolId: pool.poolId, Immediate: true, Algorithm: 'ES256' });
    assert.equal(replaced.json.Key.Status, 'ACTIVE');
    assert.deepEqual(await kids(), [replaced.json.Key.KeyId]);
    await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), errorName('NotAuthorizedException'));
    const fresh = await signIn(cognate, pool, 'rita');
    const { protectedHeader } = await verify(fresh.IdToken!);
    assert.equal(protectedHeader.alg, 'ES256');
  });

  it('refuses unsigned extension calls and unknown pools', async () => {
    const unsigned = await fetch(cognate.url, { method: 'POST', headers: { 'x-amz-target': 'CognateAdmin.RotateSigningKey' }, body: JSON.stringify({ UserPoolId: pool.poolId }) });
    assert.equal(unsigned.status, 403);
    const missing = await extensionCall<{ __type: string }>(cognate, 'RotateSigningKey', { UserPoolId: 'local_Nope12345' });
    assert.equal(missing.json.__type, 'ResourceNotFoundException');
  });
});
