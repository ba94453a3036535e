import type { PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { aliasAttributes, usernameAttributes, usernameKeyOf } from '../directory/pool-config.js';

type Alias = 'email' | 'phone_number' | 'preferred_username';

/**
 * Resolves what a user typed as their username: the username itself, the email or phone
 * that serves as username (UsernameAttributes), or a verified alias (AliasAttributes).
 * An alias matches only when verified, so nobody signs in through an address they never proved.
 */
export async function findUserForSignIn(core: Core, pool: PoolRecord, name: string): Promise<UserRecord | undefined> {
  const byName = await core.store.users.getByUsername(pool.id, usernameKeyOf(pool.config, name));
  if (byName) return byName;
  for (const attribute of usernameAttributes(pool.config) as Alias[]) {
    const found = await findByAttribute(core, pool, attribute, name);
    if (found[0]) return found[0];
  }
  for (const attribute of aliasAttributes(pool.config) as Alias[]) {
    const found = await findByAttribute(core, pool, attribute, name);
    const verified = found.find((u) => attribute === 'preferred_username' || u.attributes[`${attribute}_verified`] === 'true');
    if (verified) return verified;
  }
  return undefined;
}

/** Federated users sign in only through their provider: their email or phone is never a sign-in name here. */
async function findByAttribute(core: Core, pool: PoolRecord, attribute: Alias, value: string): Promise<UserRecord[]> {
  return (await core.store.users.findByAttribute(pool.id, attribute, value)).filter((u) => u.status !== 'EXTERNAL_PROVIDER');
}
