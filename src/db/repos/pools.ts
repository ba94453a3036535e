import { asc, eq, gt, sql } from 'drizzle-orm';
import { pageOf, type Driver } from '../driver.js';
import * as t from '../schema.js';
import type { PoolRecord, SigningKeyRecord, Store } from '../../ports.js';

const poolTables = [
  t.clients, t.users, t.groups, t.memberships, t.refreshTokens, t.revokedFamilies,
  t.codes, t.authSessions, t.signingKeys, t.messages, t.auditEvents, t.passwordHistory, t.resourceServers, t.authorizationCodes, t.ssoSessions, t.devices,
  t.identityProviders, t.federatedIdentities, t.federationStates, t.samlCertificates,
] as const;

/**
 * A pool whose settings are parsed from JSON on first use. Token, userinfo and key requests
 * load their pool on every call and most never read its settings, which are kilobytes of JSON.
 */
function withLazyConfig(row: Omit<PoolRecord, 'config'> & { configJson: string }): PoolRecord {
  const { configJson, ...pool } = row;
  let config: PoolRecord['config'] | undefined;
  return {
    ...pool,
    get config() {
      return (config ??= JSON.parse(configJson) as PoolRecord['config']);
    },
    set config(value) {
      config = value;
    },
  };
}

export function poolsRepo({ db, atomic }: Driver): Store['pools'] {
  const byId = db
    .select({ id: t.pools.id, name: t.pools.name, configJson: sql<string>`${t.pools.config}`, createdAt: t.pools.createdAt, updatedAt: t.pools.updatedAt })
    .from(t.pools)
    .where(eq(t.pools.id, sql.placeholder('id')))
    .prepare();
  return {
    async insert(pool, firstKey: SigningKeyRecord) {
      await atomic([db.insert(t.pools).values(pool), db.insert(t.signingKeys).values(firstKey)]);
    },
    async get(id) {
      const row = (await byId.get({ id })) as (Omit<PoolRecord, 'config'> & { configJson: string }) | undefined;
      return row && withLazyConfig(row);
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
