import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMapped, claimAt, mapAttributes } from '../src/core/federation/mapping.js';
import { customAttribute } from '../src/core/directory/pool-input.js';
import { STANDARD_ATTRIBUTES } from '../src/core/directory/schema-attributes.js';
import type { IdentityProviderRecord, PoolRecord, UserRecord } from '../src/ports.js';

const pool: PoolRecord = {
  id: 'local_test', name: 'p', createdAt: 0, updatedAt: 0,
  config: { SchemaAttributes: [...STANDARD_ATTRIBUTES, customAttribute({ AttributeDataType: 'String', Mutable: false }, 'tenant'), customAttribute({ AttributeDataType: 'String' }, 'dept')] },
};

function provider(attributeMapping: Record<string, string>): IdentityProviderRecord {
  return { poolId: pool.id, name: 'Corp', type: 'OIDC', details: {}, secretsEnc: null, attributeMapping, idpIdentifiers: [], createdAt: 0, updatedAt: 0 };
}

function user(status: UserRecord['status'], attributes: Record<string, string>): UserRecord {
  return {
    poolId: pool.id, sub: 's', username: 'u', usernameKey: 'u', attributes, pendingAttributes: null, passwordHash: null, passwordSetAt: null, srpSalt: null,
    srpVerifier: null, status, enabled: true, mfa: null, totpSecretEnc: null, totpPendingEnc: null, failedSignIns: 0, lockedUntil: 0, tokensValidAfter: 0, createdAt: 0, updatedAt: 0,
  };
}

describe('attribute mapping', () => {
  it('reads exact claim names first (SAML names have dots), then dotted paths into nested claims', () => {
    const claims = { 'http://schemas.xmlsoap.org/claims/emailaddress': 'a@b.example', address: { locality: 'Berlin' } };
    assert.equal(claimAt(claims, 'http://schemas.xmlsoap.org/claims/emailaddress'), 'a@b.example');
    assert.equal(claimAt(claims, 'address.locality'), 'Berlin');
    assert.equal(claimAt(claims, 'address.missing'), undefined);
  });

  it('maps claims into pool attributes; multi-valued and nested values become strings', () => {
    const mapped = mapAttributes(pool, provider({ email: 'mail', name: 'profile.name', 'custom:dept': 'groups', username: 'sub' }), {
      mail: 'a@b.example', profile: { name: 'Ada' }, groups: ['eng', 'ops'], email_verified: true,
    });
    assert.deepEqual(mapped, { email: 'a@b.example', name: 'Ada', 'custom:dept': 'eng,ops', email_verified: 'true' });
  });

  it('marks an email verified only when the upstream asserts it, whatever the mapping says', () => {
    const mapping = provider({ email: 'email' });
    assert.equal(mapAttributes(pool, mapping, { email: 'a@b.example' }).email_verified, 'false');
    assert.equal(mapAttributes(pool, mapping, { email: 'a@b.example', email_verified: 'false' }).email_verified, 'false');
    assert.equal(mapAttributes(pool, mapping, { email: 'a@b.example', email_verified: 'yes' }).email_verified, 'false');
    assert.equal(mapAttributes(pool, mapping, { email: 'a@b.example', email_verified: 'true' }).email_verified, 'true');
    const flagWithoutEmail = mapAttributes(pool, provider({ email_verified: 'email_verified' }), { email_verified: true });
    assert.equal(flagWithoutEmail.email_verified, undefined, 'no email, no verified flag');
  });

  it('refuses values that do not fit the schema with a clear error', () => {
    assert.throws(() => mapAttributes(pool, provider({ email: 'email' }), { email: 'not-an-email' }), /do not fit this user pool/);
  });

  it('updates mapped attributes at each sign-in, keeps immutable ones, and never changes a native user\'s email', () => {
    const federated = user('EXTERNAL_PROVIDER', { email: 'old@b.example', 'custom:tenant': 't1', name: 'Old' });
    assert.deepEqual(applyMapped(pool, federated, { email: 'new@b.example', 'custom:tenant': 't2', name: 'New' }), {
      email: 'new@b.example', 'custom:tenant': 't1', name: 'New',
    });
    const native = user('CONFIRMED', { email: 'me@b.example', email_verified: 'true', name: 'Old' });
    assert.deepEqual(applyMapped(pool, native, { email: 'other@b.example', email_verified: 'false', name: 'New' }), {
      email: 'me@b.example', email_verified: 'true', name: 'New',
    });
    assert.deepEqual(applyMapped(pool, federated, {}), federated.attributes, 'absent claims erase nothing');
  });
});
