import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolCommandInput,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type TestCognate } from './support/cognate.js';

let cognate: TestCognate;
before(async () => {
  cognate = await startCognate();
});
after(async () => {
  await cognate?.close();
});

const isInvalidParameter = (e: unknown) => (e as Error).name === 'InvalidParameterException';

async function createPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<UserPoolType> {
  const { UserPool } = await cognate.admin.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input }));
  assert.ok(UserPool?.Id);
  return UserPool;
}

async function describePool(id: string): Promise<UserPoolType> {
  const { UserPool } = await cognate.admin.send(new DescribeUserPoolCommand({ UserPoolId: id }));
  assert.ok(UserPool);
  return UserPool;
}

/** Every pool id, following NextToken with the given page size. */
async function allPoolIds(maxResults = 60): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cognate.admin.send(new ListUserPoolsCommand({ MaxResults: maxResults, NextToken }));
    assert.ok((page.UserPools ?? []).length <= maxResults);
    ids.push(...(page.UserPools ?? []).map((p) => p.Id!));
    NextToken = page.NextToken;
  } while (NextToken);
  return ids;
}

describe('CreateUserPool', () => {
  test('reports Cognito defaults', async () => {
    const pool = await createPool({ PoolName: 'Defaults pool' });
    assert.match(pool.Id!, /^local_[0-9A-Za-z]{9}$/);
    assert.equal(pool.Name, 'Defaults pool');
    assert.equal(pool.Arn, `arn:aws:cognito-idp:local:000000000000:userpool/${pool.Id}`);
    assert.deepEqual(pool.Policies?.PasswordPolicy, {
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    assert.equal(pool.MfaConfiguration, 'OFF');
    assert.equal(pool.DeletionProtection, 'INACTIVE');
    assert.equal(pool.UsernameConfiguration?.CaseSensitive, false);
    assert.equal(pool.EstimatedNumberOfUsers, 0);
    assert.ok(pool.CreationDate instanceof Date);
    assert.ok(Math.abs(pool.CreationDate.getTime() - Date.now()) < 60_000);
    const names = (pool.SchemaAttributes ?? []).map((a) => a.Name);
    for (const standard of ['sub', 'email', 'email_verified', 'phone_number', 'name', 'given_name', 'family_name', 'updated_at']) {
      assert.ok(names.includes(standard), `schema lists ${standard}`);
    }
    const sub = pool.SchemaAttributes!.find((a) => a.Name === 'sub')!;
    assert.equal(sub.Required, true);
    assert.equal(sub.Mutable, false);
    assert.deepEqual(await describePool(pool.Id!), pool);
  });

  test('declared custom attributes appear as custom: in SchemaAttributes', async () => {
    const pool = await createPool({
      Schema: [
        { Name: 'tenant', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '64' } },
        { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '10' } },
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
      ],
    });
    const schema = (await describePool(pool.Id!)).SchemaAttributes!;
    const tenant = schema.find((a) => a.Name === 'custom:tenant');
    assert.equal(tenant?.AttributeDataType, 'String');
    assert.deepEqual(tenant?.StringAttributeConstraints, { MinLength: '1', MaxLength: '64' });
    const level = schema.find((a) => a.Name === 'custom:level');
    assert.equal(level?.AttributeDataType, 'Number');
    assert.deepEqual(level?.NumberAttributeConstraints, { MinValue: '0', MaxValue: '10' });
    assert.equal(schema.find((a) => a.Name === 'email')?.Required, true);
    assert.equal(schema.filter((a) => a.Name === 'email').length, 1, 'a standard attribute is not duplicated');
  });

  test('EstimatedNumberOfUsers counts users', async () => {
    const pool = await createPool();
    for (const Username of ['one', 'two', 'three']) {
      await cognate.admin.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username, MessageAction: 'SUPPRESS' }));
    }
    assert.equal((await describePool(pool.Id!)).EstimatedNumberOfUsers, 3);
  });

  const invalid: [string, Partial<CreateUserPoolCommandInput>][] = [
    ['a PoolName with forbidden characters', { PoolName: 'bad/name<>' }],
    ['an empty PoolName', { PoolName: '' }],
    ['a PoolName over 128 characters', { PoolName: 'p'.repeat(129) }],
    ['AliasAttributes with UsernameAttributes', { AliasAttributes: ['email'], UsernameAttributes: ['email'] }],
    ['a verification message without {####}', { VerificationMessageTemplate: { EmailMessage: 'Hello there, no code here' } }],
    [
      'an invitation without {####}',
      { AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'Hi {username}, welcome', EmailSubject: 'Welcome' } } },
    ],
    ['MinimumLength 3', { Policies: { PasswordPolicy: { MinimumLength: 3 } } }],
    ['a custom attribute declared twice', { Schema: [{ Name: 'tenant', AttributeDataType: 'String' }, { Name: 'tenant', AttributeDataType: 'Number' }] }],
    ['a required custom attribute', { Schema: [{ Name: 'tenant', AttributeDataType: 'String', Required: true }] }],
  ];
  for (const [what, input] of invalid) {
    test(`refuses ${what} and creates nothing`, async () => {
      const before = (await allPoolIds()).length;
      await assert.rejects(cognate.admin.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input } as CreateUserPoolCommandInput)), isInvalidParameter);
      assert.equal((await allPoolIds()).length, before);
    });
  }
});

