/**
 * argon2id (m=19456, t=2, p=1) cost per runtime. Run: node --import tsx bench/hash-speed.ts
 * workerd freezes clocks while a request computes, so its figures are timed from Node:
 * round trips of /hash minus round trips of /noop.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { createNodeHasher } from '../src/runtime/node-hasher.js';
import { createArgon2WasmHasher } from '../src/runtime/wasm-argon2.js';
import { startHasherWorker } from '../test/fixtures/start-hasher-worker.js';

const ROUNDS = Number(process.env.ROUNDS ?? 40);

async function timeEach(rounds: number, run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm-up: first call instantiates wasm / spins up pool threads
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const line = (label: string, sorted: number[]) =>
  console.log(`${label.padEnd(44)} median ${fmt(median(sorted))}  mean ${fmt(mean(sorted))}  min ${fmt(sorted[0]!)}`);

async function throughput(maxInFlight: number, total: number): Promise<number> {
  const hasher = createNodeHasher({ maxInFlight, maxQueued: total });
  await Promise.all(Array.from({ length: maxInFlight }, () => hasher.hash('warm-up')));
  const start = performance.now();
  await Promise.all(Array.from({ length: total }, (_, i) => hasher.hash(`password-${i}`)));
  return (total * 1000) / (performance.now() - start);
}

console.log(`argon2id m=19456 t=2 p=1, ${ROUNDS} rounds, ${availableParallelism()} cores, Node ${process.version}\n`);

const native = createNodeHasher();
line('Node native (@node-rs/argon2) hash', await timeEach(ROUNDS, () => native.hash('correct horse battery staple')));
const nativePhc = await native.hash('correct horse battery staple');
line('Node native verify', await timeEach(ROUNDS, () => native.verify(nativePhc, 'correct horse battery staple')));
for (const inFlight of [1, 2, 4]) {
  console.log(`${`Node native throughput, maxInFlight=${inFlight}`.padEnd(44)} ${(await throughput(inFlight, ROUNDS * 2)).toFixed(1)} hashes/s`);
}

const wasmFile = (name: string) => new WebAssembly.Module(readFileSync(createRequire(import.meta.url).resolve(`argon2id/dist/${name}.wasm`)));
const wasm = createArgon2WasmHasher({ simd: wasmFile('simd'), noSimd: wasmFile('no-simd') });
line('wasm (argon2id 1.0.1) in Node, main thread', await timeEach(ROUNDS, () => wasm.hash('correct horse battery staple')));

const worker = await startHasherWorker();
try {
  const noop = await timeEach(ROUNDS, () => worker.call('/noop', {}));
  const hash = await timeEach(ROUNDS, () => worker.call('/hash', { password: 'correct horse battery staple' }));
  const verify = await timeEach(ROUNDS, () => worker.call('/verify', { phc: nativePhc, password: 'correct horse battery staple' }));
  line('workerd round trip /noop', noop);
  line('workerd round trip /hash', hash);
  console.log(`${'wasm in workerd, per hash (minus /noop)'.padEnd(44)} median ${fmt(median(hash) - median(noop))}`);
  console.log(`${'wasm in workerd, per verify (minus /noop)'.padEnd(44)} median ${fmt(median(verify) - median(noop))}`);
} finally {
  await worker.dispose();
}
