import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { ARGON2ID_POLICY, HASH_BYTES, decodeArgon2id } from '../core/phc.js';
import { OverloadedError } from '../errors.js';
import type { PasswordHasher } from '../ports.js';

/**
 * Bounds on concurrent argon2id work. Each running hash holds 19 MiB and a libuv pool thread
 * (the same pool serves fs and dns.lookup); requests beyond both limits fail at once with
 * OverloadedError so callers answer TooManyRequestsException instead of piling up.
 */
export interface NodeHasherOptions {
  /** Hashes running at once (default 4, the default libuv pool size). */
  maxInFlight?: number;
  /** Requests waiting for a slot (default 64). */
  maxQueued?: number;
}

const ARGON2ID = 2; // Algorithm.Argon2id; the package exports it as a const enum.

export function createNodeHasher(options: NodeHasherOptions = {}): PasswordHasher {
  const limit = createLimiter(options.maxInFlight ?? 4, options.maxQueued ?? 64);
  return {
    hash(password) {
      return limit(() =>
        argon2Hash(password, { algorithm: ARGON2ID, ...ARGON2ID_POLICY, outputLen: HASH_BYTES }),
      );
    },
    async verify(phc, password) {
      // Same acceptance rules as the Workers hasher, so a row valid on one runtime is valid on both.
      if (!decodeArgon2id(phc)) return false;
      return limit(() => argon2Verify(phc, password).catch(() => false));
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
