import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  ResourceNotFoundException,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognate, type TestCognate } from './support/cognate.js';

let cognate: TestCognate;
const dataDir = mkdtempSync(join(tmpdir(), 'cognate-clients-'));
const dbPath = join(dataDir, 'cognate.db');
before(async () => {
  // Our own database path, so the test can open the file and look at what is stored.
  cognate = await startCognate({ COGNATE_DB: dbPath });
});
after(async () => {
  await cognate?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const isInvalidParameter = (e: unknown) => (e as Error).name === 'InvalidParameterException';

async function createPool(input: Record<string, unknown> = {}): Promise<string> {
  const { UserPool } = await cognate.admin.send(
    new CreateUserPoolCommand({ PoolName: 'clients', Schema: [{ Name: 'tenant', AttributeDataType: 'String' }], ...input }),
  );
  return UserPool!.Id!;
}

async function createClient(poolId: string, input: Partial<CreateUserPoolClientCommandInput> = {}): Promise<UserPoolClientType> {
  const { UserPoolClient } = await cognate.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ...input }),
  );
  assert.ok(UserPoolClient?.ClientId);
  return UserPoolClient;
}

async function describeClient(poolId: string, clientId: string): Promise<UserPoolClientType> {
  const { UserPoolClient } = await cognate.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.ok(UserPoolClient);
  return UserPoolClient;
}

