/**
 * Browsers the hosted UI remembers ("Remember this device"). The browser keeps a random
 * secret in a cookie as `<deviceKey>.<secret>`; the device row keeps only the secret's
 * SHA-256, in the column where devices confirmed through the API keep their SRP verifier.
 * A browser device has no salt, so device SRP never accepts it, and a cookie never matches
 * an API device. It is listed, renamed and forgotten like any other device.
 */
import type { DeviceRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, constantTimeEqual, randomString, sha256Base64url } from '../crypto.js';
import { deviceConfiguration, deviceReplacesMfa, ownDevice, remembered } from './tracking.js';

const PROOF_PREFIX = 'browser:';
const COOKIE = /^([\w-]+_[0-9a-f-]+)\.([A-Za-z0-9_-]{43})$/;

/** How the MFA page offers to remember the browser: only where a remembered device may skip MFA, as in the API. */
export function rememberOffer(pool: PoolRecord): { checked: boolean } | undefined {
  const settings = deviceConfiguration(pool.config);
  if (!settings || !deviceReplacesMfa(pool.config)) return undefined;
  // "Always remember" pools tick the box; "user opt-in" pools leave the choice to the user.
  return { checked: settings.DeviceOnlyRememberedOnUserPrompt !== true };
}

/** Records this browser as the user's remembered device; returns the cookie value, the only copy of its secret. */
export async function rememberBrowser(core: Core, pool: PoolRecord, user: UserRecord, name: string): Promise<string> {
  const secret = base64url(core.random.bytes(32));
  const now = core.clock.now();
  const device: DeviceRecord = {
    poolId: pool.id,
    sub: user.sub,
    deviceKey: `${pool.id.split('_')[0] ?? 'local'}_${core.random.uuid()}`,
    groupKey: `-${randomString((n) => core.random.bytes(n), 9)}`,
    salt: null,
    verifier: `${PROOF_PREFIX}${await sha256Base64url(secret)}`,
    name,
    status: 'remembered',
    confirmed: true,
    createdAt: now,
    updatedAt: now,
    lastAuthAt: now,
  };
  await core.store.devices.insert(device);
  await core.store.audit.record({ poolId: pool.id, type: 'device_remembered', sub: user.sub, createdAt: now });
  return `${device.deviceKey}.${secret}`;
}

/**
 * The user's remembered browser behind a cookie, when it may still stand in for MFA: the
 * user's own device, not forgotten, holding the secret, remembered by the pool's rule
 * (the same as for API devices), and not older than the user's last global sign-out.
 */
export async function rememberedBrowser(core: Core, pool: PoolRecord, user: UserRecord, cookie: string | undefined): Promise<DeviceRecord | undefined> {
  const parsed = cookie ? COOKIE.exec(cookie) : null;
  if (!parsed) return undefined;
  const device = await ownDevice(core, pool, user, parsed[1]);
  if (!device || device.salt !== null || !device.verifier?.startsWith(PROOF_PREFIX)) return undefined;
  if (!constantTimeEqual(device.verifier, `${PROOF_PREFIX}${await sha256Base64url(parsed[2]!)}`)) return undefined;
  if (!remembered(pool.config, device) || device.createdAt < user.tokensValidAfter) return undefined;
  return device;
}
