import { and, asc, count, eq, gt, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { isUniqueViolation, type Driver } from '../driver.js';
import * as t from '../schema.js';
import { UsernameExistsError } from '../../errors.js';
import type { Store, UserFilter, UserMfa, UserRecord } from '../../ports.js';

export type UserRow = typeof t.users.$inferSelect;

export function toRow(user: UserRecord): Omit<UserRow, 'rowId' | 'failedSignIns' | 'lockedUntil' | 'totpLastStep'> {
  return {
    poolId: user.poolId,
    sub: user.sub,
    username: user.username,
    usernameKey: user.usernameKey,
    // Addresses compare case-insensitively: the indexed copy is lower-cased, the attribute keeps its spelling.
    email: user.attributes.email?.toLowerCase() ?? null,
    phone: user.attributes.phone_number ?? null,
    preferredUsername: user.attributes.preferred_username ?? null,
    attributes: user.attributes,
    pendingAttributes: user.pendingAttributes,
    passwordHash: user.passwordHash,
    passwordSetAt: user.passwordSetAt,
    srpSalt: user.srpSalt,
    srpVerifier: user.srpVerifier,
    status: user.status,
    enabled: user.enabled,
    mfa: user.mfa,
    totpSecretEnc: user.totpSecretEnc,
    totpPendingEnc: user.totpPendingEnc,
    tokensValidAfter: user.tokensValidAfter,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

function fromRow(row: UserRow | undefined): UserRecord | undefined {
  return row && userFromRow(row);
}

/** Record fields from a users row (also used by joined queries elsewhere). */
export function userFromRow(row: UserRow): UserRecord {
  return {
    poolId: row.poolId,
    sub: row.sub,
    username: row.username,
    usernameKey: row.usernameKey,
    attributes: row.attributes as Record<string, string>,
    pendingAttributes: (row.pendingAttributes as Record<string, string> | null) ?? null,
    passwordHash: row.passwordHash,
    passwordSetAt: row.passwordSetAt,
    srpSalt: row.srpSalt,
    srpVerifier: row.srpVerifier,
    status: row.status as UserRecord['status'],
    enabled: row.enabled,
    mfa: (row.mfa as UserMfa | null) ?? null,
    totpSecretEnc: row.totpSecretEnc,
    totpPendingEnc: row.totpPendingEnc,
    failedSignIns: row.failedSignIns,
    lockedUntil: row.lockedUntil,
    tokensValidAfter: row.tokensValidAfter,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const indexedColumns: Record<string, SQLiteColumn> = {
  username: t.users.usernameKey,
  email: t.users.email,
  phone_number: t.users.phone,
  preferred_username: t.users.preferredUsername,
  sub: t.users.sub,
  'cognito:user_status': t.users.status,
};

const LOCK_AFTER = 5;
const MAX_LOCK_MS = 15 * 60_000;

// The largest code point: every string starting with a prefix sorts below prefix + this.
const PREFIX_END = '\u{10FFFF}';

function filterCondition(filter: UserFilter): SQL {
  if (filter.attribute === 'status') {
    return eq(t.users.enabled, filter.value === 'Enabled');
  }
  if (filter.attribute === 'email') filter = { ...filter, value: filter.value.toLowerCase() };
  const column: SQLiteColumn | SQL =
    indexedColumns[filter.attribute] ??
    sql`json_extract(${t.users.attributes}, ${'$."' + filter.attribute.replace(/"/g, '') + '"'})`;
  if (filter.op === '=') return sql`${column} = ${filter.value}`;
  return and(gte(column as SQLiteColumn, filter.value), lt(column as SQLiteColumn, filter.value + PREFIX_END))!;
}

export function usersRepo({ db, atomic }: Driver): Store['users'] {
  const byKey = db
    .select()
    .from(t.users)
    .where(and(eq(t.users.poolId, sql.placeholder('poolId')), eq(t.users.usernameKey, sql.placeholder('key'))))
    .prepare();
  const bySub = db
    .select()
    .from(t.users)
    .where(and(eq(t.users.poolId, sql.placeholder('poolId')), eq(t.users.sub, sql.placeholder('sub'))))
    .prepare();
  const aliasColumns = { email: t.users.email, phone_number: t.users.phone, preferred_username: t.users.preferredUsername };

  return {
    async insert(user) {
      try {
        await db.insert(t.users).values(toRow(user));
      } catch (error) {
        if (isUniqueViolation(error)) throw new UsernameExistsError('User account already exists');
        throw error;
      }
    },
    async getByUsername(poolId, key) {
      return fromRow((await byKey.get({ poolId, key })) as UserRow | undefined);
    },
    async getBySub(poolId, sub) {
      return fromRow((await bySub.get({ poolId, sub })) as UserRow | undefined);
    },
    async findByAttribute(poolId, attribute, value) {
      const rows = (await db
        .select()
        .from(t.users)
        .where(and(eq(t.users.poolId, poolId), eq(aliasColumns[attribute], attribute === 'email' ? value.toLowerCase() : value)))
        .limit(50)) as UserRow[];
      return rows.map((r) => fromRow(r)!);
    },
    async update(user) {
      const { poolId, sub, createdAt: _created, ...changes } = toRow(user);
      await db.update(t.users).set(changes).where(and(eq(t.users.poolId, poolId), eq(t.users.sub, sub)));
    },
    async countFailedSignIn(poolId, sub, now) {
      const failures = sql`${t.users.failedSignIns} + 1`;
      const rows = await db
        .update(t.users)
        .set({
          failedSignIns: failures,
          lockedUntil: sql`CASE WHEN ${failures} >= ${LOCK_AFTER} THEN ${now} + min(1000 << min(${failures} - ${LOCK_AFTER}, 20), ${MAX_LOCK_MS}) ELSE ${t.users.lockedUntil} END`,
        })
        .where(and(eq(t.users.poolId, poolId), eq(t.users.sub, sub)))
        .returning({ failures: t.users.failedSignIns, lockedUntil: t.users.lockedUntil });
      return rows[0] ?? { failures: 0, lockedUntil: 0 };
    },
    async resetFailedSignIns(poolId, sub) {
      await db.update(t.users).set({ failedSignIns: 0, lockedUntil: 0 }).where(and(eq(t.users.poolId, poolId), eq(t.users.sub, sub)));
    },
    async acceptTotpStep(poolId, sub, step) {
      const rows = await db
        .update(t.users)
        .set({ totpLastStep: step })
        .where(and(eq(t.users.poolId, poolId), eq(t.users.sub, sub), or(isNull(t.users.totpLastStep), lt(t.users.totpLastStep, step))))
        .returning({ step: t.users.totpLastStep });
      return rows.length > 0;
    },
    async delete(poolId, sub) {
      await atomic([
        db.delete(t.codes).where(and(eq(t.codes.poolId, poolId), eq(t.codes.sub, sub))),
        db.delete(t.passwordHistory).where(and(eq(t.passwordHistory.poolId, poolId), eq(t.passwordHistory.sub, sub))),
        db.delete(t.devices).where(and(eq(t.devices.poolId, poolId), eq(t.devices.sub, sub))),
        db.delete(t.ssoSessions).where(and(eq(t.ssoSessions.poolId, poolId), eq(t.ssoSessions.sub, sub))),
        db.delete(t.authorizationCodes).where(and(eq(t.authorizationCodes.poolId, poolId), eq(t.authorizationCodes.sub, sub))),
        db.delete(t.authSessions).where(and(eq(t.authSessions.poolId, poolId), eq(t.authSessions.sub, sub))),
        db.delete(t.memberships).where(and(eq(t.memberships.poolId, poolId), eq(t.memberships.sub, sub))),
        db.delete(t.refreshTokens).where(and(eq(t.refreshTokens.poolId, poolId), eq(t.refreshTokens.sub, sub))),
        // Deleting a user unlinks its external identities: their next sign-in starts afresh.
        db.delete(t.federatedIdentities).where(and(eq(t.federatedIdentities.poolId, poolId), eq(t.federatedIdentities.sub, sub))),
        db.delete(t.users).where(and(eq(t.users.poolId, poolId), eq(t.users.sub, sub))),
      ]);
    },
    async list(poolId, { filter, limit, after }) {
      const afterRow = after === undefined ? undefined : Number(after);
      const rows = (await db
        .select()
        .from(t.users)
        .where(
          and(
            eq(t.users.poolId, poolId),
            filter ? filterCondition(filter) : undefined,
            afterRow !== undefined && Number.isSafeInteger(afterRow) ? gt(t.users.rowId, afterRow) : undefined,
          ),
        )
        .orderBy(asc(t.users.rowId))
        .limit(limit + 1)) as UserRow[];
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => fromRow(r)!),
        next: rows.length > limit ? String(page[page.length - 1]!.rowId) : undefined,
      };
    },
    async count(poolId) {
      const [row] = (await db.select({ n: count() }).from(t.users).where(eq(t.users.poolId, poolId))) as { n: number }[];
      return row?.n ?? 0;
    },
  };
}