describe('CreateUserPoolClient', () => {
  test('a public client has a 26-character id, no secret, and Cognito defaults', async () => {
    const poolId = await createPool();
    const client = await createClient(poolId, { ClientName: 'Public app' });
    assert.match(client.ClientId!, /^[a-z0-9]{26}$/);
    assert.equal(client.ClientSecret, undefined);
    assert.equal(client.UserPoolId, poolId);
    assert.equal(client.ClientName, 'Public app');
    assert.equal(client.AccessTokenValidity, 60);
    assert.equal(client.IdTokenValidity, 60);
    assert.equal(client.RefreshTokenValidity, 30);
    assert.deepEqual(client.TokenValidityUnits, { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' });
    assert.equal(client.EnableTokenRevocation, true);
    assert.equal(client.PreventUserExistenceErrors, 'LEGACY');
    assert.equal(client.AuthSessionValidity, 3);
    assert.equal(client.RefreshTokenRotation?.Feature, 'DISABLED');
    assert.ok(client.CreationDate instanceof Date);
    const described = await describeClient(poolId, client.ClientId!);
    assert.equal(described.ClientSecret, undefined);
    assert.deepEqual(described, client);
  });

  test('GenerateSecret shows the secret on Create and on Describe', async () => {
    const poolId = await createPool();
    const client = await createClient(poolId, { GenerateSecret: true });
    assert.match(client.ClientId!, /^[a-z0-9]{26}$/);
    assert.ok(client.ClientSecret && client.ClientSecret.length >= 40);
    assert.equal((await describeClient(poolId, client.ClientId!)).ClientSecret, client.ClientSecret);
    const other = await createClient(poolId, { GenerateSecret: true });
    assert.notEqual(other.ClientSecret, client.ClientSecret);
    assert.notEqual(other.ClientId, client.ClientId);
  });

  test('explicit settings round-trip', async () => {
    const poolId = await createPool();
    const input: Partial<CreateUserPoolClientCommandInput> = {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ReadAttributes: ['email', 'email_verified', 'custom:tenant'],
      WriteAttributes: ['email', 'custom:tenant'],
      CallbackURLs: ['https://app.example.com/callback', 'http://localhost:3000/cb', 'myapp://signed-in'],
      LogoutURLs: ['https://app.example.com/bye'],
      DefaultRedirectURI: 'https://app.example.com/callback',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: false,
      AccessTokenValidity: 2,
      IdTokenValidity: 90,
      RefreshTokenValidity: 12,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'minutes', RefreshToken: 'hours' },
      AuthSessionValidity: 10,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 },
    };
    const client = await createClient(poolId, input);
    const described = await describeClient(poolId, client.ClientId!);
    for (const [key, value] of Object.entries(input)) {
      assert.deepEqual(described[key as keyof UserPoolClientType], value, key);
    }
  });

  const invalid: [string, Partial<CreateUserPoolClientCommandInput>][] = [
    ['legacy and ALLOW_ flows mixed', { ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }],
    ['an unknown flow', { ExplicitAuthFlows: ['ALLOW_EVERYTHING' as 'ALLOW_USER_AUTH'] }],
    ['AccessTokenValidity of 2 minutes', { AccessTokenValidity: 2 }],
    ['IdTokenValidity over a day', { IdTokenValidity: 25, TokenValidityUnits: { IdToken: 'hours' } }],
    ['RefreshTokenValidity under an hour', { RefreshTokenValidity: 30, TokenValidityUnits: { RefreshToken: 'minutes' } }],
    ['an unknown attribute in ReadAttributes', { ReadAttributes: ['email', 'custom:nope'] }],
    ['an unknown attribute in WriteAttributes', { WriteAttributes: ['shoe_size'] }],
    ['a bad ClientName', { ClientName: 'bad/name<>' }],
    ['AuthSessionValidity 20', { AuthSessionValidity: 20 }],
    ['an http callback URL that is not localhost', { CallbackURLs: ['http://app.example.com/cb'] }],
    ['a callback URL with a fragment', { CallbackURLs: ['https://app.example.com/cb#frag'] }],
    ['a relative logout URL', { LogoutURLs: ['/bye'] }],
    ['a DefaultRedirectURI outside CallbackURLs', { CallbackURLs: ['https://app.example.com/cb'], DefaultRedirectURI: 'https://evil.example/cb' }],
    ['RetryGracePeriodSeconds 61', { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 61 } }],
  ];
  for (const [what, input] of invalid) {
    test(`refuses ${what} with InvalidParameterException and creates nothing`, async () => {
      const poolId = await createPool();
      await assert.rejects(
        cognate.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ...input })),
        isInvalidParameter,
      );
      const { UserPoolClients } = await cognate.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
      assert.deepEqual(UserPoolClients, []);
    });
  }

  test('a client in a missing pool is ResourceNotFoundException', async () => {
    await assert.rejects(
      cognate.admin.send(new CreateUserPoolClientCommand({ UserPoolId: 'local_000000000', ClientName: 'web' })),
      ResourceNotFoundException,
    );
  });
});

describe('UpdateUserPoolClient', () => {
  test('changes settings, keeps the secret, and resets what is not given', async () => {
    const poolId = await createPool();
    const client = await createClient(poolId, {
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      CallbackURLs: ['https://app.example.com/cb'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    const { UserPoolClient: updated } = await cognate.admin.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: client.ClientId,
        ClientName: 'renamed',
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
        AccessTokenValidity: 15,
      }),
    );
    assert.equal(updated?.ClientName, 'renamed');
    const described = await describeClient(poolId, client.ClientId!);
    assert.equal(described.ClientName, 'renamed');
    assert.deepEqual(described.ExplicitAuthFlows, ['ALLOW_ADMIN_USER_PASSWORD_AUTH']);
    assert.equal(described.AccessTokenValidity, 15);
    assert.equal(described.ClientSecret, client.ClientSecret);
    assert.equal(described.CallbackURLs, undefined);
    assert.equal(described.PreventUserExistenceErrors, 'LEGACY');
    assert.equal(described.CreationDate?.getTime(), client.CreationDate?.getTime());
  });

  test('refuses invalid settings and keeps the old ones', async () => {
    const poolId = await createPool();
    const client = await createClient(poolId, { AccessTokenValidity: 30 });
    await assert.rejects(
      cognate.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, AccessTokenValidity: 2 })),
      isInvalidParameter,
    );
    assert.equal((await describeClient(poolId, client.ClientId!)).AccessTokenValidity, 30);
  });

  test('an unknown client is ResourceNotFoundException', async () => {
    const poolId = await createPool();
    await assert.rejects(
      cognate.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'abcdefghijklmnopqrstuvwxyz' })),
      ResourceNotFoundException,
    );
  });
});

