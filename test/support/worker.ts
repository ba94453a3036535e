import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type * as Wrangler from 'wrangler';

export type Workerd = Awaited<ReturnType<typeof Wrangler.unstable_startWorker>>;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.WRANGLER_SEND_METRICS = 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const wranglerToml = join(root, 'wrangler.toml');

export interface CapturedMessage {
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
export interface WorkerInbox {
  url: string;
  messages: CapturedMessage[];
  /** The newest message sent to `to`. */
  last(to: string): CapturedMessage;
  close(): Promise<void>;
}

async function startInbox(): Promise<WorkerInbox> {
  const messages: CapturedMessage[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      messages.push(JSON.parse(body) as CapturedMessage);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/messages`,
    messages,
    last(to) {
      const found = [...messages].reverse().find((m) => m.to === to);
      if (!found) throw new Error(`No message was sent to ${to}`);
      return found;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
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

/** The Worker entry of wrangler.toml in workerd, with `vars` as secret bindings (as `wrangler secret put` makes them). */
export async function startWorkerd(options: { vars?: Record<string, string>; port?: number; persistTo?: string | false; logLevel?: 'none' | 'warn' } = {}): Promise<Workerd> {
  const { unstable_startWorker } = await import('wrangler');
  const worker = await unstable_startWorker({
    config: wranglerToml,
    bindings: Object.fromEntries(Object.entries(options.vars ?? {}).map(([k, value]) => [k, { type: 'secret_text' as const, value }])),
    envFiles: [],
    // unstable_startWorker does not read the nodejs_compat mode from the config.
    build: { nodejsCompatMode: 'v2' },
    dev: {
      server: { hostname: '127.0.0.1', port: options.port ?? 0 },
      inspector: false,
      persist: options.persistTo ?? false,
      watch: false,
      logLevel: options.logLevel ?? 'warn',
    },
  });
  try {
    await worker.ready;
  } catch (error) {
    await worker.dispose();
    throw error;
  }
  return worker;
}

export interface TestWorker {
  worker: Workerd;
  /** The Worker's own origin, which is also COGNATE_BASE_URL. */
  url: string;
  inbox: WorkerInbox;
  adminKeys: { accessKeyId: string; secretAccessKey: string };
  /** Signed with the admin credentials. */
  admin: CognitoIdentityProviderClient;
  /** What an app ships: no usable credentials, so only unsigned operations succeed. */
  app: CognitoIdentityProviderClient;
  close(): Promise<void>;
}

/**
 * The real Worker entry in workerd on a fresh local D1 (migrations applied by wrangler), configured
 * entirely through secret bindings, with COGNATE_BASE_URL = the Worker's own URL and a loopback message webhook.
 */
export async function startTestWorker(extraVars: Record<string, string> = {}): Promise<TestWorker> {
  const persistTo = mkdtempSync(join(tmpdir(), 'cognate-worker-'));
  const inbox = await startInbox();
  const adminKeys = { accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64url') };
  let worker: Workerd | undefined;
  try {
    await applyMigrations(persistTo);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    worker = await startWorkerd({
      port,
      persistTo,
      vars: {
        COGNATE_BASE_URL: url,
        COGNATE_KEK: randomBytes(32).toString('base64'),
        COGNATE_ADMIN_ACCESS_KEY_ID: adminKeys.accessKeyId,
        COGNATE_ADMIN_SECRET_ACCESS_KEY: adminKeys.secretAccessKey,
        COGNATE_MESSAGE_WEBHOOK_URL: inbox.url,
        ...extraVars,
      },
    });
    const listening = (await worker.url).origin;
    if (listening !== url) throw new Error(`the Worker listens on ${listening}, not on COGNATE_BASE_URL ${url}`);
    const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      new CognitoIdentityProviderClient({ endpoint: url, region: 'local', credentials, maxAttempts: 1 });
    const admin = client(adminKeys);
    const app = client({ accessKeyId: 'none', secretAccessKey: 'none' });
    const started = worker;
    return {
      worker: started,
      url,
      inbox,
      adminKeys,
      admin,
      app,
      async close() {
        admin.destroy();
        app.destroy();
        await started.dispose();
        await inbox.close();
        rmSync(persistTo, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await worker?.dispose();
    await inbox.close();
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }
}
