import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CreateGroupCommandInput,
  type GroupType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { createPool, type TestPool } from './support/pools.js';
import { errorName, signIn, signUpConfirmed } from './support/users.js';

let cognate: TestCognate;
before(async () => {
  cognate = await startCognate();
});
after(async () => {
  await cognate?.close();
});

const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const withMessage = (name: string, message: string) => (e: unknown) => {
  errorName(name)(e);
  assert.equal((e as Error).message, message);
  return true;
};

async function createGroup(pool: TestPool, GroupName: string, input: Partial<CreateGroupCommandInput> = {}): Promise<GroupType> {
  const { Group } = await cognate.admin.send(new CreateGroupCommand({ UserPoolId: pool.poolId, GroupName, ...input }));
  assert.ok(Group);
  return Group;
}

function addToGroup(pool: TestPool, Username: string, GroupName: string) {
  return cognate.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.poolId, Username, GroupName }));
}

function getGroup(pool: TestPool, GroupName: string) {
  return cognate.admin.send(new GetGroupCommand({ UserPoolId: pool.poolId, GroupName }));
}

/** Follows NextToken to the end and returns every item seen. */
async function drain<T>(fetchPage: (NextToken?: string) => Promise<{ items: T[] | undefined; next: string | undefined }>, limit: number): Promise<T[]> {
  const seen: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < 50; i++) {
    const { items, next } = await fetchPage(token);
    assert.ok((items ?? []).length <= limit);
    seen.push(...(items ?? []));
    if (!next) return seen;
    token = next;
  }
  throw new Error('pagination does not end');
}

async function tokenClaims(pool: TestPool, username: string) {
  const tokens = await signIn(cognate, pool, username);
  return { id: decodeJwt(tokens.IdToken!), access: decodeJwt(tokens.AccessToken!) };
}

