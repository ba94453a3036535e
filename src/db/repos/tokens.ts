import { and, eq, isNull, max, sql } from 'drizzle-orm';
import type { Driver } from '../driver.js';
import * as t from '../schema.js';
import type { AuthSessionRecord, CodeRecord, RefreshTokenRecord, Store } from '../../ports.js';

export function refreshTokensRepo({ db, atomic }: Driver): Store['refreshTokens'] {
  const byHash = db.select().from(t.refreshTokens).where(eq(t.refreshTokens.tokenHash, sql.placeholder('h'))).prepare();
  const revoked = db
    .select({ id: t.revokedFamilies.familyId })
    .from(t.revokedFamilies)
    .where(eq(t.revokedFamilies.familyId, sql.placeholder('id')))
    .prepare();
  // Prepared: every sign-in, code exchange and refresh writes here.
  const insertToken = db
    .insert(t.refreshTokens)
    .values({
      tokenHash: sql.placeholder('tokenHash'),
      familyId: sql.placeholder('familyId'),
      poolId: sql.placeholder('poolId'),
      clientId: sql.placeholder('clientId'),
      sub: sql.placeholder('sub'),
      authTime: sql.placeholder('authTime'),
      scope: sql.placeholder('scope'),
      createdAt: sql.placeholder('createdAt'),
      expiresAt: sql.placeholder('expiresAt'),
      replacedAt: sql.placeholder('replacedAt'),
    })
    .prepare();
  const markReplaced = db
    .update(t.refreshTokens)
    .set({ replacedAt: sql`${sql.placeholder('replacedAt')}` })
    .where(and(eq(t.refreshTokens.tokenHash, sql.placeholder('h')), isNull(t.refreshTokens.replacedAt)))
    .returning({ h: t.refreshTokens.tokenHash })
    .prepare();
  const revokeStatements = (poolId: string, familyId: string, expiresAt: number, now: number) => [
    db.insert(t.revokedFamilies).values({ familyId, poolId, revokedAt: now, expiresAt }).onConflictDoNothing(),
    db.delete(t.refreshTokens).where(eq(t.refreshTokens.familyId, familyId)),
  ];
  return {
    async insert(token) {
      await insertToken.run({ ...token });
    },
    async get(tokenHash) {
      return (await byHash.get({ h: tokenHash })) as RefreshTokenRecord | undefined;
    },
    async rotate(oldHash, next) {
      // The conditional update is the compare-and-set: of two concurrent rotations only
      // one sees the row still current. A crash before the insert only costs a re-sign-in.
      const won = await markReplaced.all({ h: oldHash, replacedAt: next.createdAt });
      if (won.length !== 1) return false;
      await insertToken.run({ ...next });
      return true;
    },
    async revokeFamily(poolId, familyId, expiresAt, now) {
      await atomic(revokeStatements(poolId, familyId, expiresAt, now));
    },
    async revokeUser(poolId, sub, now) {
      const families = (await db
        .select({ id: t.refreshTokens.familyId, end: max(t.refreshTokens.expiresAt) })
        .from(t.refreshTokens)
        .where(and(eq(t.refreshTokens.poolId, poolId), eq(t.refreshTokens.sub, sub)))
        .groupBy(t.refreshTokens.familyId)) as { id: string; end: number }[];
      if (families.length === 0) return;
      // Access and ID tokens live at most a day, so a day past the refresh token's end covers them.
      await atomic(families.flatMap((f) => revokeStatements(poolId, f.id, f.end + 86_400_000, now)));
    },
    async isFamilyRevoked(familyId) {
      return (await revoked.get({ id: familyId })) !== undefined;
    },
  };
}

export function codesRepo({ db }: Driver): Store['codes'] {
  const where = (poolId: string, sub: string, purpose: string) =>
    and(eq(t.codes.poolId, poolId), eq(t.codes.sub, sub), eq(t.codes.purpose, purpose));
  return {
    async put(code) {
      await db
        .insert(t.codes)
        .values(code)
        .onConflictDoUpdate({
          target: [t.codes.poolId, t.codes.sub, t.codes.purpose],
          set: { codeHash: code.codeHash, expiresAt: code.expiresAt, attempts: 0, createdAt: code.createdAt },
        });
    },
    async get(poolId, sub, purpose) {
      const [row] = (await db.select().from(t.codes).where(where(poolId, sub, purpose))) as CodeRecord[];
      return row;
    },
    async fail(poolId, sub, purpose) {
      const rows = await db
        .update(t.codes)
        .set({ attempts: sql`${t.codes.attempts} + 1` })
        .where(where(poolId, sub, purpose))
        .returning({ attempts: t.codes.attempts });
      return rows[0]?.attempts ?? 0;
    },
    async delete(poolId, sub, purpose) {
      await db.delete(t.codes).where(where(poolId, sub, purpose));
    },
  };
}

export function authSessionsRepo({ db }: Driver): Store['authSessions'] {
  return {
    async put(session) {
      await db.insert(t.authSessions).values(session);
    },
    async take(sessionHash) {
      // DELETE … RETURNING makes a Session string single-use even under concurrent replays.
      const rows = await db.delete(t.authSessions).where(eq(t.authSessions.sessionHash, sessionHash)).returning();
      return rows[0] as AuthSessionRecord | undefined;
    },
  };
}
