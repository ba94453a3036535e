import { ResourceNotFoundError } from '../../errors.js';
import type { GroupRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { userShape } from '../directory/attributes.js';
import { optionalInt, optionalString, poolIdOf, requiredString, USERNAME, type Input } from './input.js';
import { decodePageToken, encodePageToken } from './paging.js';
import { loadPool } from './pools.js';
import { loadUser } from './users-admin.js';

const GROUP_NAME = { min: 1, max: 128, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u };
const DESCRIPTION = { max: 2048 };
/** Cognito's ArnType. */
const ROLE_ARN = {
  min: 20,
  max: 2048,
  pattern: /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/,
};
const MAX_PRECEDENCE = 2 ** 31 - 1;

function groupShape(group: GroupRecord) {
  return {
    GroupName: group.name,
    UserPoolId: group.poolId,
    Description: group.description ?? undefined,
    RoleArn: group.roleArn ?? undefined,
    Precedence: group.precedence ?? undefined,
    LastModifiedDate: group.updatedAt / 1000,
    CreationDate: group.createdAt / 1000,
  };
}

async function loadGroup(core: Core, pool: PoolRecord, name: string): Promise<GroupRecord> {
  const group = await core.store.groups.get(pool.id, name);
  if (!group) throw new ResourceNotFoundError('Group not found.');
  return group;
}

async function groupTarget(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const group = await loadGroup(core, pool, requiredString(input, 'GroupName', GROUP_NAME));
  return { pool, group };
}

/** QueryLimitType is 0..60; 0 or nothing means the most a page holds. */
function limitOf(input: Input): number {
  return optionalInt(input, 'Limit', 0, 60) || 60;
}

export async function createGroup(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const now = core.clock.now();
  const group: GroupRecord = {
    poolId: pool.id,
    name: requiredString(input, 'GroupName', GROUP_NAME),
    description: optionalString(input, 'Description', DESCRIPTION) ?? null,
    roleArn: optionalString(input, 'RoleArn', ROLE_ARN) ?? null,
    precedence: optionalInt(input, 'Precedence', 0, MAX_PRECEDENCE) ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await core.store.groups.insert(group);
  return { Group: groupShape(group) };
}

export async function getGroup(core: Core, input: Input) {
  const { group } = await groupTarget(core, input);
  return { Group: groupShape(group) };
}

export async function updateGroup(core: Core, input: Input) {
  const { group } = await groupTarget(core, input);
  const description = optionalString(input, 'Description', DESCRIPTION);
  const roleArn = optionalString(input, 'RoleArn', ROLE_ARN);
  const precedence = optionalInt(input, 'Precedence', 0, MAX_PRECEDENCE);
  const updated: GroupRecord = {
    ...group,
    description: description ?? group.description,
    roleArn: roleArn ?? group.roleArn,
    precedence: precedence ?? group.precedence,
    updatedAt: core.clock.now(),
  };
  await core.store.groups.update(updated);
  return { Group: groupShape(updated) };
}

export async function deleteGroup(core: Core, input: Input) {
  const { pool, group } = await groupTarget(core, input);
  await core.store.groups.delete(pool.id, group.name);
  return {};
}

export async function listGroups(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const page = await core.store.groups.list(pool.id, limitOf(input), decodePageToken(input.NextToken));
  return { Groups: page.items.map(groupShape), NextToken: encodePageToken(page.next) };
}

async function membershipTarget(core: Core, input: Input) {
  const { pool, group } = await groupTarget(core, input);
  const user = await loadUser(core, pool, requiredString(input, 'Username', { min: 1, max: 128, pattern: USERNAME }));
  return { pool, group, user };
}

export async function adminAddUserToGroup(core: Core, input: Input) {
  const { pool, group, user } = await membershipTarget(core, input);
  await core.store.groups.addMember(pool.id, group.name, user.sub, core.clock.now());
  return {};
}

export async function adminRemoveUserFromGroup(core: Core, input: Input) {
  const { pool, group, user } = await membershipTarget(core, input);
  await core.store.groups.removeMember(pool.id, group.name, user.sub);
  return {};
}

export async function adminListGroupsForUser(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const user = await loadUser(core, pool, requiredString(input, 'Username', { min: 1, max: 128, pattern: USERNAME }));
  const page = await core.store.groups.listForUser(pool.id, user.sub, limitOf(input), decodePageToken(input.NextToken));
  return { Groups: page.items.map(groupShape), NextToken: encodePageToken(page.next) };
}

export async function listUsersInGroup(core: Core, input: Input) {
  const { pool, group } = await groupTarget(core, input);
  const page = await core.store.groups.listMembers(pool.id, group.name, limitOf(input), decodePageToken(input.NextToken));
  return { Users: page.items.map((u) => userShape(u)), NextToken: encodePageToken(page.next) };
}
