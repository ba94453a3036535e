import {
  CreateResourceServerCommand,
  DeleteResourceServerCommand,
  DescribeResourceServerCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, type TestPool } from './support/pools.js';
import { errorName } from './support/users.js';

describe('resource servers', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
  });
  after(() => cognate.close());

  const scopes = [{ ScopeName: 'read', ScopeDescription: 'Read things' }];

  it('creates, describes, replaces and deletes a resource server', async () => {
    const { ResourceServer } = await cognate.admin.send(new CreateResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'orders', Name: 'Orders API', Scopes: scopes }));
    assert.deepEqual(ResourceServer, { UserPoolId: pool.poolId, Identifier: 'orders', Name: 'Orders API', Scopes: scopes });
    await assert.rejects(
      cognate.admin.send(new CreateResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'orders', Name: 'Again', Scopes: [] })),
      errorName('InvalidParameterException'),
    );
    const updated = await cognate.admin.send(
      new UpdateResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'orders', Name: 'Orders v2', Scopes: [{ ScopeName: 'write', ScopeDescription: 'Write' }] }),
    );
    assert.deepEqual(updated.ResourceServer?.Scopes?.map((s) => s.ScopeName), ['write'], 'scopes are replaced, as in Cognito');
    const described = await cognate.admin.send(new DescribeResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'orders' }));
    assert.equal(described.ResourceServer?.Name, 'Orders v2');
    await cognate.admin.send(new DeleteResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'orders' }));
    await assert.rejects(cognate.admin.send(new DescribeResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'orders' })), errorName('ResourceNotFoundException'));
  });

  it('validates identifiers, names and scopes', async () => {
    await assert.rejects(cognate.admin.send(new CreateResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'has space"quote', Name: 'x' })), errorName('InvalidParameterException'));
    await assert.rejects(
      cognate.admin.send(new CreateResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'dup', Name: 'x', Scopes: [...scopes, ...scopes] })),
      errorName('InvalidParameterException'),
    );
    await assert.rejects(cognate.admin.send(new CreateResourceServerCommand({ UserPoolId: 'local_Missing99', Identifier: 'x', Name: 'x' })), errorName('ResourceNotFoundException'));
  });

  it('lists with MaxResults and NextToken, each once', async () => {
    const other = await createPool(cognate);
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await cognate.admin.send(new CreateResourceServerCommand({ UserPoolId: other.poolId, Identifier: `https://${id}.example.com`, Name: id, Scopes: scopes }));
    }
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cognate.admin.send(new ListResourceServersCommand({ UserPoolId: other.poolId, MaxResults: 2, NextToken }));
      seen.push(...page.ResourceServers!.map((r) => r.Identifier!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e'].map((id) => `https://${id}.example.com`));
  });
});
