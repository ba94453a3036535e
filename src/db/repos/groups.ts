import { and, asc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import { isUniqueViolation, pageOf, type Driver } from '../driver.js';
import * as t from '../schema.js';
import { GroupExistsError } from '../../errors.js';
import type { GroupRecord, Store } from '../../ports.js';
import { userFromRow, type UserRow } from './users.js';


const byName = (g: GroupRecord) => g.name;

export function groupsRepo({ db, atomic }: Driver): Store['groups'] {
  const groupKey = (poolId: string, name: string) => and(eq(t.groups.poolId, poolId), eq(t.groups.name, name));
  const memberOf = and(eq(t.groups.poolId, t.memberships.poolId), eq(t.groups.name, t.memberships.groupName));
  // Prepared: every token issued reads the user's groups for its claims.
  const groupsOfUser = db
    .select(getTableColumns(t.groups))
    .from(t.memberships)
    .innerJoin(t.groups, memberOf)
    .where(and(eq(t.memberships.poolId, sql.placeholder('poolId')), eq(t.memberships.sub, sql.placeholder('sub'))))
    .orderBy(sql`${t.groups.precedence} IS NULL`, asc(t.groups.precedence), asc(t.groups.name))
    .prepare();

  return {
    async insert(group) {
      try {
        await db.insert(t.groups).values(group);
      } catch (error) {
        if (isUniqueViolation(error)) throw new GroupExistsError(`A group with the name ${group.name} already exists.`);
        throw error;
      }
    },
    async get(poolId, name) {
      const [row] = (await db.select().from(t.groups).where(groupKey(poolId, name)).limit(1)) as GroupRecord[];
      return row;
    },
    async update(group) {
      await db
        .update(t.groups)
        .set({ description: group.description, roleArn: group.roleArn, precedence: group.precedence, updatedAt: group.updatedAt })
        .where(groupKey(group.poolId, group.name));
    },
    async delete(poolId, name) {
      await atomic([
        db.delete(t.memberships).where(and(eq(t.memberships.poolId, poolId), eq(t.memberships.groupName, name))),
        db.delete(t.groups).where(groupKey(poolId, name)),
      ]);
    },
    async list(poolId, limit, after) {
      const rows = (await db
        .select()
        .from(t.groups)
        .where(and(eq(t.groups.poolId, poolId), after === undefined ? undefined : gt(t.groups.name, after)))
        .orderBy(asc(t.groups.name))
        .limit(limit + 1)) as GroupRecord[];
      return pageOf(rows, limit, byName);
    },
    async addMember(poolId, name, sub, now) {
      // One statement that copies the keys from both rows: a group or user deleted meanwhile
      // leaves no membership behind to resurface when the name is reused.
      await db
        .insert(t.memberships)
        .select(
          db
            .select({ poolId: t.groups.poolId, groupName: t.groups.name, sub: t.users.sub, createdAt: sql<number>`${now}`.as('created_at') })
            .from(t.groups)
            .innerJoin(t.users, eq(t.users.poolId, t.groups.poolId))
            .where(and(eq(t.groups.poolId, poolId), eq(t.groups.name, name), eq(t.users.sub, sub))),
        )
        .onConflictDoNothing();
    },
    async removeMember(poolId, name, sub) {
      await db
        .delete(t.memberships)
        .where(and(eq(t.memberships.poolId, poolId), eq(t.memberships.groupName, name), eq(t.memberships.sub, sub)));
    },
    async listForUser(poolId, sub, limit, after) {
      const rows = (await db
        .select(getTableColumns(t.groups))
        .from(t.memberships)
        .innerJoin(t.groups, memberOf)
        .where(and(eq(t.memberships.poolId, poolId), eq(t.memberships.sub, sub), after === undefined ? undefined : gt(t.groups.name, after)))
        .orderBy(asc(t.groups.name))
        .limit(limit + 1)) as GroupRecord[];
      return pageOf(rows, limit, byName);
    },
    async listMembers(poolId, name, limit, after) {
      // The primary key (pool, group, sub) walks one group's members in sub order.
      const rows = (await db
        .select(getTableColumns(t.users))
        .from(t.memberships)
        .innerJoin(t.users, and(eq(t.users.poolId, t.memberships.poolId), eq(t.users.sub, t.memberships.sub)))
        .where(and(eq(t.memberships.poolId, poolId), eq(t.memberships.groupName, name), after === undefined ? undefined : gt(t.memberships.sub, after)))
        .orderBy(asc(t.memberships.sub))
        .limit(limit + 1)) as UserRow[];
      return pageOf(rows.map(userFromRow), limit, (u) => u.sub);
    },
    async forUser(poolId, sub) {
      return (await groupsOfUser.all({ poolId, sub })) as GroupRecord[];
    },
  };
}
