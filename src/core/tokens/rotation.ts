import { InvalidParameterError } from '../../errors.js';
import type { SigningKeyRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { generateSigningKey, SIGNING_ALGS, type SigningAlg } from './keys.js';

/** A new key is published this long before it signs, longer than any JWKS cache we allow (max-age 300 s). */
export const PUBLISH_LEAD_MS = 10 * 60_000;
/** ID and access tokens live at most a day; a retired key stays published that long after its last signature. */
const LONGEST_TOKEN_MS = 86_400_000;
const CACHE_MARGIN_MS = 5 * 60_000;
export const DEFAULT_ROTATION_MS = 90 * 86_400_000;

export type KeyStatus = 'PENDING' | 'ACTIVE' | 'RETIRING';

export function keyStatus(key: SigningKeyRecord, now: number): KeyStatus {
  if (key.activatesAt > now) return 'PENDING';
  if (key.retiresAt !== null && key.retiresAt <= now) return 'RETIRING';
  return 'ACTIVE';
}

function live(keys: SigningKeyRecord[], now: number): SigningKeyRecord[] {
  return keys.filter((k) => k.expiresAt === null || k.expiresAt > now);
}

export interface RotateOptions {
  alg?: SigningAlg;
  /**
   * For a compromised key: the new key signs at once and every older key leaves the JWKS
   * now, so tokens they signed stop verifying.
   */
  immediate?: boolean;
}

/**
 * Adds a signing key. Normally it is published now and signs after PUBLISH_LEAD_MS, and
 * the keys it replaces stay published until every token they signed has expired.
 * A pool with a key already waiting keeps that one.
 */
export async function rotateSigningKey(core: Core, poolId: string, options: RotateOptions = {}): Promise<SigningKeyRecord> {
  const now = core.clock.now();
  const keys = live(await core.store.keys.list(poolId), now);
  const pending = keys.find((k) => keyStatus(k, now) === 'PENDING');
  if (pending && !options.immediate) return pending;
  const current = keys.filter((k) => keyStatus(k, now) === 'ACTIVE').at(-1);
  const alg = options.alg ?? ((current?.alg ?? 'RS256') as SigningAlg);
  if (!SIGNING_ALGS.includes(alg)) throw new InvalidParameterError(`Algorithm must be one of ${SIGNING_ALGS.join(', ')}`);
  const activatesAt = options.immediate ? now : now + PUBLISH_LEAD_MS;
  const next = await generateSigningKey(poolId, alg, core.sealer, (n) => core.random.bytes(n), now, activatesAt);
  // Keys already retiring keep their dates; only the signing ones get an end.
  const retiring = options.immediate
    ? keys.map((k) => ({ ...k, retiresAt: now, expiresAt: now }))
    : keys
        .filter((k) => keyStatus(k, now) === 'ACTIVE')
        .map((k) => ({ ...k, retiresAt: activatesAt, expiresAt: activatesAt + LONGEST_TOKEN_MS + CACHE_MARGIN_MS }));
  await core.store.keys.rotate(next, retiring);
  core.keys.invalidate(poolId);
  await core.store.audit.record({ poolId, type: options.immediate ? 'signing_key_replaced' : 'signing_key_rotated', detail: { kid: next.kid, alg }, createdAt: now });
  return next;
}

/** The schedule: every pool whose signing key is older than `rotateAfterMs` gets a successor. */
export async function rotateDueKeys(core: Core, rotateAfterMs = DEFAULT_ROTATION_MS): Promise<number> {
  const now = core.clock.now();
  let rotated = 0;
  let after: string | undefined;
  do {
    const page = await core.store.pools.list(50, after);
    for (const pool of page.items) {
      const keys = live(await core.store.keys.list(pool.id), now);
      if (keys.some((k) => keyStatus(k, now) === 'PENDING')) continue;
      const newest = keys.filter((k) => keyStatus(k, now) === 'ACTIVE').at(-1);
      if (!newest || now - newest.activatesAt >= rotateAfterMs) {
        await rotateSigningKey(core, pool.id);
        rotated++;
      }
    }
    after = page.next;
  } while (after);
  return rotated;
}
