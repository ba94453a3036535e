import { CognitoIdentityProviderClient, CreateUserPoolCommand, DeleteUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool } from './support/pools.js';
import { errorName } from './support/users.js';

async function poolCount(cognate: TestCognate): Promise<number> {
  return (await cognate.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.length;
}

async function signedFetch(cognate: TestCognate, body: string, options: { secret?: string; date?: Date; tamper?: (b: string) => string } = {}) {
  const url = new URL(cognate.url);
  const signer = new SignatureV4({
    service: 'cognito-idp',
    region: 'local',
    sha256: Sha256,
    credentials: { accessKeyId: 'AKIATESTADMIN0000001', secretAccessKey: options.secret ?? 'test-admin-secret-key-0123456789abcdef' },
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.CreateUserPool',
      },
      body,
    },
    { signingDate: options.date ?? new Date() },
  );
  const { host: _host, ...headers } = signed.headers;
  return fetch(cognate.url, { method: 'POST', headers, body: options.tamper ? options.tamper(body) : body });
}

describe('SigV4 on admin operations', () => {
  let cognate: TestCognate;
  before(async () => {
    cognate = await startCognate();
  });
  after(() => cognate.close());

  it('accepts a correctly signed raw request', async () => {
    const before = await poolCount(cognate);
    const response = await signedFetch(cognate, JSON.stringify({ PoolName: 'raw' }));
    assert.equal(response.status, 200);
    assert.equal(await poolCount(cognate), before + 1);
  });

  it('refuses unsigned, unknown-key, wrong-secret, stale and tampered requests and changes nothing', async () => {
    const before = await poolCount(cognate);
    const unsigned = await fetch(cognate.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.CreateUserPool' },
      body: JSON.stringify({ PoolName: 'unsigned' }),
    });
    assert.equal(unsigned.status, 403);
    assert.equal(((await unsigned.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');

    const stranger = new CognitoIdentityProviderClient({ endpoint: cognate.url, region: 'local', maxAttempts: 1, credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'whatever' } });
    await assert.rejects(stranger.send(new CreateUserPoolCommand({ PoolName: 'stranger' })), errorName('UnrecognizedClientException'));
    stranger.destroy();

    const wrongSecret = await signedFetch(cognate, JSON.stringify({ PoolName: 'wrong' }), { secret: 'not-the-secret' });
    assert.equal(wrongSecret.status, 403);
    assert.equal(((await wrongSecret.json()) as { __type: string }).__type, 'InvalidSignatureException');

    const stale = await signedFetch(cognate, JSON.stringify({ PoolName: 'stale' }), { date: new Date(Date.now() - 6 * 60_000) });
    assert.equal(stale.status, 403);
    assert.match(((await stale.json()) as { message: string }).message, /Signature expired/);

    const tampered = await signedFetch(cognate, JSON.stringify({ PoolName: 'good' }), { tamper: (b) => b.replace('good', 'evil') });
    assert.equal(tampered.status, 403);
    assert.equal(((await tampered.json()) as { __type: string }).__type, 'InvalidSignatureException');

    assert.equal(await poolCount(cognate), before, 'no refused request created a pool');
  });

  it('refuses a destructive call signed by the wrong key and the pool survives', async () => {
    const pool = await createPool(cognate);
    const attacker = new CognitoIdentityProviderClient({
      endpoint: cognate.url, region: 'local', maxAttempts: 1,
      credentials: { accessKeyId: 'AKIATESTADMIN0000001', secretAccessKey: 'guessed-secret' },
    });
    await assert.rejects(attacker.send(new DeleteUserPoolCommand({ UserPoolId: pool.poolId })), errorName('InvalidSignatureException'));
    attacker.destroy();
    const { UserPools } = await cognate.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(UserPools!.some((p) => p.Id === pool.poolId));
  });

  it('answers unknown operations and bad JSON in Cognito error format', async () => {
    const unknown = await fetch(cognate.url, { method: 'POST', headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.HackThePlanet' }, body: '{}' });
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as { __type: string }).__type, 'UnknownOperationException');
    const badJson = await fetch(cognate.url, { method: 'POST', headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' }, body: '{not json' });
    assert.equal(badJson.status, 400);
    assert.equal(((await badJson.json()) as { __type: string }).__type, 'SerializationException');
  });
});
