import { and, asc, eq, gt } from 'drizzle-orm';
import { isUniqueViolation, pageOf, type Driver } from '../driver.js';
import * as t from '../schema.js';
import { DuplicateProviderError, UsernameExistsError } from '../../errors.js';
import type { FederatedIdentityRecord, FederationStateRecord, IdentityProviderRecord, SamlCertificateRecord, Store } from '../../ports.js';
import { toRow } from './users.js';

export function identityProvidersRepo({ db }: Driver): Store['identityProviders'] {
  const key = (poolId: string, name: string) => and(eq(t.identityProviders.poolId, poolId), eq(t.identityProviders.name, name));
  return {
    async insert(provider) {
      try {
        await db.insert(t.identityProviders).values(provider);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateProviderError(`A provider with the name ${provider.name} already exists in this user pool.`);
        throw error;
      }
    },
    async get(poolId, name) {
      const [row] = (await db.select().from(t.identityProviders).where(key(poolId, name))) as IdentityProviderRecord[];
      return row;
    },
    async update(provider) {
      const { poolId, name, createdAt: _created, ...changes } = provider;
      await db.update(t.identityProviders).set(changes).where(key(poolId, name));
    },
    async list(poolId, limit, after) {
      const rows = (await db
        .select()
        .from(t.identityProviders)
        .where(and(eq(t.identityProviders.poolId, poolId), after === undefined ? undefined : gt(t.identityProviders.name, after)))
        .orderBy(asc(t.identityProviders.name))
        .limit(limit + 1)) as IdentityProviderRecord[];
      return pageOf(rows, limit, (p) => p.name);
    },
    async all(poolId) {
      return (await db
        .select()
        .from(t.identityProviders)
        .where(eq(t.identityProviders.poolId, poolId))
        .orderBy(asc(t.identityProviders.name))) as IdentityProviderRecord[];
    },
    async delete(poolId, name) {
      await db.delete(t.identityProviders).where(key(poolId, name));
    },
  };
}

export function federationRepo({ db, atomic }: Driver): Store['federation'] {
  const fi = t.federatedIdentities;
  const identityKey = (i: FederatedIdentityRecord) =>
    and(eq(fi.poolId, i.poolId), eq(fi.providerName, i.providerName), eq(fi.issuer, i.issuer), eq(fi.subject, i.subject));
  const userUpdate = (user: Parameters<typeof toRow>[0]) => {
    const { poolId, sub, createdAt: _created, ...changes } = toRow(user);
    return db.update(t.users).set(changes).where(and(eq(t.users.poolId, poolId), eq(t.users.sub, sub)));
  };
  return {
    async find(poolId, providerName, issuer, subject) {
      const [row] = (await db
        .select()
        .from(fi)
        .where(and(eq(fi.poolId, poolId), eq(fi.providerName, providerName), eq(fi.issuer, issuer), eq(fi.subject, subject)))) as FederatedIdentityRecord[];
      return row;
    },
    async forUser(poolId, sub) {
      return (await db
        .select()
        .from(fi)
        .where(and(eq(fi.poolId, poolId), eq(fi.sub, sub)))
        .orderBy(asc(fi.createdAt), asc(fi.providerName))) as FederatedIdentityRecord[];
    },
    async createUser(user, identity) {
      try {
        await atomic([db.insert(t.users).values(toRow(user)), db.insert(fi).values(identity)]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new UsernameExistsError('User account already exists');
        throw error;
      }
    },
    async link(identity, user) {
      try {
        await atomic([db.insert(fi).values(identity), userUpdate(user)]);
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async unlink(identity, user) {
      await atomic([db.delete(fi).where(identityKey(identity)), userUpdate(user)]);
    },
    async putState(state) {
      await db.insert(t.federationStates).values(state);
    },
    async takeState(idHash) {
      const rows = (await db.delete(t.federationStates).where(eq(t.federationStates.idHash, idHash)).returning()) as FederationStateRecord[];
      return rows[0];
    },
    async useOnce(scope, id, expiresAt) {
      const rows = await db.insert(t.usedOnceIds).values({ scope, id, expiresAt }).onConflictDoNothing().returning({ id: t.usedOnceIds.id });
      return rows.length === 1;
    },
    async samlCertificate(poolId) {
      const [row] = (await db.select().from(t.samlCertificates).where(eq(t.samlCertificates.poolId, poolId))) as SamlCertificateRecord[];
      return row;
    },
    async putSamlCertificate(certificate) {
      await db.insert(t.samlCertificates).values(certificate).onConflictDoNothing();
      const [row] = (await db.select().from(t.samlCertificates).where(eq(t.samlCertificates.poolId, certificate.poolId))) as SamlCertificateRecord[];
      return row!;
    },
  };
}
