import { asc, eq, gt, sql } from 'drizzle-orm';
import { pageOf, type Driver } from '../driver.js';
import * as t from '../schema.js';
import type { PoolRecord, SigningKeyRecord, Store } from '../../ports.js';

const poolTables = [
  t.clients, t.users, t.groups, t.memberships, t.refreshTokens, t.revokedFamilies,
  t.codes, t.authSessions, t.signingKeys, t.messages, t.auditEvents, t.passwordHistory, t.resourceServers, t.authorizationCodes, t.ssoSessions, t.devices,
  t.identityProviders, t.federatedIdentities, t.federationStates, t.samlCertificates,
] as const;

export function poolsRepo({ db, atomic }: Driver): Store['pools'] {
  const byId = db.select().from(t.pools).where(eq(t.pools.id, sql.placeholder('id'))).prepare();
  return {
    async insert(pool, firstKey: SigningKeyRecord) {
      await atomic([db.insert(t.pools).values(pool), db.insert(t.signingKeys).values(firstKey)]);
    },
    async get(id) {
      return (await byId.get({ id })) as PoolRecord | undefined;
    },
    async update(pool) {
      await db
        .update(t.pools)
        .set({ name: pool.name, config: pool.config, updatedAt: pool.updatedAt })
        .where(eq(t.pools.id, pool.id));
    },
    async list(limit, after) {
      const rows = (await db
        .select()
        .from(t.pools)
        .where(after ? gt(t.pools.id, after) : undefined)
        .orderBy(asc(t.pools.id))
        .limit(limit + 1)) as PoolRecord[];
      return pageOf(rows, limit, (p) => p.id);
    },
    async delete(id) {
      await atomic([
        ...poolTables.map((table) => db.delete(table).where(eq(table.poolId, id))),
        db.delete(t.pools).where(eq(t.pools.id, id)),
      ]);
    },
  };
}
