import type { ExecutionContext, Hono } from 'hono';
import { ConfigError, parseConfig } from '../config/index.js';
import { createCore, type Core } from '../core/context.js';
import { runMaintenance } from '../core/maintenance.js';
import { outboxSender, webhookSender } from '../core/messages/senders.js';
import { createStore } from '../db/store.js';
import { createApp } from '../http/app.js';
import type { Clock, Logger } from '../ports.js';
import { openD1, type D1Database } from './d1-driver.js';
import { createWasmHasher } from './worker-hasher.js';

/** Bindings from wrangler.toml: D1 as `DB`, settings from `[vars]` and `wrangler secret put`. */
export interface WorkerEnv {
  DB: D1Database;
  COGNATE_BASE_URL?: string;
  COGNATE_REGION?: string;
  COGNATE_KEK?: string;
  COGNATE_ADMIN_ACCESS_KEY_ID?: string;
  COGNATE_ADMIN_SECRET_ACCESS_KEY?: string;
  COGNATE_MESSAGE_WEBHOOK_URL?: string;
  COGNATE_ALLOW_INSECURE_UPSTREAMS?: string;
}

/** Structured lines for Workers Logs; core never hands secrets to the logger. */
const consoleLogger: Logger = {
  info: (message, fields) => (fields ? console.log(message, fields) : console.log(message)),
  warn: (message, fields) => console.warn(`warning: ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`error: ${message}`, fields ?? ''),
};

/** A setting that cannot be fixed at run time: every request answers 500 saying what to set. */
class MissingSetting extends Error {}

/** Only the string settings: bindings (DB, …) are not configuration. */
function settingsOf(env: WorkerEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string') out[key] = value;
  return out;
}

interface Built {
  app: Hono;
  core: Core;
  keyRotationDays: number;
}

async function build(env: WorkerEnv): Promise<Built> {
  const problems: string[] = [];
  if (!env.DB) problems.push('the D1 binding DB is missing (wrangler.toml [[d1_databases]] binding = "DB")');
  if (!env.COGNATE_KEK) problems.push('COGNATE_KEK is not set (wrangler secret put COGNATE_KEK; 32 random bytes, base64)');
  if (!env.COGNATE_ADMIN_ACCESS_KEY_ID || !env.COGNATE_ADMIN_SECRET_ACCESS_KEY) {
    problems.push('COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY must both be set (wrangler secret put …)');
  }
  let config;
  try {
    config = parseConfig(settingsOf(env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !config) throw new MissingSetting(`Cognate is not configured:\n  - ${problems.join('\n  - ')}`);
  if (!env.COGNATE_BASE_URL) consoleLogger.warn(`COGNATE_BASE_URL is not set: issuing for ${config.baseUrl}`);

  const logger = consoleLogger;
  const store = createStore(openD1(env.DB));
  const clock: Clock = { now: () => Date.now() };
  // Workers reject `fetch` called with another `this` (e.g. as `deps.fetch(...)`).
  const fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init);
  const sender = config.messageWebhookUrl
    ? webhookSender(config.messageWebhookUrl, fetchImpl)
    : outboxSender(store, logger, () => clock.now());
  const core = await createCore(
    {
      store,
      clock,
      random: { bytes: (n) => crypto.getRandomValues(new Uint8Array(n)), uuid: () => crypto.randomUUID() },
      hasher: createWasmHasher(),
      sender,
      logger,
      fetch: fetchImpl,
    },
    { baseUrl: config.baseUrl, region: config.region, kek: config.kek!, allowInsecureUpstreams: config.allowInsecureUpstreams },
  );
  const app = createApp({
    core,
    admin: { accessKeyId: config.adminAccessKeyId!, secretAccessKey: config.adminSecretAccessKey! },
  });
  return { app, core, keyRotationDays: config.keyRotationDays };
}

// One app per isolate (and per env object, which is stable within an isolate).
const apps = new WeakMap<object, Promise<Built>>();

function appFor(env: WorkerEnv): Promise<Built> {
  let app = apps.get(env);
  if (!app) {
    app = build(env);
    apps.set(env, app);
    // A missing setting stays missing until redeploy; anything else is retried next request.
    app.catch((error) => {
      if (error instanceof MissingSetting) return consoleLogger.error(error.message);
      apps.delete(env);
      consoleLogger.error('startup failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    });
  }
  return app;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app: Hono;
    try {
      app = (await appFor(env)).app;
    } catch (error) {
      if (error instanceof MissingSetting) {
        return new Response(`${error.message}\n`, { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      }
      return Response.json({ error: 'server_error' }, { status: 500 });
    }
    return app.fetch(request, env, ctx);
  },

  /** Cron trigger (wrangler.toml [triggers]): sweeps expired rows and rotates signing keys that are due. */
  async scheduled(_controller: unknown, env: WorkerEnv): Promise<void> {
    const { core, keyRotationDays } = await appFor(env);
    await runMaintenance(core, keyRotationDays);
  },
};
