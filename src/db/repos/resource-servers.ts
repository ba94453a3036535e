import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { isUniqueViolation, pageOf, type Driver } from '../driver.js';
import * as t from '../schema.js';
import { InvalidParameterError } from '../../errors.js';
import type { ResourceServerRecord, Store } from '../../ports.js';

export function resourceServersRepo({ db }: Driver): Store['resourceServers'] {
  const key = (poolId: string, identifier: string) => and(eq(t.resourceServers.poolId, poolId), eq(t.resourceServers.identifier, identifier));
  // Prepared: every client_credentials grant lists the pool's resource servers for its scopes.
  const page = (after: boolean) =>
    db
      .select()
      .from(t.resourceServers)
      .where(and(eq(t.resourceServers.poolId, sql.placeholder('poolId')), after ? gt(t.resourceServers.identifier, sql.placeholder('after')) : undefined))
      .orderBy(asc(t.resourceServers.identifier))
      .limit(sql.placeholder('limit'))
      .prepare();
  const firstPage = page(false);
  const nextPage = page(true);
  return {
    async insert(server) {
      try {
        await db.insert(t.resourceServers).values(server);
      } catch (error) {
        if (isUniqueViolation(error)) throw new InvalidParameterError(`${server.identifier} already exists in pool ${server.poolId}.`);
        throw error;
      }
    },
    async get(poolId, identifier) {
      const [row] = (await db.select().from(t.resourceServers).where(key(poolId, identifier))) as ResourceServerRecord[];
      return row;
    },
    async update(server) {
      await db
        .update(t.resourceServers)
        .set({ name: server.name, scopes: server.scopes, updatedAt: server.updatedAt })
        .where(key(server.poolId, server.identifier));
    },
    async list(poolId, limit, after) {
      const rows = (await (after === undefined ? firstPage.all({ poolId, limit: limit + 1 }) : nextPage.all({ poolId, after, limit: limit + 1 }))) as ResourceServerRecord[];
      return pageOf(rows, limit, (s) => s.identifier);
    },
    async delete(poolId, identifier) {
      await db.delete(t.resourceServers).where(key(poolId, identifier));
    },
  };
}
