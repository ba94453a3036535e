import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CognateServer } from '../servers/cognate.js';
import { PEER } from '../peer/fixtures.js';

export const BENCH_PASSWORD = 'Correct-Horse-9';
export const REDIRECT_URI = PEER.redirectUri;
export const SIGN_IN_USERS = 100;

export interface Confidential {
  id: string;
  secret: string;
}

export interface CognatePool {
  poolId: string;
  issuer: string;
  /** client_credentials with the custom scope `bench/read`. */
  machine: Confidential;
}

export interface CognateFixture {
  es256: CognatePool;
  rs256: CognatePool & {
    /** Code flow with PKCE, rotated refresh tokens. */
    app: Confidential;
    /** Public client for SignUp and USER_PASSWORD_AUTH. */
    publicClientId: string;
    /** Users `bench-0` … `bench-99`, password BENCH_PASSWORD; `bench-0` signs in to the hosted UI. */
    users: string[];
  };
}

async function machinePool(admin: CognitoIdentityProviderClient, issuerBase: string, alg: 'RS256' | 'ES256'): Promise<CognatePool> {
  const { UserPool } = await admin.send(
    new CreateUserPoolCommand({
      PoolName: `bench-${alg}`,
      AutoVerifiedAttributes: ['email'],
      ...(alg === 'ES256' ? { UserPoolTags: { 'cognate:signing-alg': 'ES256' } } : {}),
    }),
  );
  const poolId = UserPool!.Id!;
  await admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'bench', Name: 'bench', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }));
  const { UserPoolClient } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'machine',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['bench/read'],
    }),
  );
  return { poolId, issuer: `${issuerBase}/${poolId}`, machine: { id: UserPoolClient!.ClientId!, secret: UserPoolClient!.ClientSecret! } };
}

/** Pools, clients, a resource server and users, made through the signed Cognito API. */
export async function createCognateFixture(cognate: CognateServer): Promise<CognateFixture> {
  const { admin } = cognate;
  const es256 = await machinePool(admin, cognate.url, 'ES256');
  const rs256 = await machinePool(admin, cognate.url, 'RS256');
  const { UserPoolClient: app } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: rs256.poolId,
      ClientName: 'app',
      GenerateSecret: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [REDIRECT_URI],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    }),
  );
  const { UserPoolClient: publicClient } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: rs256.poolId,
      ClientName: 'public',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const users = Array.from({ length: SIGN_IN_USERS }, (_, i) => `bench-${i}`);
  for (const username of users) {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: rs256.poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: rs256.poolId, Username: username, Password: BENCH_PASSWORD, Permanent: true }));
  }
  return {
    es256,
    rs256: {
      ...rs256,
      app: { id: app!.ClientId!, secret: app!.ClientSecret! },
      publicClientId: publicClient!.ClientId!,
      users,
    },
  };
}
