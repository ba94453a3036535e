import { InvalidParameterError } from '../errors.js';

export interface Config {
  port: number;
  dbPath: string;
  baseUrl: string;
  region: string;
  adminAccessKeyId?: string;
  adminSecretAccessKey?: string;
  /** 32 raw bytes from COGNATE_KEK (base64). */
  kek?: Uint8Array<ArrayBuffer>;
  messageWebhookUrl?: string;
  allowInsecureUpstreams: boolean;
  /** Signing keys older than this get a successor on the schedule; 0 turns scheduled rotation off. */
  keyRotationDays: number;
}

export class ConfigError extends InvalidParameterError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Reads Cognate's settings from environment variables, reporting every problem at once. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT: "${env.PORT}" is not a port number`);
  const baseUrl = (env.COGNATE_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('COGNATE_BASE_URL: must be an http(s) URL');
  } catch {
    problems.push(`COGNATE_BASE_URL: "${baseUrl}" is not a URL`);
  }
  const region = env.COGNATE_REGION ?? 'local';
  if (!/^[a-z0-9-]{1,30}$/.test(region)) problems.push('COGNATE_REGION: use lower-case letters, digits and dashes');
  let kek: Uint8Array<ArrayBuffer> | undefined;
  if (env.COGNATE_KEK) {
    try {
      kek = Uint8Array.from(atob(env.COGNATE_KEK), (ch) => ch.charCodeAt(0));
      if (kek.length !== 32) problems.push(`COGNATE_KEK: must decode to 32 bytes, got ${kek.length}`);
    } catch {
      problems.push('COGNATE_KEK: not valid base64');
    }
  }
  const id = env.COGNATE_ADMIN_ACCESS_KEY_ID;
  const secret = env.COGNATE_ADMIN_SECRET_ACCESS_KEY;
  if (Boolean(id) !== Boolean(secret)) problems.push('COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY must be set together');
  const webhook = env.COGNATE_MESSAGE_WEBHOOK_URL;
  if (webhook) {
    try {
      new URL(webhook);
    } catch {
      problems.push(`COGNATE_MESSAGE_WEBHOOK_URL: "${webhook}" is not a URL`);
    }
  }
  const keyRotationDays = Number(env.COGNATE_KEY_ROTATION_DAYS ?? 90);
  if (!Number.isFinite(keyRotationDays) || keyRotationDays < 0) problems.push('COGNATE_KEY_ROTATION_DAYS: a number of days, 0 to turn scheduled rotation off');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    dbPath: env.COGNATE_DB ?? './data/cognate.db',
    baseUrl,
    region,
    adminAccessKeyId: id,
    adminSecretAccessKey: secret,
    kek,
    messageWebhookUrl: webhook || undefined,
    allowInsecureUpstreams: env.COGNATE_ALLOW_INSECURE_UPSTREAMS === '1',
    keyRotationDays,
  };
}
