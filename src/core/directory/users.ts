import { AliasExistsError, InvalidParameterError, UsernameExistsError } from '../../errors.js';
import type { PoolRecord, UserRecord, UserStatus } from '../../ports.js';
import type { Core } from '../context.js';
import { aliasAttributes, usernameAttributes, usernameKeyOf } from './pool-config.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;

/**
 * Builds a new user. With UsernameAttributes the typed name is an email or phone number:
 * it becomes that attribute and the username is the sub, as in Cognito. It has no password
 * yet: callers add `passwordCredentials` for its final username.
 */
export async function prepareUser(
  core: Core,
  pool: PoolRecord,
  name: string,
  attributes: Record<string, string>,
  status: UserStatus,
): Promise<UserRecord> {
  const sub = core.random.uuid();
  const now = core.clock.now();
  let username = name;
  const asAttributes = usernameAttributes(pool.config);
  if (asAttributes.length > 0) {
    if (asAttributes.includes('email') && EMAIL.test(name)) attributes = { ...attributes, email: name };
    else if (asAttributes.includes('phone_number') && PHONE.test(name)) attributes = { ...attributes, phone_number: name };
    else throw new InvalidParameterError(`Username should be ${asAttributes.map((a) => (a === 'email' ? 'an email' : 'a phone number')).join(' or ')}.`);
    username = sub;
    for (const attribute of asAttributes as ('email' | 'phone_number')[]) {
      const value = attributes[attribute];
      const holders = value ? await core.store.users.findByAttribute(pool.id, attribute, value) : [];
      // A federated user with the same email is a separate person to the directory (no link is implied).
      if (holders.some((u) => u.status !== 'EXTERNAL_PROVIDER')) {
        throw new UsernameExistsError(`An account with the given ${attribute === 'email' ? 'email' : 'phone_number'} already exists.`);
      }
    }
  }
  return {
    poolId: pool.id,
    sub,
    username,
    usernameKey: usernameKeyOf(pool.config, username),
    attributes,
    pendingAttributes: null,
    passwordHash: null,
    passwordSetAt: null,
    srpSalt: null,
    srpVerifier: null,
    status,
    enabled: true,
    mfa: null,
    totpSecretEnc: null,
    totpPendingEnc: null,
    failedSignIns: 0,
    lockedUntil: 0,
    tokensValidAfter: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A verified alias belongs to one user. When another user already holds it, either
 * refuse (AliasExistsException) or, with `force`, move it: the other user loses the alias.
 */
export async function claimAliases(core: Core, pool: PoolRecord, user: UserRecord, force: boolean): Promise<void> {
  for (const attribute of aliasAttributes(pool.config) as ('email' | 'phone_number' | 'preferred_username')[]) {
    const value = user.attributes[attribute];
    if (!value) continue;
    const verified = attribute === 'preferred_username' || user.attributes[`${attribute}_verified`] === 'true';
    if (!verified) continue;
    const holders = (await core.store.users.findByAttribute(pool.id, attribute, value)).filter(
      (u) => u.sub !== user.sub && (attribute === 'preferred_username' || u.attributes[`${attribute}_verified`] === 'true'),
    );
    if (holders.length === 0) continue;
    if (!force) throw new AliasExistsError('An account with the given email already exists.'.replace('email', attribute));
    for (const holder of holders) {
      const { [attribute]: _moved, [`${attribute}_verified`]: _flag, ...rest } = holder.attributes;
      await core.store.users.update({ ...holder, attributes: rest, updatedAt: core.clock.now() });
    }
  }
}
