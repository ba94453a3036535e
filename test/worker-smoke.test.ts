import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type * as Wrangler from 'wrangler';
import { SrpClient } from './support/srp-client.js';

type Worker = Awaited<ReturnType<typeof Wrangler.unstable_startWorker>>;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.WRANGLER_SEND_METRICS = 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';

const root = fileURLToPath(new URL('..', import.meta.url));
const wranglerToml = join(root, 'wrangler.toml');

interface CapturedMessage {
  poolId: string;
  channel: string;
  to: string;
  username: string;
  triggerSource: string;
  code: string;
  subject: string | null;
  body: string;
}

/** The COGNATE_MESSAGE_WEBHOOK_URL receiver, on loopback. */
async function startInbox(): Promise<{ url: string; messages: CapturedMessage[]; server: Server }> {
  const messages: CapturedMessage[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      messages.push(JSON.parse(body) as CapturedMessage);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/messages`, messages, server };
}

/** A port that was free a moment ago, so COGNATE_BASE_URL can name the Worker's own address. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** The production path: `wrangler d1 migrations apply` on the repo's wrangler.toml, into a fresh local D1. */
async function applyMigrations(persistTo: string): Promise<void> {
  const wranglerBin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  await promisify(execFile)(
    process.execPath,
    [wranglerBin, 'd1', 'migrations', 'apply', 'cognate', '--local', '--persist-to', persistTo, '--config', wranglerToml],
    { cwd: root, env: { ...process.env, CI: 'true' }, timeout: 60_000 },
  );
}

describe('the real Worker entry in workerd', { timeout: 120_000 }, () => {
  const persistTo = mkdtempSync(join(tmpdir(), 'cognate-worker-'));
  const admin = { accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64url') };
  let inbox: Awaited<ReturnType<typeof startInbox>>;
  let worker: Worker | undefined;
  let base: string;
  // The SDK signs the admin operations and sends SignUp, ConfirmSignUp and InitiateAuth unsigned.
  let client: CognitoIdentityProviderClient;

  before(async () => {
    inbox = await startInbox();
    await applyMigrations(persistTo);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const { unstable_startWorker } = await import('wrangler');
    const vars: Record<string, string> = {
      COGNATE_BASE_URL: base,
      COGNATE_KEK: randomBytes(32).toString('base64'),
      COGNATE_ADMIN_ACCESS_KEY_ID: admin.accessKeyId,
      COGNATE_ADMIN_SECRET_ACCESS_KEY: admin.secretAccessKey,
      COGNATE_MESSAGE_WEBHOOK_URL: inbox.url,
    };
    worker = await unstable_startWorker({
      config: wranglerToml,
      // Secret bindings, as `wrangler secret put` makes them (wrangler hides their values in its logs).
      bindings: Object.fromEntries(Object.entries(vars).map(([k, value]) => [k, { type: 'secret_text' as const, value }])),
      envFiles: [],
      build: { nodejsCompatMode: 'v2' },
      dev: { server: { hostname: '127.0.0.1', port }, inspector: false, persist: persistTo, watch: false, logLevel: 'warn' },
    });
    await worker.ready;
    assert.equal((await worker.url).origin, base, 'the Worker listens where COGNATE_BASE_URL points');
    client = new CognitoIdentityProviderClient({ endpoint: base, region: 'local', credentials: admin });
  });

  after(async () => {
    client?.destroy();
    await worker?.dispose();
    await new Promise((done) => inbox?.server.close(done));
    rmSync(persistTo, { recursive: true, force: true });
  });

  it('answers 500 saying what to set when COGNATE_KEK and the admin keys are missing', async () => {
    const { unstable_startWorker } = await import('wrangler');
    const bare = await unstable_startWorker({
      config: wranglerToml,
      envFiles: [],
      build: { nodejsCompatMode: 'v2' },
      dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, watch: false, logLevel: 'none' },
    });
    try {
      await bare.ready;
      for (let i = 0; i < 2; i++) {
        const response = await bare.fetch('http://cognate.test/health');
        assert.equal(response.status, 500);
        const text = await response.text();
        assert.match(text, /COGNATE_KEK is not set/);
        assert.match(text, /COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY/);
      }
    } finally {
      await bare.dispose();
    }
  });

  it('refuses an unsigned admin operation', async () => {
    const unsigned = new CognitoIdentityProviderClient({
      endpoint: base,
      region: 'local',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      signer: { sign: async (request) => request },
    });
    try {
      await assert.rejects(unsigned.send(new CreateUserPoolCommand({ PoolName: 'nope' })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'MissingAuthenticationTokenException');
        assert.equal(error.$metadata?.httpStatusCode, 403);
        return true;
      });
    } finally {
      unsigned.destroy();
    }
  });

  it('signs up, confirms with the emailed code, signs in and issues a verifiable ID token', async () => {
    const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: 'smoke', AutoVerifiedAttributes: ['email'] }));
    const poolId = UserPool!.Id!;
    assert.match(poolId, /^local_[0-9A-Za-z]{9}$/);
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'smoke-app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;

    const email = 'ada@example.com';
    const password = 'Correct-horse-9-battery';
    const signUp = await client.send(
      new SignUpCommand({ ClientId: clientId, Username: 'ada', Password: password, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    assert.equal(signUp.UserConfirmed, false);
    const message = inbox.messages.find((m) => m.to === email);
    assert.ok(message, 'the sign-up code reached the webhook');
    assert.equal(message.poolId, poolId);
    assert.equal(message.channel, 'email');
    assert.equal(message.username, 'ada');
    assert.equal(message.triggerSource, 'CustomMessage_SignUp');
    assert.match(message.code, /^\d{6}$/);

    await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ada', ConfirmationCode: message.code }));
    const { AuthenticationResult } = await client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada', PASSWORD: password } }),
    );
    assert.ok(AuthenticationResult?.IdToken && AuthenticationResult.AccessToken && AuthenticationResult.RefreshToken);

    const issuer = `${base}/${poolId}`;
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    assert.equal(discovery.issuer, issuer);
    const { payload, protectedHeader } = await jwtVerify(AuthenticationResult.IdToken, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer,
      audience: clientId,
    });
    assert.ok(protectedHeader.kid);
    assert.equal(payload.token_use, 'id');
    assert.equal(payload['cognito:username'], 'ada');
    assert.equal(payload.email, email);
    assert.equal(payload.email_verified, true);

    // USER_SRP_AUTH in workerd: BigInt arithmetic and Web Crypto HKDF, checked by an independent client.
    const srp = new SrpClient(poolId);
    const challenge = await client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ada', SRP_A: srp.srpA } }),
    );
    const verified = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: challenge.Session, ChallengeResponses: srp.answer(challenge.ChallengeParameters!, password),
      }),
    );
    assert.ok(verified.AuthenticationResult?.IdToken);
  });
});
