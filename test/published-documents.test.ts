import { DeleteUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCognate, type TestCognate } from './support/cognate.js';
import { extensionCall } from './support/extension-call.js';
import { createPool, type TestPool } from './support/pools.js';

interface Answer { status: number; body: string; headers: Record<string, string | null> }

/**
 * JWKS and discovery are answered twice over on Node: by the Hono routes when the key cache is
 * cold, and straight from the cache once it is warm. A relying party must not see a difference.
 */
describe('published documents (JWKS and discovery)', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
  });
  after(() => cognate.close());

  const get = async (path: string): Promise<Answer> => {
    const response = await fetch(`${cognate.url}${path}`);
    const headers = Object.fromEntries(['content-type', 'cache-control', 'content-length'].map((h) => [h, response.headers.get(h)]));
    return { status: response.status, body: await response.text(), headers };
  };

  for (const document of ['jwks.json', 'openid-configuration']) {
    it(`answers ${document} the same cold and warm, with or without a query`, async () => {
      cognate.server.core.keys.invalidate(pool.poolId);
      const cold = await get(`/${pool.poolId}/.well-known/${document}`);
      const warm = await get(`/${pool.poolId}/.well-known/${document}`);
      const withQuery = await get(`/${pool.poolId}/.well-known/${document}?probe=1`);
      assert.equal(cold.status, 200);
      assert.deepEqual(warm, cold);
      assert.deepEqual(withQuery, cold);
      assert.equal(cold.headers['cache-control'], 'public, max-age=300');
      assert.match(cold.headers['content-type'] ?? '', /^application\/json/);
      assert.equal(Number(cold.headers['content-length']), Buffer.byteLength(cold.body));
      const parsed = JSON.parse(cold.body) as { keys?: unknown[]; issuer?: string };
      if (document === 'jwks.json') assert.equal(parsed.keys?.length, 1);
      else assert.equal(parsed.issuer, `${cognate.url}/${pool.poolId}`);
    });
  }

  it('publishes a rotated key at once, warm cache or not', async () => {
    await get(`/${pool.poolId}/.well-known/jwks.json`);
    const rotated = await extensionCall<{ Key: { KeyId: string } }>(cognate, 'RotateSigningKey', { UserPoolId: pool.poolId });
    const kids = (JSON.parse((await get(`/${pool.poolId}/.well-known/jwks.json`)).body) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    assert.ok(kids.includes(rotated.json.Key.KeyId));
  });

  it('answers 404 for a pool that does not exist or was deleted, every time', async () => {
    const other = await createPool(cognate);
    assert.equal((await get(`/${other.poolId}/.well-known/jwks.json`)).status, 200);
    await cognate.admin.send(new DeleteUserPoolCommand({ UserPoolId: other.poolId }));
    for (const path of [`/${other.poolId}/.well-known/jwks.json`, `/${other.poolId}/.well-known/openid-configuration`, '/us-east-1_Nope12345/.well-known/jwks.json', '/not-a-pool/.well-known/jwks.json']) {
      for (let i = 0; i < 2; i++) {
        const answer = await get(path);
        assert.equal(answer.status, 404, path);
        assert.deepEqual(JSON.parse(answer.body), { error: 'not_found' });
      }
    }
  });
});
