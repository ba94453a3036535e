import assert from 'node:assert/strict';
import type { ClientRecord, GroupRecord, PoolRecord, SigningKeyRecord, Store, UserRecord } from '../../src/ports.js';

/** Records for the store cases; every id is fresh so cases never collide. */
let counter = 0;
export const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}`;

export function pool(id = unique('test')): PoolRecord {
  return { id, name: 'p', config: { MfaConfiguration: 'OFF' }, createdAt: 1000, updatedAt: 1000 };
}

export function key(poolId: string, kid = unique('kid')): SigningKeyRecord {
  return { kid, poolId, alg: 'RS256', publicJwk: { kty: 'RSA', kid }, privateJwkEnc: 'v1.x.y', createdAt: 1, activatesAt: 1, retiresAt: null, expiresAt: null };
}

export function user(poolId: string, name: string, attributes: Record<string, string> = {}): UserRecord {
  return {
    poolId, sub: crypto.randomUUID(), username: name, usernameKey: name.toLowerCase(), attributes, pendingAttributes: null,
    passwordHash: '$argon2id$x', passwordSetAt: 5, srpSalt: '0a1b2c', srpVerifier: '3d4e5f', status: 'CONFIRMED', enabled: true, mfa: null, totpSecretEnc: null, totpPendingEnc: null, failedSignIns: 0, lockedUntil: 0, tokensValidAfter: 0, createdAt: 5, updatedAt: 5,
  };
}

export function client(poolId: string, id = unique('client')): ClientRecord {
  return { id, poolId, name: 'c', secretEnc: null, config: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }, createdAt: 1, updatedAt: 1 };
}

export function group(poolId: string, name: string, precedence: number | null = null, roleArn: string | null = null): GroupRecord {
  return { poolId, name, description: null, roleArn, precedence, createdAt: 10, updatedAt: 10 };
}

/** Follows `next` to the end, failing on a page that is too big or a loop. */
export async function drain<T>(fetchPage: (after?: string) => Promise<{ items: T[]; next?: string }>, limit: number): Promise<T[]> {
  const seen: T[] = [];
  let after: string | undefined;
  for (let i = 0; i < 100; i++) {
    const got = await fetchPage(after);
    assert.ok(got.items.length <= limit, 'a page holds at most `limit` items');
    seen.push(...got.items);
    if (!got.next) return seen;
    after = got.next;
  }
  throw new Error('pagination does not end');
}

export async function freshPool(store: Store): Promise<PoolRecord> {
  const p = pool();
  await store.pools.insert(p, key(p.id));
  return p;
}

