import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { pageOf, type Driver } from '../driver.js';
import * as t from '../schema.js';
import type { ClientRecord, Store } from '../../ports.js';

export function clientsRepo({ db, atomic }: Driver): Store['clients'] {
  const byId = db
    .select()
    .from(t.clients)
    .where(and(eq(t.clients.id, sql.placeholder('id')), eq(t.clients.poolId, sql.placeholder('poolId'))))
    .prepare();
  const byIdOnly = db.select().from(t.clients).where(eq(t.clients.id, sql.placeholder('id'))).prepare();
  return {
    async insert(client) {
      await db.insert(t.clients).values(client);
    },
    async get(poolId, id) {
      return (await byId.get({ poolId, id })) as ClientRecord | undefined;
    },
    async byId(id) {
      return (await byIdOnly.get({ id })) as ClientRecord | undefined;
    },
    async update(client) {
      await db
        .update(t.clients)
        .set({ name: client.name, secretEnc: client.secretEnc, config: client.config, updatedAt: client.updatedAt })
        .where(and(eq(t.clients.id, client.id), eq(t.clients.poolId, client.poolId)));
    },
    async list(poolId, limit, after) {
      const rows = (await db
        .select()
        .from(t.clients)
        .where(and(eq(t.clients.poolId, poolId), after ? gt(t.clients.id, after) : undefined))
        .orderBy(asc(t.clients.id))
        .limit(limit + 1)) as ClientRecord[];
      return pageOf(rows, limit, (c) => c.id);
    },
    async delete(poolId, id) {
      await atomic([
        db.delete(t.refreshTokens).where(and(eq(t.refreshTokens.poolId, poolId), eq(t.refreshTokens.clientId, id))),
        db.delete(t.authSessions).where(and(eq(t.authSessions.poolId, poolId), eq(t.authSessions.clientId, id))),
        db.delete(t.clients).where(and(eq(t.clients.poolId, poolId), eq(t.clients.id, id))),
      ]);
    },
  };
}
