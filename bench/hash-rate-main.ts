/**
 * The raw argon2id verification rate, for the password sign-in scenario to compare with.
 * Run pinned to the servers' core by the bench: HASH_SECONDS=5 node --import tsx bench/hash-rate-main.ts
 * Same library and parameters as Cognate's hasher, and as many verifications in flight as
 * Cognate's hasher allows on this core (src/runtime/node.ts: availableParallelism()).
 */
import { hash, verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import { ARGON2ID_POLICY, HASH_BYTES } from '../src/core/phc.js';

const ARGON2ID = 2; // Algorithm.Argon2id, a const enum in the package's types.
const PASSWORD = 'Correct-Horse-9';
const seconds = Number(process.env.HASH_SECONDS ?? 5);
const inFlight = availableParallelism();

const phc = await hash(PASSWORD, { algorithm: ARGON2ID, ...ARGON2ID_POLICY, outputLen: HASH_BYTES });
for (let i = 0; i < 3; i++) await verify(phc, PASSWORD);

let verified = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
const end = started + seconds * 1000;
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (performance.now() < end) {
      if (!(await verify(phc, PASSWORD))) throw new Error('verification failed');
      verified++;
    }
  }),
);
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({ rate: (verified * 1000) / elapsedMs, inFlight, cpuMsPerVerify: (cpu.user + cpu.system) / 1000 / verified }));