describe('group configuration', () => {
  test('CreateGroup returns the group; GetGroup reads it back; a second one of that name is GroupExistsException', async () => {
    const pool = await createPool(cognate);
    const created = await createGroup(pool, 'Admins', { Description: 'People who run things', RoleArn: role('admin'), Precedence: 0 });
    assert.equal(created.GroupName, 'Admins');
    assert.equal(created.UserPoolId, pool.poolId);
    assert.equal(created.Description, 'People who run things');
    assert.equal(created.RoleArn, role('admin'));
    assert.equal(created.Precedence, 0);
    assert.ok(created.CreationDate instanceof Date && created.LastModifiedDate instanceof Date);
    assert.ok(Math.abs(created.CreationDate.getTime() - cognate.clock.now()) < 5_000);
    assert.deepEqual((await getGroup(pool, 'Admins')).Group, created);

    const bare = await createGroup(pool, 'équipe-ñ_1+@/');
    assert.equal(bare.Description, undefined);
    assert.equal(bare.RoleArn, undefined);
    assert.equal(bare.Precedence, undefined);
    await createGroup(pool, 'admins'); // names are case-sensitive

    await assert.rejects(createGroup(pool, 'Admins'), withMessage('GroupExistsException', 'A group with the name Admins already exists.'));
    const other = await createPool(cognate);
    await createGroup(other, 'Admins');
  });

  test('CreateGroup validates its fields and its pool', async () => {
    const pool = await createPool(cognate);
    const invalid = errorName('InvalidParameterException');
    await assert.rejects(createGroup(pool, ''), invalid);
    await assert.rejects(createGroup(pool, 'has space'), invalid);
    await assert.rejects(createGroup(pool, 'x'.repeat(129)), invalid);
    await assert.rejects(createGroup(pool, 'g', { Description: 'd'.repeat(2049) }), invalid);
    await assert.rejects(createGroup(pool, 'g', { RoleArn: 'not-an-arn-at-all-really' }), invalid);
    await assert.rejects(createGroup(pool, 'g', { Precedence: -1 }), invalid);
    await assert.rejects(createGroup(pool, 'g', { Precedence: 2 ** 31 }), invalid);
    await createGroup(pool, 'g', { Precedence: 2 ** 31 - 1, Description: 'd'.repeat(2048) });
    await assert.rejects(
      cognate.admin.send(new CreateGroupCommand({ UserPoolId: 'local_Nonexist1', GroupName: 'g' })),
      errorName('ResourceNotFoundException'),
    );
  });

  test('UpdateGroup changes only the fields it is given', async () => {
    const pool = await createPool(cognate);
    const created = await createGroup(pool, 'editors', { Description: 'first', RoleArn: role('editor'), Precedence: 4 });
    advance(cognate, 2_000);
    const { Group } = await cognate.admin.send(new UpdateGroupCommand({ UserPoolId: pool.poolId, GroupName: 'editors', Precedence: 1 }));
    assert.equal(Group?.Precedence, 1);
    assert.equal(Group?.Description, 'first');
    assert.equal(Group?.RoleArn, role('editor'));
    assert.deepEqual(Group?.CreationDate, created.CreationDate);
    assert.ok(Group!.LastModifiedDate!.getTime() >= created.LastModifiedDate!.getTime() + 2_000);
    await cognate.admin.send(new UpdateGroupCommand({ UserPoolId: pool.poolId, GroupName: 'editors', Description: 'second', RoleArn: role('writer') }));
    const got = (await getGroup(pool, 'editors')).Group!;
    assert.deepEqual([got.Description, got.RoleArn, got.Precedence], ['second', role('writer'), 1]);
    await assert.rejects(
      cognate.admin.send(new UpdateGroupCommand({ UserPoolId: pool.poolId, GroupName: 'editors', RoleArn: 'arn:nope' })),
      errorName('InvalidParameterException'),
    );
    await assert.rejects(
      cognate.admin.send(new UpdateGroupCommand({ UserPoolId: pool.poolId, GroupName: 'ghosts', Description: 'x' })),
      withMessage('ResourceNotFoundException', 'Group not found.'),
    );
  });

  test('DeleteGroup removes the group; a missing one is ResourceNotFoundException', async () => {
    const pool = await createPool(cognate);
    await createGroup(pool, 'temp');
    await cognate.admin.send(new DeleteGroupCommand({ UserPoolId: pool.poolId, GroupName: 'temp' }));
    await assert.rejects(getGroup(pool, 'temp'), withMessage('ResourceNotFoundException', 'Group not found.'));
    await assert.rejects(
      cognate.admin.send(new DeleteGroupCommand({ UserPoolId: pool.poolId, GroupName: 'temp' })),
      withMessage('ResourceNotFoundException', 'Group not found.'),
    );
  });

  test('ListGroups pages with Limit and NextToken, visiting each group once', async () => {
    const pool = await createPool(cognate);
    const names = ['g-c', 'g-a', 'g-e', 'g-b', 'g-d', 'G-f', 'g-g'];
    for (const name of names) await createGroup(pool, name);
    await createGroup(await createPool(cognate), 'elsewhere');
    const seen = await drain(async (NextToken) => {
      const out = await cognate.admin.send(new ListGroupsCommand({ UserPoolId: pool.poolId, Limit: 3, NextToken }));
      return { items: out.Groups, next: out.NextToken };
    }, 3);
    assert.deepEqual(seen.map((g) => g.GroupName).sort(), [...names].sort());
    assert.ok(seen.every((g) => g.UserPoolId === pool.poolId));
    const all = await cognate.admin.send(new ListGroupsCommand({ UserPoolId: pool.poolId }));
    assert.equal(all.Groups?.length, names.length);
    assert.equal(all.NextToken, undefined);
    await assert.rejects(cognate.admin.send(new ListGroupsCommand({ UserPoolId: pool.poolId, Limit: 61 })), errorName('InvalidParameterException'));
    await assert.rejects(
      cognate.admin.send(new ListGroupsCommand({ UserPoolId: pool.poolId, NextToken: 'forged' })),
      errorName('InvalidParameterException'),
    );
  });

  test('an app client cannot call the group operations: they need a SigV4 signature', async () => {
    const pool = await createPool(cognate);
    await assert.rejects(
      cognate.app.send(new CreateGroupCommand({ UserPoolId: pool.poolId, GroupName: 'sneaky' })),
      errorName('UnrecognizedClientException'),
    );
    await assert.rejects(getGroup(pool, 'sneaky'), errorName('ResourceNotFoundException'));
  });
});

