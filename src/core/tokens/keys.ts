import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SigningKeyRecord, Store } from '../../ports.js';
import { base64url, type Sealer } from '../crypto.js';

export type SigningAlg = 'RS256' | 'ES256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256'];

/** A new key pair for a pool, private half sealed under the KEK. */
export async function generateSigningKey(
  poolId: string,
  alg: SigningAlg,
  sealer: Sealer,
  randomBytes: (n: number) => Uint8Array,
  now: number,
  activatesAt = now,
): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const kid = base64url(randomBytes(16));
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg };
  return {
    kid,
    poolId,
    alg,
    publicJwk,
    privateJwkEnc: await sealer.seal(JSON.stringify(privateJwk), `key:${poolId}`),
    createdAt: now,
    activatesAt,
    retiresAt: null,
    expiresAt: null,
  };
}

interface PoolKeys {
  loadedAt: number;
  known: boolean;
  signer?: { kid: string; alg: SigningAlg; key: CryptoKey };
  verifiers: Map<string, { alg: SigningAlg; key: CryptoKey }>;
  jwksBody: string;
}

/**
 * Per-pool key cache. Entries are reloaded after `ttlMs` so a rotation made by another
 * isolate or process is seen; a failed load is never cached.
 */
export class KeyRing {
  private readonly cache = new Map<string, PoolKeys>();

  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
    private readonly now: () => number,
    private readonly ttlMs = 60_000,
  ) {}

  invalidate(poolId: string): void {
    this.cache.delete(poolId);
  }

  async signer(poolId: string): Promise<{ kid: string; alg: SigningAlg; key: CryptoKey }> {
    const keys = await this.load(poolId);
    if (!keys.signer) throw new Error(`Pool ${poolId} has no active signing key`);
    return keys.signer;
  }

  async verifier(poolId: string, kid: string): Promise<{ alg: SigningAlg; key: CryptoKey } | undefined> {
    return (await this.load(poolId)).verifiers.get(kid);
  }

  /**
   * The published key set, or undefined when there is no such pool: a pool holds key records
   * from its creation to its deletion, so the JWKS and discovery routes need no pool read.
   */
  async jwksBody(poolId: string): Promise<string | undefined> {
    const keys = await this.load(poolId);
    return keys.known ? keys.jwksBody : undefined;
  }

  /**
   * What the JWKS and discovery routes publish, when the cache holds it fresh: without a
   * promise, so those routes answer synchronously. Undefined means "not cached"; use the
   * async methods. Only pools that exist are ever cached.
   */
  cachedPublication(poolId: string): { jwksBody: string; alg?: SigningAlg } | undefined {
    const cached = this.cache.get(poolId);
    return cached && this.now() - cached.loadedAt < this.ttlMs ? { jwksBody: cached.jwksBody, alg: cached.signer?.alg } : undefined;
  }

  private async load(poolId: string): Promise<PoolKeys> {
    const now = this.now();
    const cached = this.cache.get(poolId);
    if (cached && now - cached.loadedAt < this.ttlMs) return cached;
    const records = await this.store.keys.list(poolId);
    // Unknown pool ids are not cached, so requests for made-up ids cannot fill the cache.
    if (records.length === 0) return { loadedAt: now, known: false, verifiers: new Map(), jwksBody: '{"keys":[]}' };
    const published = records.filter((k) => k.expiresAt === null || k.expiresAt > now);
    const verifiers = new Map<string, { alg: SigningAlg; key: CryptoKey }>();
    for (const k of published) {
      verifiers.set(k.kid, { alg: k.alg as SigningAlg, key: (await importJWK(k.publicJwk as JWK, k.alg)) as CryptoKey });
    }
    // The newest key already active and not retired signs.
    const active = published
      .filter((k) => k.activatesAt <= now && (k.retiresAt === null || k.retiresAt > now))
      .sort((a, b) => b.activatesAt - a.activatesAt)[0];
    let signer: PoolKeys['signer'];
    if (active) {
      const jwk = JSON.parse(await this.sealer.open(active.privateJwkEnc, `key:${poolId}`)) as JWK;
      signer = { kid: active.kid, alg: active.alg as SigningAlg, key: (await importJWK(jwk, active.alg)) as CryptoKey };
    }
    const jwksBody = JSON.stringify({ keys: published.map((k) => k.publicJwk) });
    const entry: PoolKeys = { loadedAt: now, known: true, signer, verifiers, jwksBody };
    this.cache.set(poolId, entry);
    return entry;
  }
}
