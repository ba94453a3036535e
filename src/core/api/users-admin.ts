import { InvalidParameterError, NotAuthorizedError, UnsupportedUserStateError, UserNotFoundError } from '../../errors.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { passwordCredentials, replacePassword } from '../auth/credentials.js';
import { findUserForSignIn } from '../auth/lookup.js';
import type { Core } from '../context.js';
import { checkRequired, userShape, validateWrite, attributeList as userAttributeList } from '../directory/attributes.js';
import { checkPassword, generateTemporaryPassword } from '../directory/password-policy.js';
import { passwordPolicy } from '../directory/pool-config.js';
import { claimAliases, prepareUser } from '../directory/users.js';
import { deliverCode, type Destination } from '../messages/deliver.js';
import { mfaSummary } from '../mfa/factors.js';
import { attributeList, optionalBool, optionalEnum, optionalString, optionalStringList, poolIdOf, requiredString, USERNAME, type Input } from './input.js';
import { loadPool } from './pools.js';

const USERNAME_RULE = { min: 1, max: 128, pattern: USERNAME };

/** Admin calls name a user by username, alias or sub. */
export async function loadUser(core: Core, pool: PoolRecord, name: string): Promise<UserRecord> {
  const user = (await findUserForSignIn(core, pool, name)) ?? (await core.store.users.getBySub(pool.id, name));
  if (!user) throw new UserNotFoundError('User does not exist.');
  return user;
}

async function adminTarget(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const user = await loadUser(core, pool, requiredString(input, 'Username', USERNAME_RULE));
  return { pool, user };
}

function inviteDestinations(user: UserRecord, mediums: string[] | undefined): Destination[] {
  const wanted = mediums ?? ['SMS'];
  const out: Destination[] = [];
  for (const medium of wanted) {
    const attribute = medium === 'EMAIL' ? 'email' : 'phone_number';
    const to = user.attributes[attribute];
    if (to) out.push({ channel: medium === 'EMAIL' ? 'email' : 'sms', to });
    else if (mediums) throw new InvalidParameterError(`User has no attribute matching desired ${medium} delivery`);
  }
  // Cognito's default medium is SMS; a user with only an email gets the invitation there.
  if (!mediums && out.length === 0 && user.attributes.email) out.push({ channel: 'email', to: user.attributes.email });
  return out;
}

export async function adminCreateUser(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const name = requiredString(input, 'Username', USERNAME_RULE);
  const policy = passwordPolicy(pool.config);
  const given = optionalString(input, 'TemporaryPassword', { min: 6, max: 256 });
  if (given !== undefined) checkPassword(policy, given);
  const temporary = given ?? generateTemporaryPassword(policy, (n) => core.random.bytes(n));
  const action = optionalEnum(input, 'MessageAction', ['RESEND', 'SUPPRESS']);
  const mediums = optionalStringList(input, 'DesiredDeliveryMediums', ['SMS', 'EMAIL']);

  let user: UserRecord;
  if (action === 'RESEND') {
    const existing = await loadUser(core, pool, name);
    if (existing.status !== 'FORCE_CHANGE_PASSWORD') throw new UnsupportedUserStateError('Resend is not supported for this user.');
    user = { ...existing, ...(await passwordCredentials(core, pool, existing.username, temporary)), updatedAt: core.clock.now() };
    await core.store.users.update(user);
  } else {
    const attributes = validateWrite(pool, attributeList(input, 'UserAttributes') ?? [], { admin: true });
    user = await prepareUser(core, pool, name, attributes, 'FORCE_CHANGE_PASSWORD');
    checkRequired(pool, user.attributes);
    Object.assign(user, await passwordCredentials(core, pool, user.username, temporary));
    await claimAliases(core, pool, user, optionalBool(input, 'ForceAliasCreation') === true);
    await core.store.users.insert(user);
  }
  if (action !== 'SUPPRESS') {
    try {
      for (const destination of inviteDestinations(user, mediums)) {
        await deliverCode(core, pool, user, destination, 'CustomMessage_AdminCreateUser', temporary);
      }
    } catch (error) {
      // An invitation nobody received leaves no account behind: the admin can simply retry.
      if (action !== 'RESEND') await core.store.users.delete(pool.id, user.sub);
      throw error;
    }
  }
  await core.store.audit.record({ poolId: pool.id, type: 'admin_create_user', sub: user.sub, createdAt: core.clock.now() });
  return { User: userShape(user) };
}

export async function adminGetUser(core: Core, input: Input) {
  const { user } = await adminTarget(core, input);
  return {
    Username: user.username,
    UserAttributes: userAttributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
    ...mfaSummary(user),
  };
}

export async function adminDeleteUser(core: Core, input: Input) {
  const { pool, user } = await adminTarget(core, input);
  await core.store.users.delete(pool.id, user.sub);
  await core.store.audit.record({ poolId: pool.id, type: 'admin_delete_user', sub: user.sub, createdAt: core.clock.now() });
  return {};
}

export async function adminSetEnabled(core: Core, input: Input, enabled: boolean) {
  const { pool, user } = await adminTarget(core, input);
  const now = core.clock.now();
  // Cognito: disabling a user also revokes every token issued so far; enabling does not restore them.
  if (!enabled) await core.store.refreshTokens.revokeUser(pool.id, user.sub, now);
  await core.store.users.update({ ...user, enabled, tokensValidAfter: enabled ? user.tokensValidAfter : now, updatedAt: now });
  await core.store.audit.record({ poolId: pool.id, type: enabled ? 'admin_enable_user' : 'admin_disable_user', sub: user.sub, createdAt: core.clock.now() });
  return {};
}

export async function adminConfirmSignUp(core: Core, input: Input) {
  const { user } = await adminTarget(core, input);
  if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedError(`User cannot be confirmed. Current status is ${user.status}`);
  await core.store.users.update({ ...user, status: 'CONFIRMED', updatedAt: core.clock.now() });
  return {};
}

export async function adminSetUserPassword(core: Core, input: Input) {
  const { pool, user } = await adminTarget(core, input);
  const password = requiredString(input, 'Password', { min: 1, max: 256 });
  checkPassword(passwordPolicy(pool.config), password);
  const permanent = optionalBool(input, 'Permanent') === true;
  const now = core.clock.now();
  await core.store.users.update({
    ...user,
    // A permanent password obeys the history rule; a temporary one is the admin's to choose.
    ...(await (permanent ? replacePassword(core, pool, user, password) : passwordCredentials(core, pool, user.username, password))),
    status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
    updatedAt: now,
  });
  return {};
}
