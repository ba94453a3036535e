import setupWasm, { type computeHash } from 'argon2id/lib/setup.js';
import { ARGON2ID_POLICY, HASH_BYTES, SALT_BYTES, constantTimeEqual, decodeArgon2id, encodeArgon2id } from '../core/phc.js';
import type { Argon2idParams } from '../core/phc.js';
import type { PasswordHasher } from '../ports.js';

/** The two builds shipped by the `argon2id` package, already compiled (imported, never built from bytes). */
export interface Argon2WasmModules {
  simd: WebAssembly.Module;
  noSimd: WebAssembly.Module;
}

// One instance per module pair: each holds a 65 MiB wasm memory (the module's declared
// minimum), so hashers created per request must not each get their own.
const instances = new WeakMap<WebAssembly.Module, Promise<computeHash>>();

function load(modules: Argon2WasmModules): Promise<computeHash> {
  let loading = instances.get(modules.simd);
  if (!loading) {
    loading = setupWasm(instantiate(modules.simd), instantiate(modules.noSimd));
    loading.catch(() => instances.delete(modules.simd));
    instances.set(modules.simd, loading);
  }
  return loading;
}

/**
 * argon2id in WebAssembly from precompiled modules, so it runs where run-time compilation is
 * blocked (production Workers). It computes synchronously on the calling thread, so hashes
 * in one isolate run one after another and share the instance's memory safely.
 */
export function createArgon2WasmHasher(modules: Argon2WasmModules): PasswordHasher {
  async function derive(password: string, salt: Uint8Array, params: Argon2idParams, length: number) {
    const argon2id = await load(modules);
    return argon2id({
      password: passwordBytes(password),
      salt,
      memorySize: params.memoryCost,
      passes: params.timeCost,
      parallelism: params.parallelism,
      tagLength: length,
    });
  }

  return {
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
      const hash = await derive(password, salt, ARGON2ID_POLICY, HASH_BYTES);
      return encodeArgon2id({ ...ARGON2ID_POLICY, salt, hash });
    },
    async verify(phc, password) {
      const stored = decodeArgon2id(phc);
      if (!stored) return false;
      const computed = await derive(password, stored.salt, stored, stored.hash.length);
      return constantTimeEqual(computed, stored.hash);
    },
  };
}

function instantiate(module: WebAssembly.Module) {
  return async (imports: WebAssembly.Imports) => ({ module, instance: await WebAssembly.instantiate(module, imports) });
}

function passwordBytes(password: string): Uint8Array {
  const bytes = new TextEncoder().encode(password);
  // argon2id 1.0.1 checks its 8-byte minimum against the array itself, which coerces through
  // toString and so rejects '' and single bytes below 8; RFC 9106 (and the native hasher)
  // accept any length. A NaN primitive makes that check pass for every input.
  Object.defineProperty(bytes, 'valueOf', { value: () => NaN });
  return bytes;
}
