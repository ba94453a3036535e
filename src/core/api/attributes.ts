import { InvalidParameterError, NotAuthorizedError } from '../../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { validateWrite } from '../directory/attributes.js';
import { consumeCode, issueCode, RESET_CODE_TTL_MS, SIGNUP_CODE_TTL_MS, type CodePurpose } from '../directory/codes.js';
import { autoVerifiedAttributes, schemaOf } from '../directory/pool-config.js';
import { claimAliases } from '../directory/users.js';
import { deliverCode, type CodeDeliveryDetails, type TriggerSource } from '../messages/deliver.js';
import { attributeList, optionalStringList, poolIdOf, requiredString, type Input } from './input.js';
import { loadPool } from './pools.js';
import { loadUser } from './users-admin.js';
import { recoveryDestination, selfService } from './users-public.js';

type Verifiable = 'email' | 'phone_number';
const VERIFIABLE: readonly Verifiable[] = ['email', 'phone_number'];

/** Attributes whose new value waits for verification while the old one stays in force. */
function heldUntilVerified(pool: PoolRecord): string[] {
  const settings = pool.config.UserAttributeUpdateSettings as { AttributesRequireVerificationBeforeUpdate?: string[] } | undefined;
  return settings?.AttributesRequireVerificationBeforeUpdate ?? [];
}

async function sendVerification(core: Core, pool: PoolRecord, user: UserRecord, attribute: Verifiable, trigger: TriggerSource): Promise<CodeDeliveryDetails> {
  const to = user.pendingAttributes?.[attribute] ?? user.attributes[attribute];
  if (!to) throw new InvalidParameterError(`User has no ${attribute} to verify.`);
  const code = await issueCode(core, user, `verify:${attribute}` as CodePurpose, SIGNUP_CODE_TTL_MS);
  return deliverCode(core, pool, user, { channel: attribute === 'email' ? 'email' : 'sms', to }, trigger, code);
}

/**
 * Applies attribute changes. A changed email or phone number is unverified until proven,
 * unless an administrator sets its `_verified` flag in the same call; when the pool
 * auto-verifies it, a code goes to the new address.
 */
async function applyUpdate(
  core: Core,
  pool: PoolRecord,
  user: UserRecord,
  input: Input,
  options: { client?: ClientRecord; admin: boolean },
): Promise<CodeDeliveryDetails[]> {
  const changes = validateWrite(pool, attributeList(input, 'UserAttributes') ?? [], { client: options.client, existing: user, admin: options.admin });
  const attributes = { ...user.attributes, ...changes };
  const pending = { ...(user.pendingAttributes ?? {}) };
  const toVerify: Verifiable[] = [];
  for (const attribute of VERIFIABLE) {
    if (changes[attribute] === undefined || changes[attribute] === user.attributes[attribute]) {
      if (changes[attribute] !== undefined) delete pending[attribute];
      continue;
    }
    delete pending[attribute];
    if (changes[`${attribute}_verified`] === 'true') continue;
    const autoVerified = autoVerifiedAttributes(pool.config).includes(attribute);
    if (autoVerified && heldUntilVerified(pool).includes(attribute)) {
      pending[attribute] = changes[attribute]!;
      attributes[attribute] = user.attributes[attribute]!;
    } else {
      attributes[`${attribute}_verified`] = 'false';
    }
    if (autoVerified) toVerify.push(attribute);
  }
  const updated: UserRecord = { ...user, attributes, pendingAttributes: Object.keys(pending).length > 0 ? pending : null, updatedAt: core.clock.now() };
  await claimAliases(core, pool, updated, false);
  await core.store.users.update(updated);
  const deliveries: CodeDeliveryDetails[] = [];
  for (const attribute of toVerify) deliveries.push(await sendVerification(core, pool, updated, attribute, 'CustomMessage_UpdateUserAttribute'));
  return deliveries;
}

async function clientOf(core: Core, poolId: string, clientId: unknown): Promise<ClientRecord | undefined> {
  return typeof clientId === 'string' ? core.store.clients.get(poolId, clientId) : undefined;
}

export async function updateUserAttributes(core: Core, input: Input) {
  const { pool, user, claims } = await selfService(core, input);
  const client = await clientOf(core, pool.id, claims.client_id);
  return { CodeDeliveryDetailsList: await applyUpdate(core, pool, user, input, { client, admin: false }) };
}

export async function adminUpdateUserAttributes(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const user = await loadUser(core, pool, requiredString(input, 'Username', { min: 1, max: 128 }));
  await applyUpdate(core, pool, user, input, { admin: true });
  return {};
}