describe('memberships', () => {
  test('AdminAddUserToGroup is idempotent; both lists page through members and groups; removal shows in both', async () => {
    const pool = await createPool(cognate);
    const users = ['ann', 'ben', 'cat', 'dan', 'eve'];
    const subs = new Map<string, string>();
    for (const u of users) subs.set(u, await signUpConfirmed(cognate, pool, u));
    await createGroup(pool, 'team');
    for (const u of users) await addToGroup(pool, u, 'team');
    await addToGroup(pool, 'ann', 'team');
    await addToGroup(pool, subs.get('ann')!, 'team'); // admin calls also name a user by sub

    const members = await drain(async (NextToken) => {
      const out = await cognate.admin.send(new ListUsersInGroupCommand({ UserPoolId: pool.poolId, GroupName: 'team', Limit: 2, NextToken }));
      return { items: out.Users, next: out.NextToken };
    }, 2);
    assert.deepEqual(members.map((u) => u.Username).sort(), users);
    const ann = members.find((u) => u.Username === 'ann')!;
    assert.equal(ann.UserStatus, 'CONFIRMED');
    assert.equal(ann.Enabled, true);
    assert.ok(ann.UserCreateDate instanceof Date);
    assert.equal(ann.Attributes?.find((a) => a.Name === 'sub')?.Value, subs.get('ann'));
    assert.equal(ann.Attributes?.find((a) => a.Name === 'email')?.Value, 'ann@example.com');

    const groupNames = ['z-last', 'a-first', 'm-middle', 'b-second'];
    for (const g of groupNames) {
      await createGroup(pool, g, { Precedence: groupNames.indexOf(g) });
      await addToGroup(pool, 'ben', g);
    }
    const bensGroups = await drain(async (NextToken) => {
      const out = await cognate.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.poolId, Username: 'ben', Limit: 2, NextToken }));
      return { items: out.Groups, next: out.NextToken };
    }, 2);
    assert.deepEqual(bensGroups.map((g) => g.GroupName).sort(), [...groupNames, 'team'].sort());
    assert.equal(bensGroups.find((g) => g.GroupName === 'm-middle')?.Precedence, 2);

    await cognate.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.poolId, Username: 'ben', GroupName: 'team' }));
    const after = await cognate.admin.send(new ListUsersInGroupCommand({ UserPoolId: pool.poolId, GroupName: 'team' }));
    assert.deepEqual(after.Users?.map((u) => u.Username).sort(), ['ann', 'cat', 'dan', 'eve']);
    const bens = await cognate.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.poolId, Username: 'ben' }));
    assert.ok(!bens.Groups?.some((g) => g.GroupName === 'team'));

    await cognate.admin.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: 'cat' }));
    const afterDelete = await cognate.admin.send(new ListUsersInGroupCommand({ UserPoolId: pool.poolId, GroupName: 'team' }));
    assert.deepEqual(afterDelete.Users?.map((u) => u.Username).sort(), ['ann', 'dan', 'eve'], 'a deleted user leaves its groups');
  });

  test('missing users and groups are UserNotFoundException and ResourceNotFoundException', async () => {
    const pool = await createPool(cognate);
    await signUpConfirmed(cognate, pool, 'solo');
    await createGroup(pool, 'real');
    const userMissing = withMessage('UserNotFoundException', 'User does not exist.');
    const groupMissing = withMessage('ResourceNotFoundException', 'Group not found.');
    await assert.rejects(addToGroup(pool, 'nobody', 'real'), userMissing);
    await assert.rejects(addToGroup(pool, 'solo', 'imaginary'), groupMissing);
    await assert.rejects(
      cognate.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.poolId, Username: 'nobody', GroupName: 'real' })),
      userMissing,
    );
    await assert.rejects(
      cognate.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.poolId, Username: 'solo', GroupName: 'imaginary' })),
      groupMissing,
    );
    await assert.rejects(cognate.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.poolId, Username: 'nobody' })), userMissing);
    await assert.rejects(cognate.admin.send(new ListUsersInGroupCommand({ UserPoolId: pool.poolId, GroupName: 'imaginary' })), groupMissing);
    // Removing a user who is not a member succeeds, as adding one twice does.
    await cognate.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.poolId, Username: 'solo', GroupName: 'real' }));
    const none = await cognate.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.poolId, Username: 'solo' }));
    assert.deepEqual(none.Groups, []);
  });
});

