import { and, eq, isNull } from 'drizzle-orm';
import type { Driver } from '../driver.js';
import * as t from '../schema.js';
import type { AuthorizationCodeRecord, SsoSessionRecord, Store } from '../../ports.js';

export function authorizationCodesRepo({ db }: Driver): Store['authorizationCodes'] {
  return {
    async insert(code) {
      await db.insert(t.authorizationCodes).values(code);
    },
    async consume(codeHash, now) {
      // The conditional update is the single-use guarantee, also under concurrent redemption.
      const [first] = await db
        .update(t.authorizationCodes)
        .set({ consumedAt: now })
        .where(and(eq(t.authorizationCodes.codeHash, codeHash), isNull(t.authorizationCodes.consumedAt)))
        .returning();
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
