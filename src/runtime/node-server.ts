import { serve, type ServerType } from '@hono/node-server';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '../config/index.js';
import { ensureDevPool, type DevPool } from '../core/bootstrap.js';
import { createCore, issuerOf, type Core } from '../core/context.js';
import { runMaintenance } from '../core/maintenance.js';
import { outboxSender, webhookSender } from '../core/messages/senders.js';
import { withSettingsCache } from '../db/settings-cache.js';
import { createStore } from '../db/store.js';
import { createApp } from '../http/app.js';
import type { Clock, Logger } from '../ports.js';
import { createNodeHasher } from './node-hasher.js';
import { createServerWithFastPath } from './node-fast-path.js';
import { openSqlite } from './sqlite-driver.js';

const MAINTENANCE_INTERVAL_MS = 10 * 60_000;
const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface NodeServerOptions {
  env: Record<string, string | undefined>;
  /** Tests inject time; production uses the wall clock. */
  clock?: Clock;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  core: Core;
  admin: { accessKeyId: string; secretAccessKey: string };
  devPool?: DevPool;
  close(): Promise<void>;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message, fields) => console.warn(`warning: ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`error: ${message}`, fields ?? ''),
};

/** Reads a secret file the first start wrote, or writes one readable by the owner only. */
function persistedSecret(file: string, create: () => string, onCreate: (value: string) => void): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = create();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  onCreate(value);
  return value;
}

function secrets(config: Config, logger: Logger) {
  const folder = config.dbPath === ':memory:' ? resolve('data') : dirname(resolve(config.dbPath));
  const kek =
    config.kek ??
    Uint8Array.from(
      Buffer.from(
        persistedSecret(join(folder, 'kek.b64'), () => randomBytes(32).toString('base64'), () =>
          logger.warn(`COGNATE_KEK is not set: generated a development key in ${join(folder, 'kek.b64')}. Set COGNATE_KEK in production.`),
        ),
        'base64',
      ),
    );
  let printed = false;
  const [accessKeyId, secretAccessKey] = config.adminAccessKeyId
    ? [config.adminAccessKeyId, config.adminSecretAccessKey!]
    : persistedSecret(join(folder, 'admin-credentials'), () => `AKIA${randomBytes(8).toString('hex').toUpperCase()} ${randomBytes(30).toString('base64url')}`, () => {
        printed = true;
      }).split(' ');
  if (printed) logger.info(`Admin credentials (stored in ${join(folder, 'admin-credentials')}):\n  COGNATE_ADMIN_ACCESS_KEY_ID=${accessKeyId}\n  COGNATE_ADMIN_SECRET_ACCESS_KEY=${secretAccessKey}`);
  return { kek, admin: { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! } };
}

/** Starts Cognate on Node: SQLite file, migrations, dev pool on first start, HTTP server. */
export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? consoleLogger;
  const config = parseConfig(options.env);
  const { kek, admin } = secrets(config, logger);
  const driver = openSqlite(config.dbPath, MIGRATIONS);
  const store = withSettingsCache(createStore(driver));
  const clock = options.clock ?? { now: () => Date.now() };
  const sender = config.messageWebhookUrl ? webhookSender(config.messageWebhookUrl, fetch) : outboxSender(store, logger, () => clock.now());
  const core = await createCore(
    {
      store,
      clock,
      random: { bytes: (n) => new Uint8Array(randomBytes(n)), uuid: () => randomUUID() },
      hasher: createNodeHasher({ maxInFlight: availableParallelism() }),
      sender,
      logger,
      fetch,
    },
    { baseUrl: config.baseUrl, region: config.region, kek, allowInsecureUpstreams: config.allowInsecureUpstreams },
  );
  const devPool = await ensureDevPool(core);
  const sweep = setInterval(() => {
    runMaintenance(core, config.keyRotationDays).catch((error: unknown) => logger.error('maintenance failed', { error: String(error) }));
  }, MAINTENANCE_INTERVAL_MS);
  sweep.unref();
  const app = createApp({ core, admin });
  const server: ServerType = await new Promise((ready) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: options.env.HOST ?? '127.0.0.1', createServer: createServerWithFastPath(core) }, () => ready(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (devPool) {
    logger.info(
      `Created a dev pool on this empty database:\n  issuer     ${issuerOf(core, devPool.poolId)}\n  pool id    ${devPool.poolId}\n  client id  ${devPool.clientId} (public client)`,
    );
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    core,
    admin,
    devPool,
    close: () =>
      new Promise<void>((done) => {
        clearInterval(sweep);
        server.close(() => {
          driver.close();
          done();
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