describe('group claims in tokens', () => {
  test('cognito:groups by precedence (unset last, then name), cognito:roles and cognito:preferred_role', async () => {
    const pool = await createPool(cognate);
    await signUpConfirmed(cognate, pool, 'gwen');
    const plain = await tokenClaims(pool, 'gwen');
    for (const claim of ['cognito:groups', 'cognito:roles', 'cognito:preferred_role']) {
      assert.equal(plain.id[claim], undefined);
      assert.equal(plain.access[claim], undefined);
    }

    await createGroup(pool, 'zeta-unranked');
    await createGroup(pool, 'alpha-unranked', { RoleArn: role('unranked') });
    await createGroup(pool, 'readers', { Precedence: 10, RoleArn: role('reader') });
    await createGroup(pool, 'writers', { Precedence: 5, RoleArn: role('writer') });
    await createGroup(pool, 'staff', { Precedence: 1 });
    for (const g of ['zeta-unranked', 'alpha-unranked', 'readers', 'writers', 'staff']) await addToGroup(pool, 'gwen', g);

    const { id, access } = await tokenClaims(pool, 'gwen');
    const order = ['staff', 'writers', 'readers', 'alpha-unranked', 'zeta-unranked'];
    assert.deepEqual(id['cognito:groups'], order);
    assert.deepEqual(access['cognito:groups'], order);
    assert.deepEqual(id['cognito:roles'], [role('writer'), role('reader'), role('unranked')]);
    assert.equal(id['cognito:preferred_role'], role('writer'), 'the best-ranked group that has a role; staff has none');
    assert.equal(access['cognito:roles'], undefined, 'roles are ID-token claims only');
    assert.equal(access['cognito:preferred_role'], undefined);
  });

  test('equal precedence: the same role is preferred, different roles leave no preferred_role', async () => {
    const pool = await createPool(cognate);
    await signUpConfirmed(cognate, pool, 'hal');
    await createGroup(pool, 'east', { Precedence: 2, RoleArn: role('ops') });
    await createGroup(pool, 'west', { Precedence: 2, RoleArn: role('ops') });
    await createGroup(pool, 'later', { Precedence: 3, RoleArn: role('later') });
    for (const g of ['east', 'west', 'later']) await addToGroup(pool, 'hal', g);
    let { id } = await tokenClaims(pool, 'hal');
    assert.equal(id['cognito:preferred_role'], role('ops'));
    assert.deepEqual(id['cognito:roles'], [role('ops'), role('later')], 'each role once');

    await cognate.admin.send(new UpdateGroupCommand({ UserPoolId: pool.poolId, GroupName: 'west', RoleArn: role('other') }));
    ({ id } = await tokenClaims(pool, 'hal'));
    assert.equal(id['cognito:preferred_role'], undefined, 'a tie between different roles prefers none, not the next rank');
    assert.deepEqual(id['cognito:roles'], [role('ops'), role('other'), role('later')]);
    assert.deepEqual(id['cognito:groups'], ['east', 'west', 'later']);
  });

  test('DeleteGroup and AdminRemoveUserFromGroup take the claims out of the next tokens', async () => {
    const pool = await createPool(cognate);
    await signUpConfirmed(cognate, pool, 'ida');
    await createGroup(pool, 'doomed', { Precedence: 0, RoleArn: role('doomed') });
    await createGroup(pool, 'kept', { Precedence: 1 });
    await createGroup(pool, 'left', { Precedence: 2 });
    for (const g of ['doomed', 'kept', 'left']) await addToGroup(pool, 'ida', g);
    assert.deepEqual((await tokenClaims(pool, 'ida')).id['cognito:groups'], ['doomed', 'kept', 'left']);

    await cognate.admin.send(new DeleteGroupCommand({ UserPoolId: pool.poolId, GroupName: 'doomed' }));
    await cognate.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.poolId, Username: 'ida', GroupName: 'left' }));
    const { id, access } = await tokenClaims(pool, 'ida');
    assert.deepEqual(id['cognito:groups'], ['kept']);
    assert.deepEqual(access['cognito:groups'], ['kept']);
    assert.equal(id['cognito:roles'], undefined);
    assert.equal(id['cognito:preferred_role'], undefined);

    // A new group under the old name does not inherit the old members.
    await createGroup(pool, 'doomed');
    assert.deepEqual((await tokenClaims(pool, 'ida')).id['cognito:groups'], ['kept']);
  });
});
