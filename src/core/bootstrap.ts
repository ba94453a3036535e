import { createUserPoolClient } from './api/clients.js';
import { createUserPool } from './api/pools.js';
import type { Core } from './context.js';

export interface DevPool {
  poolId: string;
  clientId: string;
}

/** On an empty database, a pool and public client a developer can use at once. */
export async function ensureDevPool(core: Core): Promise<DevPool | undefined> {
  const existing = await core.store.pools.list(1);
  if (existing.items.length > 0) return undefined;
  const { UserPool } = await createUserPool(core, {
    PoolName: 'dev',
    AutoVerifiedAttributes: ['email'],
    UsernameAttributes: ['email'],
  });
  const poolId = UserPool.Id as string;
  const { UserPoolClient } = await createUserPoolClient(core, {
    UserPoolId: poolId,
    ClientName: 'dev-client',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    PreventUserExistenceErrors: 'ENABLED',
  });
  return { poolId, clientId: UserPoolClient.ClientId as string };
}
