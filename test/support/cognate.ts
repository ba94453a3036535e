import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer, type RunningServer } from '../../src/runtime/node-server.js';
import type { Logger, OutgoingMessage } from '../../src/ports.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export type CapturedMessage = OutgoingMessage;

/** Wall-clock time plus an offset the test can push forward. */
export class TestClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

/** A loopback receiver for COGNATE_MESSAGE_WEBHOOK_URL; `failNext` makes it answer 500. */
export class MessageInbox {
  readonly messages: CapturedMessage[] = [];
  failing = false;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (this.failing) {
          res.writeHead(500).end();
          return;
        }
        this.messages.push(JSON.parse(body) as CapturedMessage);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ready) => this.server.listen(0, '127.0.0.1', ready));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/messages`;
  }

  /** The newest message sent to `to`. */
  last(to: string): CapturedMessage {
    const found = [...this.messages].reverse().find((m) => m.to === to);
    if (!found) throw new Error(`No message was sent to ${to}`);
    return found;
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

export interface TestCognate {
  server: RunningServer;
  url: string;
  clock: TestClock;
  inbox: MessageInbox;
  /** Signed with the admin credentials. */
  admin: CognitoIdentityProviderClient;
  /** What an app ships: no usable credentials, so only unsigned operations succeed. */
  app: CognitoIdentityProviderClient;
  logs: string[];
  /** The SQLite file, for tests that look at what was stored. */
  dbPath: string;
  /** Rebuilds the admin client so its signatures carry Cognate's (advanced) time. */
  renewAdmin(): void;
  close(): Promise<void>;
}

const quietLogger = (logs: string[]): Logger => ({
  info: (m) => logs.push(m),
  warn: (m) => logs.push(`warn: ${m}`),
  error: (m, f) => logs.push(`error: ${m} ${JSON.stringify(f ?? {})}`),
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const address = probe.address();
  await new Promise((done) => probe.close(done));
  return typeof address === 'object' && address ? address.port : 0;
}

/** A real Cognate on a real port with a fresh SQLite file and a capturing message webhook. */
export async function startCognate(env: Record<string, string> = {}): Promise<TestCognate> {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-test-'));
  const inbox = new MessageInbox();
  await inbox.start();
  const clock = new TestClock();
  const logs: string[] = [];
  const adminKeys = { accessKeyId: 'AKIATESTADMIN0000001', secretAccessKey: 'test-admin-secret-key-0123456789abcdef' };
  const port = await freePort();
  const dbPath = join(dir, 'cognate.db');
  const server = await startNodeServer({
    env: {
      PORT: String(port),
      COGNATE_BASE_URL: `http://127.0.0.1:${port}`,
      COGNATE_DB: dbPath,
      COGNATE_KEK: Buffer.alloc(32, 7).toString('base64'),
      COGNATE_ADMIN_ACCESS_KEY_ID: adminKeys.accessKeyId,
      COGNATE_ADMIN_SECRET_ACCESS_KEY: adminKeys.secretAccessKey,
      COGNATE_MESSAGE_WEBHOOK_URL: inbox.url,
      ...env,
    },
    clock,
    logger: quietLogger(logs),
  });
  const url = server.url;
  const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new CognitoIdentityProviderClient({ endpoint: url, region: 'local', credentials, maxAttempts: 1, systemClockOffset: clock.offsetMs });
  const app = client({ accessKeyId: 'none', secretAccessKey: 'none' });
  const cognate: TestCognate = {
    server,
    url,
    clock,
    inbox,
    admin: client(adminKeys),
    app,
    logs,
    dbPath,
    renewAdmin() {
      cognate.admin.destroy();
      cognate.admin = client(adminKeys);
    },
    async close() {
      cognate.admin.destroy();
      app.destroy();
      await server.close();
      await inbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cognate;
}

/** Moves Cognate's clock forward and tells the signing SDK, so signatures stay fresh. */
export function advance(cognate: TestCognate, ms: number): void {
  cognate.clock.offsetMs += ms;
  cognate.renewAdmin();
}
