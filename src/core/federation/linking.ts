import { providerKinds } from '../../../providers/index.js';
import { AliasExistsError, InvalidParameterError, LimitExceededError, ResourceNotFoundError } from '../../errors.js';
import type { FederatedIdentityRecord, IdentityProviderRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { withIdentities } from './federated-user.js';
import { openProviderDetails } from './provider-secrets.js';

/** Cognito's limit on external identities per user. */
export const MAX_LINKS = 5;

/** The (provider, issuer, subject) key of an identity named by its provider and subject. */
export async function identityKey(core: Core, provider: IdentityProviderRecord, subject: string): Promise<Omit<FederatedIdentityRecord, 'sub' | 'createdAt'>> {
  const kind = providerKinds[provider.type];
  if (!kind) throw new InvalidParameterError(`Provider type ${provider.type} is not available.`);
  return { poolId: provider.poolId, providerName: provider.name, issuer: kind.issuer(await openProviderDetails(core, provider)), subject };
}

/**
 * Links an external identity to a native user, so signing in through the provider signs
 * in as that user. Refused when the identity already signs in as someone: Cognito does not
 * merge users.
 */
export async function linkIdentity(core: Core, pool: PoolRecord, user: UserRecord, provider: IdentityProviderRecord, subject: string): Promise<UserRecord> {
  return linkKey(core, pool, user, await identityKey(core, provider, subject));
}

/** Links the identity a sign-in just proved (its issuer as the upstream asserted it). */
export async function linkKey(core: Core, pool: PoolRecord, user: UserRecord, key: Omit<FederatedIdentityRecord, 'sub' | 'createdAt'>): Promise<UserRecord> {
  if (user.status === 'EXTERNAL_PROVIDER') throw new InvalidParameterError('The destination user must be a native user of the user pool.');
  const existing = await core.store.federation.find(pool.id, key.providerName, key.issuer, key.subject);
  if (existing?.sub === user.sub) return user;
  if (existing) {
    const holder = await core.store.users.getBySub(pool.id, existing.sub);
    if (holder?.status === 'EXTERNAL_PROVIDER') {
      throw new InvalidParameterError('Merging is not currently supported, provided SourceUser is already present in the user pool. Please remove existing user before linking.');
    }
    throw new AliasExistsError('The source user is already linked to another user.');
  }
  const links = await core.store.federation.forUser(pool.id, user.sub);
  if (links.length >= MAX_LINKS) throw new LimitExceededError(`A user can have at most ${MAX_LINKS} linked identities.`);
  const fresh: FederatedIdentityRecord = { ...key, sub: user.sub, createdAt: core.clock.now() };
  const updated = await withIdentities(core, user, [...links, fresh]);
  if (!(await core.store.federation.link(fresh, updated))) throw new AliasExistsError('The source user is already linked to another user.');
  return updated;
}

/**
 * Stops an external identity from signing in as the user it leads to. A native user loses
 * the link (a later sign-in through the provider makes a separate federated user); a
 * federated user, which has no other way in, is disabled.
 */
export async function disableIdentity(core: Core, pool: PoolRecord, provider: IdentityProviderRecord, subject: string): Promise<void> {
  const key = await identityKey(core, provider, subject);
  const link = await core.store.federation.find(pool.id, key.providerName, key.issuer, key.subject);
  const holder = link && (await core.store.users.getBySub(pool.id, link.sub));
  if (!link || !holder) throw new ResourceNotFoundError('No user is linked to this identity.');
  if (holder.status === 'EXTERNAL_PROVIDER') {
    await core.store.users.update({ ...holder, enabled: false, updatedAt: core.clock.now() });
    return;
  }
  await unlinkFromUser(core, holder, link);
}

export async function unlinkFromUser(core: Core, user: UserRecord, link: FederatedIdentityRecord): Promise<UserRecord> {
  const rest = (await core.store.federation.forUser(user.poolId, user.sub)).filter(
    (l) => !(l.providerName === link.providerName && l.issuer === link.issuer && l.subject === link.subject),
  );
  const updated = await withIdentities(core, user, rest);
  await core.store.federation.unlink(link, updated);
  return updated;
}