function verifiableName(input: Input): Verifiable {
  const name = requiredString(input, 'AttributeName', { min: 1, max: 32 });
  if (!VERIFIABLE.includes(name as Verifiable)) throw new InvalidParameterError(`${name} cannot be verified.`);
  return name as Verifiable;
}

export async function getUserAttributeVerificationCode(core: Core, input: Input) {
  const { pool, user } = await selfService(core, input);
  return { CodeDeliveryDetails: await sendVerification(core, pool, user, verifiableName(input), 'CustomMessage_VerifyUserAttribute') };
}

export async function verifyUserAttribute(core: Core, input: Input) {
  const { pool, user } = await selfService(core, input);
  const attribute = verifiableName(input);
  const code = requiredString(input, 'Code', { min: 1, max: 2048 });
  await consumeCode(core, user, `verify:${attribute}` as CodePurpose, code);
  // A held-back new value takes effect only now that it is proven.
  const { [attribute]: proven, ...stillPending } = user.pendingAttributes ?? {};
  const updated: UserRecord = {
    ...user,
    attributes: { ...user.attributes, ...(proven !== undefined ? { [attribute]: proven } : {}), [`${attribute}_verified`]: 'true' },
    pendingAttributes: Object.keys(stillPending).length > 0 ? stillPending : null,
    updatedAt: core.clock.now(),
  };
  await claimAliases(core, pool, updated, false);
  await core.store.users.update(updated);
  return {};
}

function deleteAttributes(pool: PoolRecord, user: UserRecord, names: string[], client?: ClientRecord): UserRecord {
  const schema = new Map(schemaOf(pool.config).map((a) => [a.Name, a]));
  const writable = client?.config.WriteAttributes as string[] | undefined;
  const attributes = { ...user.attributes };
  for (const name of names) {
    const attr = schema.get(name);
    if (!attr || name === 'sub') throw new InvalidParameterError(`Attribute ${name} does not exist in the schema.`);
    if (attr.Required) throw new InvalidParameterError(`Cannot delete the required attribute ${name}.`);
    if (!attr.Mutable) throw new InvalidParameterError(`Cannot delete the immutable attribute ${name}.`);
    if (writable && writable.length > 0 && !writable.includes(name)) throw new NotAuthorizedError('A client attempted to write unauthorized attribute');
    delete attributes[name];
    if (VERIFIABLE.includes(name as Verifiable)) delete attributes[`${name}_verified`];
  }
  return { ...user, attributes };
}

export async function deleteUserAttributes(core: Core, input: Input) {
  const { pool, user, claims } = await selfService(core, input);
  const names = optionalStringList(input, 'UserAttributeNames') ?? [];
  const client = await clientOf(core, pool.id, claims.client_id);
  await core.store.users.update({ ...deleteAttributes(pool, user, names, client), updatedAt: core.clock.now() });
  return {};
}

export async function adminDeleteUserAttributes(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const user = await loadUser(core, pool, requiredString(input, 'Username', { min: 1, max: 128 }));
  const names = optionalStringList(input, 'UserAttributeNames') ?? [];
  await core.store.users.update({ ...deleteAttributes(pool, user, names), updatedAt: core.clock.now() });
  return {};
}

export async function deleteUser(core: Core, input: Input) {
  const { pool, user } = await selfService(core, input);
  await core.store.users.delete(pool.id, user.sub);
  await core.store.audit.record({ poolId: pool.id, type: 'delete_user', sub: user.sub, createdAt: core.clock.now() });
  return {};
}

/** The user must choose a new password: sign-in answers PasswordResetRequiredException until ConfirmForgotPassword. */
export async function adminResetUserPassword(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const user = await loadUser(core, pool, requiredString(input, 'Username', { min: 1, max: 128 }));
  const destination = recoveryDestination(pool, user);
  if (!destination) throw new InvalidParameterError('Cannot reset password for the user as there is no registered/verified email or phone_number');
  const code = await issueCode(core, user, 'reset', RESET_CODE_TTL_MS);
  await deliverCode(core, pool, user, destination, 'CustomMessage_ForgotPassword', code);
  const now = core.clock.now();
  await core.store.users.update({ ...user, status: 'RESET_REQUIRED', updatedAt: now });
  await core.store.refreshTokens.revokeUser(pool.id, user.sub, now);
  await core.store.audit.record({ poolId: pool.id, type: 'admin_reset_user_password', sub: user.sub, createdAt: now });
  return {};
}
