import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Driver } from '../driver.js';
import * as t from '../schema.js';
import type { AuthorizationCodeRecord, SsoSessionRecord, Store } from '../../ports.js';

export function authorizationCodesRepo({ db }: Driver): Store['authorizationCodes'] {
  // Prepared: every code exchange runs it.
  const consumeUnused = db
    .update(t.authorizationCodes)
    .set({ consumedAt: sql`${sql.placeholder('now')}` })
    .where(and(eq(t.authorizationCodes.codeHash, sql.placeholder('h')), isNull(t.authorizationCodes.consumedAt)))
    .returning()
    .prepare();
  return {
    async insert(code) {
      await db.insert(t.authorizationCodes).values(code);
    },
    async consume(codeHash, now) {
      // The conditional update is the single-use guarantee, also under concurrent redemption.
      const [first] = await consumeUnused.all({ h: codeHash, now });
      if (first) return { record: first as AuthorizationCodeRecord, firstUse: true };
      const [again] = (await db.select().from(t.authorizationCodes).where(eq(t.authorizationCodes.codeHash, codeHash))) as AuthorizationCodeRecord[];
      return again ? { record: again, firstUse: false } : undefined;
    },
  };
}

export function ssoSessionsRepo({ db }: Driver): Store['ssoSessions'] {
  return {
    async insert(session) {
      await db.insert(t.ssoSessions).values(session);
    },
    async get(idHash) {
      const [row] = (await db.select().from(t.ssoSessions).where(eq(t.ssoSessions.idHash, idHash))) as SsoSessionRecord[];
      return row;
    },
    async delete(idHash) {
      await db.delete(t.ssoSessions).where(eq(t.ssoSessions.idHash, idHash));
    },
  };
}
