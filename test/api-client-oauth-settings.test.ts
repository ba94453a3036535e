import { CreateResourceServerCommand, CreateUserPoolClientCommand, UpdateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, type TestPool } from './support/pools.js';
import { errorName } from './support/users.js';

describe("app clients' OAuth settings follow Cognito's rules", () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
    await cognate.admin.send(new CreateResourceServerCommand({ UserPoolId: pool.poolId, Identifier: 'api', Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }] }));
  });
  after(() => cognate.close());

  const create = (input: Partial<ConstructorParameters<typeof CreateUserPoolClientCommand>[0]>) =>
    cognate.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'c', ...input }));

  it('custom scopes must be defined by a resource server', async () => {
    await assert.rejects(create({ AllowedOAuthScopes: ['api/write'] }), errorName('ScopeDoesNotExistException'));
    const ok = await create({ AllowedOAuthScopes: ['openid', 'api/read'] });
    assert.deepEqual(ok.UserPoolClient?.AllowedOAuthScopes, ['openid', 'api/read']);
  });

  it('client_credentials needs a secret and stands alone', async () => {
    await assert.rejects(create({ AllowedOAuthFlows: ['client_credentials'], AllowedOAuthFlowsUserPoolClient: true }), errorName('InvalidOAuthFlowException'));
    await assert.rejects(
      create({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials', 'code'], AllowedOAuthFlowsUserPoolClient: true, CallbackURLs: ['https://a.example/cb'] }),
      errorName('InvalidOAuthFlowException'),
    );
  });

  it('the code flow needs callback URLs, and only known identity providers', async () => {
    await assert.rejects(create({ AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'] }), errorName('InvalidParameterException'));
    await assert.rejects(create({ SupportedIdentityProviders: ['Google'] }), errorName('InvalidParameterException'));
    const { UserPoolClient } = await create({ SupportedIdentityProviders: ['COGNITO'] });
    await assert.rejects(
      cognate.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientId: UserPoolClient!.ClientId!, AllowedOAuthScopes: ['nope/x'] })),
      errorName('ScopeDoesNotExistException'),
    );
  });
});
