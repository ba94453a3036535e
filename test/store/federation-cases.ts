import assert from 'node:assert/strict';
import type { FederatedIdentityRecord, IdentityProviderRecord } from '../../src/ports.js';
import type { StoreCase } from './cases.js';
import { drain, freshPool, unique, user } from './fixtures.js';

function provider(poolId: string, name: string): IdentityProviderRecord {
  return {
    poolId, name, type: 'OIDC', details: { client_id: 'abc', oidc_issuer: 'https://idp.example' }, secretsEnc: 'v1.sealed',
    attributeMapping: { email: 'email' }, idpIdentifiers: ['example.com'], createdAt: 1, updatedAt: 1,
  };
}

function identity(poolId: string, sub: string, subject = unique('subject')): FederatedIdentityRecord {
  return { poolId, providerName: 'Idp', issuer: 'https://idp.example', subject, sub, createdAt: 7 };
}

export const federationCases: StoreCase[] = [
  {
    name: 'identity providers: unique names per pool, update, paging, delete',
    async run(store) {
      const p = await freshPool(store);
      for (const name of ['Charlie', 'Alpha', 'Bravo']) await store.identityProviders.insert(provider(p.id, name));
      await assert.rejects(store.identityProviders.insert(provider(p.id, 'Alpha')), { name: 'DuplicateProviderError' });
      const changed = { ...provider(p.id, 'Alpha'), details: { client_id: 'xyz' }, secretsEnc: null, updatedAt: 9 };
      await store.identityProviders.update(changed);
      assert.deepEqual(await store.identityProviders.get(p.id, 'Alpha'), changed);
      const names = (await drain((after) => store.identityProviders.list(p.id, 2, after), 2)).map((x) => x.name);
      assert.deepEqual(names, ['Alpha', 'Bravo', 'Charlie']);
      assert.deepEqual((await store.identityProviders.all(p.id)).map((x) => x.name), names);
      await store.identityProviders.delete(p.id, 'Bravo');
      assert.equal(await store.identityProviders.get(p.id, 'Bravo'), undefined);
    },
  },
  {
    name: 'federated users are created with their identity atomically; a linked identity cannot be linked twice',
    async run(store) {
      const p = await freshPool(store);
      const first = { ...user(p.id, 'Idp_one'), status: 'EXTERNAL_PROVIDER' as const, passwordHash: null };
      const link = identity(p.id, first.sub, 'one');
      await store.federation.createUser(first, link);
      assert.deepEqual(await store.federation.find(p.id, 'Idp', 'https://idp.example', 'one'), link);
      // The same identity for a second user: nothing of the second user is written.
      const second = user(p.id, 'Idp_two');
      await assert.rejects(store.federation.createUser(second, { ...link, sub: second.sub }), { name: 'UsernameExistsError' });
      assert.equal(await store.users.getBySub(p.id, second.sub), undefined);
      // Another issuer with the same subject is another identity.
      assert.equal(await store.federation.find(p.id, 'Idp', 'https://other.example', 'one'), undefined);

      const native = user(p.id, 'native');
      await store.users.insert(native);
      const withIdentities = { ...native, attributes: { identities: '[...]' } };
      assert.equal(await store.federation.link(link, withIdentities), false, 'already linked to the federated user');
      assert.deepEqual((await store.users.getBySub(p.id, native.sub))?.attributes, {}, 'the failed link wrote nothing');
      const fresh = identity(p.id, native.sub);
      assert.equal(await store.federation.link(fresh, withIdentities), true);
      assert.deepEqual((await store.federation.forUser(p.id, native.sub)).map((i) => i.subject), [fresh.subject]);
      assert.deepEqual((await store.users.getBySub(p.id, native.sub))?.attributes, { identities: '[...]' });
      await store.federation.unlink(fresh, native);
      assert.deepEqual(await store.federation.forUser(p.id, native.sub), []);
      assert.deepEqual((await store.users.getBySub(p.id, native.sub))?.attributes, {});

      await store.users.delete(p.id, first.sub);
      assert.equal(await store.federation.find(p.id, 'Idp', 'https://idp.example', 'one'), undefined, 'deleting the user unlinks it');
    },
  },
  {
    name: 'federation states are taken once; used-once ids refuse a replay; expired rows are swept',
    async run(store) {
      const p = await freshPool(store);
      const state = { idHash: unique('state'), poolId: p.id, providerName: 'Idp', browserHash: 'b', authorizeQuery: 'client_id=x', kept: { nonce: 'n' }, expiresAt: 100 };
      await store.federation.putState(state);
      assert.deepEqual(await store.federation.takeState(state.idHash), state);
      assert.equal(await store.federation.takeState(state.idHash), undefined);

      const scope = unique('saml');
      assert.equal(await store.federation.useOnce(scope, 'id-1', 100), true);
      assert.equal(await store.federation.useOnce(scope, 'id-1', 100), false);
      const late = { ...state, idHash: unique('state') };
      await store.federation.putState(late);
      await store.sweepExpired(101);
      assert.equal(await store.federation.takeState(late.idHash), undefined);
      assert.equal(await store.federation.useOnce(scope, 'id-1', 200), true, 'swept after it expired');
    },
  },
  {
    name: 'a pool keeps the first SAML certificate stored',
    async run(store) {
      const p = await freshPool(store);
      const first = await store.federation.putSamlCertificate({ poolId: p.id, certificate: 'A', privateKeyEnc: 'ka', createdAt: 1 });
      const second = await store.federation.putSamlCertificate({ poolId: p.id, certificate: 'B', privateKeyEnc: 'kb', createdAt: 2 });
      assert.equal(first.certificate, 'A');
      assert.equal(second.certificate, 'A');
      assert.equal((await store.federation.samlCertificate(p.id))?.certificate, 'A');
    },
  },
];
