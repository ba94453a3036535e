import type { ClientRecord, DeviceRecord, PoolConfig, PoolRecord, UserRecord } from '../../ports.js';
import { openSession } from '../auth/sessions.js';
import type { Core } from '../context.js';
import { randomString } from '../crypto.js';

export interface DeviceConfiguration {
  ChallengeRequiredOnNewDevice?: boolean;
  DeviceOnlyRememberedOnUserPrompt?: boolean;
}

/** Device tracking is on when the pool has a DeviceConfiguration (Cognito's "Always" or "User opt-in"). */
export function deviceConfiguration(config: PoolConfig): DeviceConfiguration | undefined {
  const value = config.DeviceConfiguration;
  return value && typeof value === 'object' ? (value as DeviceConfiguration) : undefined;
}

export interface NewDeviceMetadata {
  DeviceKey: string;
  DeviceGroupKey: string;
}

/** The user's own confirmed device with this key, or undefined: unknown, forgotten, unconfirmed and other users' devices are alike. */
export async function ownDevice(core: Core, pool: PoolRecord, user: Pick<UserRecord, 'sub'>, deviceKey: string | undefined): Promise<DeviceRecord | undefined> {
  if (!deviceKey) return undefined;
  const device = await core.store.devices.get(pool.id, deviceKey);
  return device && device.sub === user.sub && device.confirmed ? device : undefined;
}

/**
 * The pool's rule for a device standing in for MFA: remembered, or merely confirmed when the
 * pool remembers every device (DeviceOnlyRememberedOnUserPrompt false).
 */
export function remembered(config: PoolConfig, device: DeviceRecord): boolean {
  const settings = deviceConfiguration(config);
  if (!settings) return false;
  return device.status === 'remembered' || !settings.DeviceOnlyRememberedOnUserPrompt;
}

/** Whether this device may stand in for MFA through device SRP: it has a verifier and the pool's rule allows it. */
export function trusted(config: PoolConfig, device: DeviceRecord): boolean {
  return Boolean(device.verifier && device.salt) && remembered(config, device);
}

/**
 * Whether a trusted device stands in for MFA. Cognito: "When ChallengeRequiredOnNewDevice is
 * true, a remembered device can sign in with device authentication instead of SMS and TOTP
 * factors"; otherwise the device is proven after the second factor.
 */
export function deviceReplacesMfa(config: PoolConfig): boolean {
  return deviceConfiguration(config)?.ChallengeRequiredOnNewDevice === true;
}

/**
 * At the end of a sign-in: a known device records the sign-in; otherwise, when the pool
 * tracks devices, a new unconfirmed device is issued for the client to confirm.
 */
export async function deviceAtSignIn(core: Core, pool: PoolRecord, user: UserRecord, deviceKey: string | undefined): Promise<NewDeviceMetadata | undefined> {
  if (!deviceConfiguration(pool.config)) return undefined;
  const now = core.clock.now();
  const known = await ownDevice(core, pool, user, deviceKey);
  if (known) {
    await core.store.devices.update({ ...known, lastAuthAt: now });
    return undefined;
  }
  const region = pool.id.split('_')[0] ?? 'local';
  const device: DeviceRecord = {
    poolId: pool.id,
    sub: user.sub,
    deviceKey: `${region}_${core.random.uuid()}`,
    groupKey: `-${randomString((n) => core.random.bytes(n), 9)}`,
    salt: null,
    verifier: null,
    name: null,
    status: 'not_remembered',
    confirmed: false,
    createdAt: now,
    updatedAt: now,
    lastAuthAt: now,
  };
  await core.store.devices.insert(device);
  return { DeviceKey: device.deviceKey, DeviceGroupKey: device.groupKey };
}

/** The first factor passed on a trusted device: DEVICE_SRP_AUTH asks the client to prove it holds the device's secret. */
export async function deviceChallenge(core: Core, client: ClientRecord, user: UserRecord, device: DeviceRecord) {
  return {
    ChallengeName: 'DEVICE_SRP_AUTH',
    Session: await openSession(core, client, user, 'DEVICE_SRP_AUTH', { deviceKey: device.deviceKey }),
    ChallengeParameters: { USERNAME: user.username },
  };
}
