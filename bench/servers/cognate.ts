import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { freePort, startServerProcess, type Cores, type ServerProcess } from './child.js';

export interface AdminKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface CognateServer extends ServerProcess {
  dbPath: string;
  adminKeys: AdminKeys;
  /** Signed with the admin credentials. */
  admin: CognitoIdentityProviderClient;
  /** Unsigned: what an app uses for SignUp and InitiateAuth. */
  app: CognitoIdentityProviderClient;
}

export interface CognateStartOptions {
  cores: Cores;
  dbPath: string;
  logFile: string;
  /** Kept across restarts on the same database: it seals the signing keys. */
  kek?: string;
  profileDir?: string;
}

export const BENCH_ADMIN: AdminKeys = { accessKeyId: 'AKIABENCHADMIN000001', secretAccessKey: randomBytes(30).toString('base64url') };
export const BENCH_KEK = randomBytes(32).toString('base64');

/** The node arguments of `npm start` (package.json), so the bench runs what users run. */
function startArgs(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  if (start[0] !== 'node') throw new Error(`package.json start script should run node: ${start.join(' ')}`);
  return start.slice(1);
}

/** Cognate as `npm start` runs it (src/runtime/node.ts), in production mode, on its own port. */
export async function startCognate(options: CognateStartOptions): Promise<CognateServer> {
  const port = await freePort();
  const server = await startServerProcess({
    cores: options.cores,
    nodeArgs: [...(process.env.COGNATE_NODE_FLAGS ? process.env.COGNATE_NODE_FLAGS.split(' ') : []), ...startArgs()],
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      COGNATE_DB: options.dbPath,
      COGNATE_BASE_URL: `http://127.0.0.1:${port}`,
      COGNATE_ADMIN_ACCESS_KEY_ID: BENCH_ADMIN.accessKeyId,
      COGNATE_ADMIN_SECRET_ACCESS_KEY: BENCH_ADMIN.secretAccessKey,
      COGNATE_KEK: options.kek ?? BENCH_KEK,
    },
    port,
    readyPath: '/health',
    logFile: options.logFile,
    profileDir: options.profileDir,
  });
  const client = (credentials: AdminKeys) =>
    new CognitoIdentityProviderClient({ endpoint: server.url, region: 'local', credentials, maxAttempts: 1 });
  const admin = client(BENCH_ADMIN);
  const app = client({ accessKeyId: 'none', secretAccessKey: 'none' });
  return {
    ...server,
    dbPath: options.dbPath,
    adminKeys: BENCH_ADMIN,
    admin,
    app,
    stop: async () => {
      admin.destroy();
      app.destroy();
      await server.stop();
    },
  };
}
