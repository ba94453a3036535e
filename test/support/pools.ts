import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHmac } from 'node:crypto';
import type { TestCognate } from './cognate.js';

export interface TestPool {
  poolId: string;
  clientId: string;
  clientSecret?: string;
}

/** A pool with email verification and a client allowing password and refresh flows. */
export async function createPool(
  cognate: TestCognate,
  pool: Partial<CreateUserPoolCommandInput> = {},
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<TestPool> {
  const { UserPool } = await cognate.admin.send(
    new CreateUserPoolCommand({ PoolName: 'test', AutoVerifiedAttributes: ['email'], ...pool }),
  );
  const { UserPoolClient } = await cognate.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: UserPool!.Id!,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...client,
    }),
  );
  return { poolId: UserPool!.Id!, clientId: UserPoolClient!.ClientId!, clientSecret: UserPoolClient!.ClientSecret };
}

export function secretHash(pool: TestPool, username: string): string {
  return createHmac('sha256', pool.clientSecret!).update(username + pool.clientId).digest('base64');
}

export const PASSWORD = 'Correct-Horse-9';
