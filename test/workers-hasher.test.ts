import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNodeHasher } from '../src/runtime/node-hasher.js';
import { startHasherWorker, type HasherWorker } from './fixtures/start-hasher-worker.js';

describe('wasm argon2id hasher inside workerd', () => {
  const native = createNodeHasher();
  let worker: HasherWorker;

  before(async () => {
    worker = await startHasherWorker();
  });
  after(async () => {
    await worker?.dispose();
  });

  test('hashes with the shared policy and verifies its own hash', async () => {
    const { phc } = await worker.call<{ phc: string }>('/hash', { password: 'workerd secret' });
    assert.match(phc, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.deepEqual(await worker.call('/verify', { phc, password: 'workerd secret' }), { ok: true });
    assert.deepEqual(await worker.call('/verify', { phc, password: 'workerd secreT' }), { ok: false });
  });

  test('a hash made in workerd verifies with the native Node hasher', async () => {
    const { phc } = await worker.call<{ phc: string }>('/hash', { password: 'from the edge ✓' });
    assert.equal(await native.verify(phc, 'from the edge ✓'), true);
    assert.equal(await native.verify(phc, 'from the edge'), false);
  });

  test('a native Node hash verifies inside workerd', async () => {
    const phc = await native.hash('from the origin ✓');
    assert.deepEqual(await worker.call('/verify', { phc, password: 'from the origin ✓' }), { ok: true });
    assert.deepEqual(await worker.call('/verify', { phc, password: 'from the origin' }), { ok: false });
  });

  test('a malformed PHC string verifies false inside workerd', async () => {
    assert.deepEqual(await worker.call('/verify', { phc: '$argon2id$v=19$m=19456', password: 'x' }), { ok: false });
  });
});