describe('DescribeUserPool', () => {
  test('a missing pool is ResourceNotFoundException', async () => {
    await assert.rejects(
      cognate.admin.send(new DescribeUserPoolCommand({ UserPoolId: 'local_000000000' })),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
  });
});

describe('UpdateUserPool', () => {
  test('changes settings, and unspecified settings return to their defaults', async () => {
    const pool = await createPool({
      MfaConfiguration: 'OFF',
      AutoVerifiedAttributes: ['email'],
      UserPoolTags: { team: 'identity' },
      Schema: [{ Name: 'tenant', AttributeDataType: 'String' }],
    });
    await cognate.admin.send(
      new UpdateUserPoolCommand({
        UserPoolId: pool.Id,
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false, TemporaryPasswordValidityDays: 3 } },
        DeletionProtection: 'ACTIVE',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      }),
    );
    const updated = await describePool(pool.Id!);
    assert.equal(updated.Policies?.PasswordPolicy?.MinimumLength, 12);
    assert.equal(updated.Policies?.PasswordPolicy?.RequireSymbols, false);
    assert.equal(updated.Policies?.PasswordPolicy?.RequireUppercase, true);
    assert.equal(updated.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays, 3);
    assert.equal(updated.DeletionProtection, 'ACTIVE');
    assert.equal(updated.AdminCreateUserConfig?.AllowAdminCreateUserOnly, true);
    // Not given in the update: back to defaults, as Cognito does.
    assert.equal(updated.AutoVerifiedAttributes, undefined);
    assert.deepEqual(updated.UserPoolTags ?? {}, {});
    // Creation-only settings stay.
    assert.ok(updated.SchemaAttributes?.some((a) => a.Name === 'custom:tenant'));
    assert.equal(updated.UsernameConfiguration?.CaseSensitive, false);
    assert.equal(updated.Id, pool.Id);
    assert.equal(updated.Name, pool.Name);

    await cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id }));
    const reset = await describePool(pool.Id!);
    assert.equal(reset.Policies?.PasswordPolicy?.MinimumLength, 8);
    assert.equal(reset.DeletionProtection, 'INACTIVE');
    assert.equal(reset.AdminCreateUserConfig?.AllowAdminCreateUserOnly, false);
  });

  test('TemporaryPasswordValidityDays 0 means the default, 7', async () => {
    const pool = await createPool({ Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 0 } } });
    assert.equal(pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays, 7);
    await cognate.admin.send(
      new UpdateUserPoolCommand({ UserPoolId: pool.Id, Policies: { PasswordPolicy: { MinimumLength: 9, TemporaryPasswordValidityDays: 0 } } }),
    );
    assert.equal((await describePool(pool.Id!)).Policies?.PasswordPolicy?.TemporaryPasswordValidityDays, 7);
  });

  test('refuses invalid settings and keeps the old ones', async () => {
    const pool = await createPool({ Policies: { PasswordPolicy: { MinimumLength: 10 } } });
    await assert.rejects(
      cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, Policies: { PasswordPolicy: { MinimumLength: 3 } } })),
      isInvalidParameter,
    );
    assert.equal((await describePool(pool.Id!)).Policies?.PasswordPolicy?.MinimumLength, 10);
  });

  test('a missing pool is ResourceNotFoundException', async () => {
    await assert.rejects(
      cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: 'local_000000000' })),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
  });
});

