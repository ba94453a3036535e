import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { hash as nativeHash } from '@node-rs/argon2';
import { ARGON2ID_POLICY, constantTimeEqual, decodeArgon2id, encodeArgon2id } from '../src/core/phc.js';
import { OverloadedError } from '../src/errors.js';
import { createNodeHasher } from '../src/runtime/node-hasher.js';
import { createArgon2WasmHasher } from '../src/runtime/wasm-argon2.js';

// Node cannot import .wasm as a module, so the test compiles the same files the Worker imports.
const wasmFile = (name: string) => new WebAssembly.Module(readFileSync(createRequire(import.meta.url).resolve(`argon2id/dist/${name}.wasm`)));
const wasm = createArgon2WasmHasher({ simd: wasmFile('simd'), noSimd: wasmFile('no-simd') });
const native = createNodeHasher();

const PHC_SHAPE = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;
const VALID = '$argon2id$v=19$m=19456,t=2,p=1$BwcHBwcHBwcHBwcHBwcHBw$WLRGUa13/B3MXznFse33FId4O++DaYL6ulYUMEhpRqE';
const MALFORMED = [
  '',
  'not a hash',
  VALID.replace('argon2id', 'argon2i'),
  VALID.replace('v=19', 'v=16'),
  VALID.replace('m=19456', 'm=019456'),
  VALID.replace('m=19456', 'm=9999999'),
  VALID.replace(',t=2', ''),
  VALID.replace('$BwcH', '$!wcH'),
  VALID + '=',
  VALID.slice(0, -1) + 'F', // non-canonical: stray low bits in the last character
  VALID.slice(0, -2),
  VALID.slice(0, VALID.lastIndexOf('$')),
];

for (const [name, hasher] of [['native (Node)', native], ['wasm', wasm]] as const) {
  describe(`${name} argon2id hasher`, () => {
    test('hash produces a PHC string with the shared parameters and verifies', async () => {
      const phc = await hasher.hash('correct horse battery staple');
      assert.match(phc, PHC_SHAPE);
      const { memoryCost, timeCost, parallelism, salt, hash } = decodeArgon2id(phc)!;
      assert.deepEqual({ memoryCost, timeCost, parallelism }, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
      assert.deepEqual({ memoryCost, timeCost, parallelism }, ARGON2ID_POLICY);
      assert.equal(salt.length, 16);
      assert.equal(hash.length, 32);
      assert.equal(await hasher.verify(phc, 'correct horse battery staple'), true);
    });

    test('salts are random', async () => {
      assert.notEqual(await hasher.hash('same'), await hasher.hash('same'));
    });

    test('a wrong password verifies false', async () => {
      const phc = await hasher.hash('Pa55word!');
      assert.equal(await hasher.verify(phc, 'Pa55word'), false);
      assert.equal(await hasher.verify(phc, 'pa55word!'), false);
    });

    test('a known vector verifies', async () => {
      assert.equal(await hasher.verify(VALID, 'correct horse battery'), true);
    });

    test('a malformed PHC string verifies false without throwing', async () => {
      for (const phc of MALFORMED) assert.equal(await hasher.verify(phc, 'correct horse battery'), false, phc);
      assert.equal(await hasher.verify(undefined as unknown as string, 'x'), false);
    });

    test('parameters are read from the stored string', async () => {
      const salt = new Uint8Array(16).fill(1);
      const phc = await nativeHash('older', { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 2, salt });
      assert.equal(await hasher.verify(phc, 'older'), true);
      assert.equal(await hasher.verify(phc, 'Older'), false);
    });
  });
}

describe('cross-runtime compatibility', () => {
  for (const password of ['', '\u0005', 'a', 'correct horse battery staple', 'ünïcødé 🔑 pass', 'x'.repeat(256)]) {
    test(`wasm ⇄ native for ${JSON.stringify(password.slice(0, 20))}`, async () => {
      const fromWasm = await wasm.hash(password);
      const fromNative = await native.hash(password);
      assert.equal(await native.verify(fromWasm, password), true);
      assert.equal(await wasm.verify(fromNative, password), true);
      assert.equal(await native.verify(fromWasm, password + '!'), false);
      assert.equal(await wasm.verify(fromNative, password + '!'), false);
    });
  }
});

describe('node hasher limits', () => {
  test('work beyond maxInFlight + maxQueued throws OverloadedError at once', async () => {
    const hasher = createNodeHasher({ maxInFlight: 1, maxQueued: 1 });
    let settled = false;
    const running = hasher.hash('one').finally(() => (settled = true));
    const queued = hasher.verify(VALID, 'correct horse battery');
    await assert.rejects(hasher.hash('three'), (error) => {
      assert.ok(error instanceof OverloadedError);
      assert.equal(error.code, 'TooManyRequestsException');
      assert.equal(error.message, 'Too many password operations in flight');
      return true;
    });
    assert.equal(settled, false, 'refused before the running hash finished');
    assert.match(await running, PHC_SHAPE);
    assert.equal(await queued, true);
    // Slots are released: the hasher accepts work again.
    assert.equal(await hasher.verify(await hasher.hash('four'), 'four'), true);
  });

  test('work up to maxInFlight + maxQueued completes and the rest is refused', async () => {
    const hasher = createNodeHasher({ maxInFlight: 2, maxQueued: 6 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => hasher.hash(`p${i}`)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 8);
    for (const r of results.slice(8)) assert.ok(r.status === 'rejected' && r.reason instanceof OverloadedError);
  });

  test('a malformed PHC string is rejected without taking a slot', async () => {
    const hasher = createNodeHasher({ maxInFlight: 1, maxQueued: 0 });
    const running = hasher.hash('busy');
    assert.equal(await hasher.verify('garbage', 'x'), false);
    await running;
  });
});

describe('phc helpers', () => {
  test('encode and decode round-trip', () => {
    const decoded = decodeArgon2id(VALID);
    assert.ok(decoded);
    assert.equal(encodeArgon2id(decoded), VALID);
    assert.deepEqual(decoded.salt, new Uint8Array(16).fill(7));
    assert.equal(decoded.hash.length, 32);
  });

  test('constantTimeEqual', () => {
    assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
    assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
    assert.equal(constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 2])), false);
  });
});

describe('hashing threads on Node', () => {
  test('run at the lowest priority, so the event loop always goes first', { skip: process.platform !== 'linux' && 'thread niceness is read from Linux /proc' }, async () => {
    const hasher = createNodeHasher({ maxInFlight: 1 });
    await hasher.hash('Correct-Horse-9');
    const { readdirSync } = await import('node:fs');
    const niceOf = (tid: string) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const others = readdirSync('/proc/self/task').filter((tid) => tid !== String(process.pid)).map(niceOf);
    assert.ok(others.includes(19), `a thread at niceness 19 among ${others.join(',')}`);
    assert.notEqual(niceOf(String(process.pid)), 19, 'the event loop keeps its priority');
  });
});