describe('ListUserPoolClients', () => {
  test('MaxResults and NextToken visit each client exactly once, only from this pool', async () => {
    const poolId = await createPool();
    const otherPool = await createPool();
    await createClient(otherPool);
    const created = new Set<string>();
    for (let i = 0; i < 5; i++) created.add((await createClient(poolId, { ClientName: `client ${i}` })).ClientId!);
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await cognate.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 2, NextToken }));
      assert.ok(page.UserPoolClients!.length <= 2);
      for (const c of page.UserPoolClients!) {
        assert.equal(c.UserPoolId, poolId);
        assert.match(c.ClientName!, /^client \d$/);
        seen.push(c.ClientId!);
      }
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    assert.ok(pages >= 3);
    assert.equal(seen.length, 5);
    assert.deepEqual(new Set(seen), created);
  });

  test('a garbage NextToken is InvalidParameterException', async () => {
    const poolId = await createPool();
    await assert.rejects(
      cognate.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: '%%%garbage' })),
      isInvalidParameter,
    );
  });
});

describe('DeleteUserPoolClient', () => {
  test('then DescribeUserPoolClient is ResourceNotFoundException', async () => {
    const poolId = await createPool();
    const client = await createClient(poolId);
    await cognate.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }));
    await assert.rejects(
      cognate.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId })),
      ResourceNotFoundException,
    );
    await assert.rejects(
      cognate.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId })),
      ResourceNotFoundException,
    );
  });

  test('a client is only found in its own pool', async () => {
    const poolId = await createPool();
    const otherPool = await createPool();
    const client = await createClient(poolId);
    await assert.rejects(
      cognate.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: otherPool, ClientId: client.ClientId })),
      ResourceNotFoundException,
    );
    await assert.rejects(
      cognate.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: otherPool, ClientId: client.ClientId })),
      ResourceNotFoundException,
    );
    assert.equal((await describeClient(poolId, client.ClientId!)).ClientId, client.ClientId);
  });
});

describe('secrets at rest', () => {
  test('client secrets and private keys are not stored in plaintext', async () => {
    const poolId = await createPool();
    const { ClientSecret, ClientId } = await createClient(poolId, { GenerateSecret: true });
    assert.ok(ClientSecret);

    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT * FROM clients WHERE id = ?').all(ClientId) as Record<string, unknown>[];
      assert.equal(rows.length, 1);
      assert.ok(rows[0]!.secret_enc, 'a sealed secret is stored');
      const dump = JSON.stringify(db.prepare('SELECT * FROM clients').all());
      assert.ok(!dump.includes(ClientSecret), 'the clients table holds no plaintext secret');

      const keys = db.prepare('SELECT * FROM signing_keys WHERE pool_id = ?').all(poolId) as Record<string, string>[];
      assert.equal(keys.length, 1);
      assert.ok(keys[0]!.private_jwk_enc && !keys[0]!.private_jwk_enc.includes('"d"'), 'the private key is sealed');
      assert.ok(!JSON.stringify(db.prepare('SELECT * FROM signing_keys').all()).includes('\\"d\\":'));
      assert.ok(!JSON.stringify(keys[0]!.public_jwk).includes('"d"'));
    } finally {
      db.close();
    }
    // Nor anywhere in the raw database files (main file and write-ahead log).
    for (const file of [dbPath, `${dbPath}-wal`]) {
      if (existsSync(file)) assert.ok(!readFileSync(file).includes(ClientSecret), `${file} holds no plaintext secret`);
    }
  });
});
