import type { FederatedIdentity } from '../../../providers/types.js';
import { NotAuthorizedError, UsernameExistsError } from '../../errors.js';
import type { FederatedIdentityRecord, IdentityProviderRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { checkRequired } from '../directory/attributes.js';
import { usernameKeyOf } from '../directory/pool-config.js';
import { identitiesAttribute } from './identities.js';
import { applyMapped, mapAttributes } from './mapping.js';
import { linkPolicyOf } from './provider-details.js';

/** The user's `identities` attribute after its links changed. */
export async function withIdentities(core: Core, user: UserRecord, links: FederatedIdentityRecord[]): Promise<UserRecord> {
  const providers = new Map((await core.store.identityProviders.all(user.poolId)).map((p) => [p.name, p]));
  const attributes = { ...user.attributes };
  if (links.length === 0) delete attributes.identities;
  else attributes.identities = identitiesAttribute(links, providers);
  return { ...user, attributes, updatedAt: core.clock.now() };
}

function identityRecord(core: Core, pool: PoolRecord, provider: IdentityProviderRecord, identity: FederatedIdentity, sub: string): FederatedIdentityRecord {
  return { poolId: pool.id, providerName: provider.name, issuer: identity.issuer, subject: identity.subject, sub, createdAt: core.clock.now() };
}

/**
 * `link_policy: verified_email`: the one native user whose email is the upstream's, with
 * both sides asserting it verified. Anything less links nothing.
 */
async function nativeUserByVerifiedEmail(core: Core, pool: PoolRecord, mapped: Record<string, string>): Promise<UserRecord | undefined> {
  if (!mapped.email || mapped.email_verified !== 'true') return undefined;
  const candidates = (await core.store.users.findByAttribute(pool.id, 'email', mapped.email)).filter(
    (u) => u.status !== 'EXTERNAL_PROVIDER' && u.attributes.email_verified === 'true' && u.attributes.email?.toLowerCase() === mapped.email!.toLowerCase(),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

async function createFederatedUser(core: Core, pool: PoolRecord, provider: IdentityProviderRecord, identity: FederatedIdentity, mapped: Record<string, string>): Promise<UserRecord> {
  const username = `${provider.name}_${identity.subject}`;
  const now = core.clock.now();
  const sub = core.random.uuid();
  const link = identityRecord(core, pool, provider, identity, sub);
  const user: UserRecord = await withIdentities(core, {
    poolId: pool.id, sub, username, usernameKey: usernameKeyOf(pool.config, username), attributes: mapped, pendingAttributes: null,
    passwordHash: null, passwordSetAt: null, srpSalt: null, srpVerifier: null, status: 'EXTERNAL_PROVIDER', enabled: true, mfa: null,
    totpSecretEnc: null, totpPendingEnc: null, failedSignIns: 0, lockedUntil: 0, tokensValidAfter: 0, createdAt: now, updatedAt: now,
  }, [link]);
  // Required attributes missing: refuse before anything is written, never a half-made user.
  checkRequired(pool, user.attributes);
  await core.store.federation.createUser(user, link);
  return user;
}

/**
 * `link_policy: confirm`: the native user with the upstream's email, whom the person
 * signing in may prove to be (their verified email is where a code can go).
 */
async function nativeUserToConfirm(core: Core, pool: PoolRecord, mapped: Record<string, string>): Promise<UserRecord | undefined> {
  if (!mapped.email) return undefined;
  const candidates = (await core.store.users.findByAttribute(pool.id, 'email', mapped.email)).filter(
    (u) => u.status === 'CONFIRMED' && u.enabled && u.attributes.email_verified === 'true',
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Either the user to sign in as, or a native user the person must first prove to be (link_policy confirm). */
export type FederatedOutcome = { user: UserRecord } | { confirm: UserRecord } | { linkTo: string };

/** As `federatedUser`, but a `confirm` provider holds back when a native user has the same email. */
export async function federatedOutcome(core: Core, pool: PoolRecord, provider: IdentityProviderRecord, identity: FederatedIdentity): Promise<FederatedOutcome> {
  if (linkPolicyOf(provider.details) === 'confirm') {
    const known = await core.store.federation.find(pool.id, provider.name, identity.issuer, identity.subject);
    const native = known ? undefined : await nativeUserToConfirm(core, pool, mapAttributes(pool, provider, identity.claims));
    if (native) return { confirm: native };
  }
  return { user: await federatedUser(core, pool, provider, identity) };
}

/**
 * The pool user an external identity signs in as: the linked user (its mapped attributes
 * refreshed), a native user joined by the provider's link policy, or a new federated user
 * `<ProviderName>_<subject>`.
 */
export async function federatedUser(core: Core, pool: PoolRecord, provider: IdentityProviderRecord, identity: FederatedIdentity): Promise<UserRecord> {
  const mapped = mapAttributes(pool, provider, identity.claims);
  const link = await core.store.federation.find(pool.id, provider.name, identity.issuer, identity.subject);
  const linked = link && (await core.store.users.getBySub(pool.id, link.sub));
  if (linked) {
    if (!linked.enabled) throw new NotAuthorizedError('User is disabled.');
    const updated = { ...linked, attributes: applyMapped(pool, linked, mapped), updatedAt: core.clock.now() };
    await core.store.users.update(updated);
    return updated;
  }
  if (linkPolicyOf(provider.details) === 'verified_email') {
    const native = await nativeUserByVerifiedEmail(core, pool, mapped);
    if (native) {
      if (!native.enabled) throw new NotAuthorizedError('User is disabled.');
      const fresh = identityRecord(core, pool, provider, identity, native.sub);
      const links = [...(await core.store.federation.forUser(pool.id, native.sub)), fresh];
      const updated = await withIdentities(core, { ...native, attributes: applyMapped(pool, native, mapped) }, links);
      if (await core.store.federation.link(fresh, updated)) return updated;
      return federatedUser(core, pool, provider, identity);
    }
  }
  try {
    return await createFederatedUser(core, pool, provider, identity, mapped);
  } catch (error) {
    // A concurrent first sign-in of the same identity won: sign in as the user it made.
    if (error instanceof UsernameExistsError && (await core.store.federation.find(pool.id, provider.name, identity.issuer, identity.subject))) {
      return federatedUser(core, pool, provider, identity);
    }
    throw error;
  }
}