describe('ListUserPools', () => {
  test('MaxResults and NextToken visit each pool exactly once', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await createPool({ PoolName: `paged ${i}` })).Id!);
    const everything = await allPoolIds(60);
    const paged = await allPoolIds(2);
    assert.equal(new Set(paged).size, paged.length, 'no pool is listed twice');
    assert.deepEqual([...paged].sort(), [...everything].sort());
    for (const id of created) assert.ok(paged.includes(id));
    const first = await cognate.admin.send(new ListUserPoolsCommand({ MaxResults: 2 }));
    assert.equal(first.UserPools?.length, 2);
    assert.ok(first.NextToken);
    const entry = first.UserPools![0]!;
    assert.ok(entry.Id && entry.Name && entry.CreationDate instanceof Date && entry.LastModifiedDate instanceof Date);
  });

  test('a garbage NextToken is InvalidParameterException', async () => {
    await assert.rejects(cognate.admin.send(new ListUserPoolsCommand({ MaxResults: 5, NextToken: 'not-a-token!!' })), isInvalidParameter);
  });

  test('MaxResults out of range is InvalidParameterException', async () => {
    await assert.rejects(cognate.admin.send(new ListUserPoolsCommand({ MaxResults: 61 })), isInvalidParameter);
  });
});

describe('DeleteUserPool', () => {
  test('honours DeletionProtection, then deletes once it is inactive', async () => {
    const pool = await createPool({ DeletionProtection: 'ACTIVE' });
    await assert.rejects(cognate.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })), isInvalidParameter);
    assert.equal((await describePool(pool.Id!)).Id, pool.Id);

    await cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: 'INACTIVE' }));
    await cognate.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
    await assert.rejects(
      cognate.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id })),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
    assert.ok(!(await allPoolIds()).includes(pool.Id!));
    const jwks = await fetch(`${cognate.url}/${pool.Id}/.well-known/jwks.json`);
    assert.equal(jwks.status, 404);
    await jwks.body?.cancel();
  });
});

describe('signing keys', () => {
  async function jwks(poolId: string) {
    const response = await fetch(`${cognate.url}/${poolId}/.well-known/jwks.json`);
    assert.equal(response.status, 200);
    return (await response.json()) as { keys: Record<string, string>[] };
  }

  test('RS256 by default', async () => {
    const { keys } = await jwks((await createPool()).Id!);
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kty, 'RSA');
    assert.equal(keys[0]!.alg, 'RS256');
    assert.equal(keys[0]!.use, 'sig');
    assert.ok(keys[0]!.kid && keys[0]!.n && keys[0]!.e);
    assert.equal(keys[0]!.d, undefined);
  });

  test('the cognate:signing-alg tag ES256 publishes an EC P-256 key', async () => {
    const pool = await createPool({ UserPoolTags: { 'cognate:signing-alg': 'ES256' } });
    const { keys } = await jwks(pool.Id!);
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kty, 'EC');
    assert.equal(keys[0]!.crv, 'P-256');
    assert.equal(keys[0]!.alg, 'ES256');
    assert.ok(keys[0]!.x && keys[0]!.y && keys[0]!.kid);
    assert.equal(keys[0]!.d, undefined);
  });

  test('an ES256 pool takes updates that do not repeat the tag, but cannot switch algorithm', async () => {
    const pool = await createPool({ UserPoolTags: { 'cognate:signing-alg': 'ES256' } });
    await cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, MfaConfiguration: 'OFF' }));
    assert.equal((await describePool(pool.Id!)).UserPoolTags?.['cognate:signing-alg'], 'ES256');
    await assert.rejects(
      cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, UserPoolTags: { 'cognate:signing-alg': 'RS256' } })),
      isInvalidParameter,
    );
    assert.equal((await jwks(pool.Id!)).keys[0]!.kty, 'EC');
  });

  test('an unknown signing algorithm is refused', async () => {
    await assert.rejects(
      cognate.admin.send(new CreateUserPoolCommand({ PoolName: 'pool', UserPoolTags: { 'cognate:signing-alg': 'HS256' } })),
      isInvalidParameter,
    );
  });
});
