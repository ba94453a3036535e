import type { SigningKeyRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { keyStatus, rotateSigningKey } from '../tokens/rotation.js';
import type { SigningAlg } from '../tokens/keys.js';
import { optionalBool, optionalEnum, poolIdOf, type Input } from './input.js';
import { loadPool } from './pools.js';

function keyShape(key: SigningKeyRecord, now: number) {
  return {
    KeyId: key.kid,
    Algorithm: key.alg,
    Status: keyStatus(key, now),
    CreationDate: key.createdAt / 1000,
    ActivationDate: key.activatesAt / 1000,
    ...(key.retiresAt !== null ? { RetirementDate: key.retiresAt / 1000 } : {}),
    ...(key.expiresAt !== null ? { ExpirationDate: key.expiresAt / 1000 } : {}),
  };
}

/** Cognate extension: the pool's signing keys, as published and as scheduled. */
export async function listSigningKeys(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const now = core.clock.now();
  const keys = (await core.store.keys.list(pool.id)).filter((k) => k.expiresAt === null || k.expiresAt > now);
  return { Keys: keys.map((k) => keyShape(k, now)) };
}

/** Cognate extension: schedule a new signing key, or with `Immediate` replace a compromised one now. */
export async function rotateSigningKeyOperation(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const key = await rotateSigningKey(core, pool.id, {
    alg: optionalEnum(input, 'Algorithm', ['RS256', 'ES256']) as SigningAlg | undefined,
    immediate: optionalBool(input, 'Immediate') === true,
  });
  return { Key: keyShape(key, core.clock.now()) };
}
