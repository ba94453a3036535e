import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Driver } from '../driver.js';
import * as t from '../schema.js';
import type { AuditEvent, MessageRecord, SigningKeyRecord, Store } from '../../ports.js';

export function keysRepo({ db, atomic }: Driver): Store['keys'] {
  const datesOf = (key: SigningKeyRecord) =>
    db
      .update(t.signingKeys)
      .set({ activatesAt: key.activatesAt, retiresAt: key.retiresAt, expiresAt: key.expiresAt })
      .where(eq(t.signingKeys.kid, key.kid));
  return {
    async rotate(next, retiring) {
      await atomic([db.insert(t.signingKeys).values(next), ...retiring.map(datesOf)]);
    },
    async list(poolId) {
      return (await db
        .select()
        .from(t.signingKeys)
        .where(eq(t.signingKeys.poolId, poolId))
        .orderBy(asc(t.signingKeys.createdAt))) as SigningKeyRecord[];
    },
    async insert(key) {
      await db.insert(t.signingKeys).values(key);
    },
    async update(key) {
      await datesOf(key);
    },
  };
}

export function messagesRepo({ db }: Driver): Store['messages'] {
  return {
    async insert(message) {
      const [row] = await db.insert(t.messages).values(message).returning({ id: t.messages.id });
      return row!.id;
    },
    async list(poolId, limit) {
      return (await db
        .select()
        .from(t.messages)
        .where(eq(t.messages.poolId, poolId))
        .orderBy(desc(t.messages.id))
        .limit(limit)) as MessageRecord[];
    },
  };
}

export function auditRepo({ db }: Driver): Store['audit'] {
  // Prepared: every sign-in and code exchange records an event.
  const insert = db
    .insert(t.auditEvents)
    .values({
      poolId: sql.placeholder('poolId'),
      type: sql.placeholder('type'),
      sub: sql.placeholder('sub'),
      clientId: sql.placeholder('clientId'),
      detail: sql.placeholder('detail'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare();
  return {
    async record(event) {
      await insert.run({ ...event, sub: event.sub ?? null, clientId: event.clientId ?? null, detail: event.detail ?? null });
    },
    async list(poolId, limit) {
      return (await db
        .select()
        .from(t.auditEvents)
        .where(eq(t.auditEvents.poolId, poolId))
        .orderBy(desc(t.auditEvents.id))
        .limit(limit)) as AuditEvent[];
    },
  };
}
