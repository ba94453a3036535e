import simd from 'argon2id/dist/simd.wasm';
import noSimd from 'argon2id/dist/no-simd.wasm';
import type { PasswordHasher } from '../ports.js';
import { createArgon2WasmHasher } from './wasm-argon2.js';

/** argon2id for Workers: wrangler bundles these .wasm imports as precompiled WebAssembly.Modules. */
export function createWasmHasher(): PasswordHasher {
  return createArgon2WasmHasher({ simd, noSimd });
}
