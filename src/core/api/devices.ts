import { InvalidParameterError, ResourceNotFoundError } from '../../errors.js';
import type { DeviceRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { fromBase64, hex } from '../crypto.js';
import { deviceConfiguration } from '../devices/tracking.js';
import { epochSeconds, optionalInt, optionalObject, optionalString, poolIdOf, requiredString, type Input } from './input.js';
import { decodePageToken, encodePageToken } from './paging.js';
import { loadPool } from './pools.js';
import { loadUser } from './users-admin.js';
import { selfService } from './users-public.js';

const DEVICE_KEY = { min: 1, max: 55, pattern: /^[\w-]+_[0-9a-f-]+$/ };
const STATUSES = ['remembered', 'not_remembered'] as const;

/** Cognito's Device type. */
function shape(device: DeviceRecord) {
  return {
    DeviceKey: device.deviceKey,
    DeviceAttributes: [
      ...(device.name !== null ? [{ Name: 'device_name', Value: device.name }] : []),
      { Name: 'device_status', Value: device.status },
    ],
    DeviceCreateDate: epochSeconds(device.createdAt),
    DeviceLastModifiedDate: epochSeconds(device.updatedAt),
    ...(device.lastAuthAt !== null ? { DeviceLastAuthenticatedDate: epochSeconds(device.lastAuthAt) } : {}),
  };
}

/** The user's device with this key; another user's device, an unconfirmed or a forgotten one does not exist for them. */
async function loadDevice(core: Core, pool: PoolRecord, user: UserRecord, deviceKey: string, { confirmed = true } = {}): Promise<DeviceRecord> {
  const device = await core.store.devices.get(pool.id, deviceKey);
  if (!device || device.sub !== user.sub || device.confirmed !== confirmed) throw new ResourceNotFoundError('Device does not exist.');
  return device;
}

/** The caller and the user whose devices it manages: the token's owner, or (Admin*) the named user. */
async function target(core: Core, input: Input, admin: boolean): Promise<{ pool: PoolRecord; user: UserRecord }> {
  if (!admin) return selfService(core, input);
  const pool = await loadPool(core, poolIdOf(input));
  return { pool, user: await loadUser(core, pool, requiredString(input, 'Username', { min: 1, max: 128 })) };
}

function hexOfBase64(input: Input, name: string): string {
  const text = requiredString(input, name, { min: 1, max: 2048 });
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text);
  } catch {
    throw new InvalidParameterError(`${name} is not valid base64.`);
  }
  if (bytes.length === 0) throw new InvalidParameterError(`${name} is not valid base64.`);
  return hex(bytes);
}

/**
 * ConfirmDevice: the client proves nothing yet, it hands over the SRP verifier of a secret
 * it keeps. Pools that remember every device remember it now; the others wait for the user
 * (UpdateDeviceStatus), which UserConfirmationNecessary tells the client.
 */
export async function confirmDevice(core: Core, input: Input) {
  const { pool, user } = await selfService(core, input);
  const device = await loadDevice(core, pool, user, requiredString(input, 'DeviceKey', DEVICE_KEY), { confirmed: false });
  const config = optionalObject(input, 'DeviceSecretVerifierConfig');
  if (!config) throw new InvalidParameterError('DeviceSecretVerifierConfig is required.');
  const verifier = hexOfBase64(config, 'PasswordVerifier');
  const salt = hexOfBase64(config, 'Salt');
  const onPrompt = deviceConfiguration(pool.config)?.DeviceOnlyRememberedOnUserPrompt === true;
  const name = optionalString(input, 'DeviceName', { min: 1, max: 1024 }) ?? null;
  await core.store.devices.update({
    ...device, salt, verifier, name, confirmed: true, status: onPrompt ? 'not_remembered' : 'remembered', updatedAt: core.clock.now(),
  });
  return { UserConfirmationNecessary: onPrompt };
}

async function getDeviceOf(core: Core, input: Input, admin: boolean) {
  const { pool, user } = await target(core, input, admin);
  return { Device: shape(await loadDevice(core, pool, user, requiredString(input, 'DeviceKey', DEVICE_KEY))) };
}

async function listDevicesOf(core: Core, input: Input, admin: boolean) {
  const { pool, user } = await target(core, input, admin);
  const limit = optionalInt(input, 'Limit', 0, 60) ?? 60;
  const page = await core.store.devices.listForUser(pool.id, user.sub, limit, decodePageToken(input.PaginationToken));
  const token = encodePageToken(page.next);
  return { Devices: page.items.map(shape), ...(token ? { PaginationToken: token } : {}) };
}

async function forgetDeviceOf(core: Core, input: Input, admin: boolean) {
  const { pool, user } = await target(core, input, admin);
  const device = await loadDevice(core, pool, user, requiredString(input, 'DeviceKey', DEVICE_KEY));
  await core.store.devices.delete(pool.id, device.deviceKey);
  await core.store.audit.record({ poolId: pool.id, type: 'device_forgotten', sub: user.sub, createdAt: core.clock.now() });
  return {};
}

async function updateDeviceStatusOf(core: Core, input: Input, admin: boolean) {
  const { pool, user } = await target(core, input, admin);
  const device = await loadDevice(core, pool, user, requiredString(input, 'DeviceKey', DEVICE_KEY));
  const status = optionalString(input, 'DeviceRememberedStatus');
  if (status !== undefined && !STATUSES.includes(status as (typeof STATUSES)[number])) {
    throw new InvalidParameterError(`1 validation error detected: Value '${status}' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]`);
  }
  if (status !== undefined) {
    await core.store.devices.update({ ...device, status: status as DeviceRecord['status'], updatedAt: core.clock.now() });
  }
  return {};
}

export const getDevice = (core: Core, input: Input) => getDeviceOf(core, input, false);
export const adminGetDevice = (core: Core, input: Input) => getDeviceOf(core, input, true);
export const listDevices = (core: Core, input: Input) => listDevicesOf(core, input, false);
export const adminListDevices = (core: Core, input: Input) => listDevicesOf(core, input, true);
export const forgetDevice = (core: Core, input: Input) => forgetDeviceOf(core, input, false);
export const adminForgetDevice = (core: Core, input: Input) => forgetDeviceOf(core, input, true);
export const updateDeviceStatus = (core: Core, input: Input) => updateDeviceStatusOf(core, input, false);
export const adminUpdateDeviceStatus = (core: Core, input: Input) => updateDeviceStatusOf(core, input, true);
