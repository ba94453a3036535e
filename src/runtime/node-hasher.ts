import { Worker } from 'node:worker_threads';
import { ARGON2ID_POLICY, HASH_BYTES, decodeArgon2id } from '../core/phc.js';
import { OverloadedError } from '../errors.js';
import type { PasswordHasher } from '../ports.js';

/** Messages to and from src/runtime/hash-worker.js. */
type HashTask = { op: 'hash'; password: string } | { op: 'verify'; phc: string; password: string };
type HashOutcome = { value: string | boolean } | { error: string };

const ARGON2ID = 2; // Algorithm.Argon2id; the package exports it as a const enum.
const HASH_OPTIONS = { algorithm: ARGON2ID, ...ARGON2ID_POLICY, outputLen: HASH_BYTES };
const WORKER_FILE = new URL('./hash-worker.js', import.meta.url);

/**
 * Bounds on concurrent argon2id work. Each running hash holds 19 MiB and one of the hasher's
 * threads; requests beyond both limits fail at once with OverloadedError so callers answer
 * TooManyRequestsException instead of piling up.
 */
export interface NodeHasherOptions {
  /** Hashes running at once, each on its own thread (default 4). */
  maxInFlight?: number;
  /** Requests waiting for a slot (default 64). */
  maxQueued?: number;
}

/**
 * argon2id (@node-rs/argon2) in worker threads of lower priority than the event loop
 * (src/runtime/hash-worker.js), one per hash in flight.
 */
export function createNodeHasher(options: NodeHasherOptions = {}): PasswordHasher {
  const limit = createLimiter(options.maxInFlight ?? 4, options.maxQueued ?? 64);
  const threads = createHashThreads();
  return {
    async hash(password) {
      return String(await limit(() => threads.run({ op: 'hash', password })));
    },
    async verify(phc, password) {
      // Same acceptance rules as the Workers hasher, so a row valid on one runtime is valid on both.
      if (!decodeArgon2id(phc)) return false;
      return limit(() => threads.run({ op: 'verify', phc, password }).then((valid) => valid === true, () => false));
    },
  };
}

/** The limiter keeps at most maxInFlight tasks running, so an idle thread is there or is made. */
function createHashThreads() {
  const idle: Worker[] = [];
  const spawn = () => {
    const worker = new Worker(WORKER_FILE, { workerData: { hashOptions: HASH_OPTIONS } });
    worker.unref(); // an idle hasher must not keep the process alive
    return worker;
  };
  return {
    run(task: HashTask): Promise<string | boolean> {
      const worker = idle.pop() ?? spawn();
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => {
          worker.off('message', onMessage);
          reject(error); // a crashed thread is not reused
        };
        const onMessage = (outcome: HashOutcome) => {
          worker.off('error', onError);
          idle.push(worker);
          if ('error' in outcome) reject(new Error(outcome.error));
          else resolve(outcome.value);
        };
        worker.once('message', onMessage);
        worker.once('error', onError);
        worker.postMessage(task);
      });
    },
  };
}

function createLimiter(maxInFlight: number, maxQueued: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running < maxInFlight) {
      running++;
    } else {
      if (waiting.length >= maxQueued) throw new OverloadedError('Too many password operations in flight');
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      // A finished task hands its slot straight to the next waiter, so `running` stays put.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
