import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { Driver } from '../driver.js';
import * as t from '../schema.js';
import type { Store } from '../../ports.js';

export function passwordHistoryRepo({ db, atomic }: Driver): Store['passwordHistory'] {
  const ofUser = (poolId: string, sub: string) => and(eq(t.passwordHistory.poolId, poolId), eq(t.passwordHistory.sub, sub));
  return {
    async recent(poolId, sub, limit) {
      if (limit <= 0) return [];
      const rows = (await db
        .select({ hash: t.passwordHistory.passwordHash })
        .from(t.passwordHistory)
        .where(ofUser(poolId, sub))
        .orderBy(desc(t.passwordHistory.id))
        .limit(limit)) as { hash: string }[];
      return rows.map((r) => r.hash);
    },
    async add(poolId, sub, passwordHash, createdAt, keep) {
      const newest = db
        .select({ id: t.passwordHistory.id })
        .from(t.passwordHistory)
        .where(ofUser(poolId, sub))
        .orderBy(desc(t.passwordHistory.id))
        .limit(keep);
      await atomic([
        db.insert(t.passwordHistory).values({ poolId, sub, passwordHash, createdAt }),
        db.delete(t.passwordHistory).where(and(ofUser(poolId, sub), notInArray(t.passwordHistory.id, newest))),
      ]);
    },
  };
}
