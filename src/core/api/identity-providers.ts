import { providerKinds } from '../../../providers/index.js';
import type { ProviderType } from '../../../providers/types.js';
import { InvalidParameterError, ResourceNotFoundError } from '../../errors.js';
import type { IdentityProviderRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import {
  checkAttributeMapping, checkIdpIdentifiers, checkProviderDetails, checkProviderName, PROVIDER_TYPES,
} from '../federation/provider-details.js';
import { openProviderDetails, sealProviderDetails } from '../federation/provider-secrets.js';
import { samlCertificateBody } from '../federation/saml-certificate.js';
import { epochSeconds, optionalInt, poolIdOf, requiredString, type Input } from './input.js';
import { decodePageToken, encodePageToken } from './paging.js';
import { loadPool } from './pools.js';

/** The stored details; a SAML provider with EncryptedResponses also shows the certificate to encrypt to, as Cognito does. */
async function shownDetails(core: Core, provider: IdentityProviderRecord): Promise<Record<string, string>> {
  const details = await openProviderDetails(core, provider);
  if (provider.type !== 'SAML' || details.EncryptedResponses !== 'true') return details;
  return { ...details, ActiveEncryptionCertificate: await samlCertificateBody(core, provider.poolId) };
}

async function shape(core: Core, provider: IdentityProviderRecord) {
  return {
    UserPoolId: provider.poolId,
    ProviderName: provider.name,
    ProviderType: provider.type,
    ProviderDetails: await shownDetails(core, provider),
    AttributeMapping: provider.attributeMapping,
    IdpIdentifiers: provider.idpIdentifiers,
    LastModifiedDate: epochSeconds(provider.updatedAt),
    CreationDate: epochSeconds(provider.createdAt),
  };
}

export async function loadProvider(core: Core, poolId: string, name: string): Promise<IdentityProviderRecord> {
  const provider = await core.store.identityProviders.get(poolId, name);
  if (!provider) throw new ResourceNotFoundError(`Identity provider ${name} does not exist.`);
  return provider;
}

const nameOf = (input: Input) => requiredString(input, 'ProviderName', { min: 1, max: 32 });

/** IdpIdentifiers route sign-ins (`idp_identifier`), so each names one provider in the pool. */
async function checkIdentifiersFree(core: Core, pool: PoolRecord, name: string, identifiers: string[]): Promise<void> {
  const wanted = new Set(identifiers.map((id) => id.toLowerCase()));
  for (const other of await core.store.identityProviders.all(pool.id)) {
    if (other.name === name) continue;
    const taken = other.idpIdentifiers.find((id) => wanted.has(id.toLowerCase()));
    if (taken) throw new InvalidParameterError(`IdpIdentifier ${taken} is already used by provider ${other.name}.`);
  }
}

/** Cognito maps the upstream subject to the username unless told otherwise. */
function withDefaultMapping(type: ProviderType, mapping: Record<string, string>): Record<string, string> {
  if (type === 'SAML' || mapping.username) return mapping;
  return { username: type === 'Facebook' ? 'id' : type === 'LoginWithAmazon' ? 'user_id' : 'sub', ...mapping };
}

export async function createIdentityProvider(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const name = nameOf(input);
  const type = requiredString(input, 'ProviderType') as ProviderType;
  if (!PROVIDER_TYPES.includes(type)) {
    throw new InvalidParameterError(`1 validation error detected: Value '${type}' at 'providerType' failed to satisfy constraint: Member must satisfy enum value set: [${PROVIDER_TYPES.join(', ')}]`);
  }
  checkProviderName(name, type);
  const details = await checkProviderDetails(core, type, input.ProviderDetails);
  const attributeMapping = withDefaultMapping(type, checkAttributeMapping(pool, input.AttributeMapping));
  const idpIdentifiers = checkIdpIdentifiers(input.IdpIdentifiers);
  await checkIdentifiersFree(core, pool, name, idpIdentifiers);
  const now = core.clock.now();
  const provider: IdentityProviderRecord = {
    poolId: pool.id, name, type, ...(await sealProviderDetails(core, pool.id, name, type, details)),
    attributeMapping, idpIdentifiers, createdAt: now, updatedAt: now,
  };
  await core.store.identityProviders.insert(provider);
  return { IdentityProvider: await shape(core, provider) };
}

export async function describeIdentityProvider(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  return { IdentityProvider: await shape(core, await loadProvider(core, pool.id, nameOf(input))) };
}

/**
 * ProviderDetails, when given, replace the stored ones; secrets left out keep their stored
 * values so an admin need not resend them.
 */
export async function updateIdentityProvider(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const current = await loadProvider(core, pool.id, nameOf(input));
  let sealed = { details: current.details, secretsEnc: current.secretsEnc };
  if (input.ProviderDetails !== undefined && input.ProviderDetails !== null) {
    const stored = await openProviderDetails(core, current);
    const kept = Object.fromEntries((providerKinds[current.type]?.secretKeys ?? []).filter((k) => stored[k] !== undefined).map((k) => [k, stored[k]!]));
    const details = await checkProviderDetails(core, current.type, { ...kept, ...(input.ProviderDetails as object) });
    sealed = await sealProviderDetails(core, pool.id, current.name, current.type, details);
  }
  const idpIdentifiers = input.IdpIdentifiers === undefined ? current.idpIdentifiers : checkIdpIdentifiers(input.IdpIdentifiers);
  await checkIdentifiersFree(core, pool, current.name, idpIdentifiers);
  const updated: IdentityProviderRecord = {
    ...current,
    ...sealed,
    attributeMapping: input.AttributeMapping === undefined ? current.attributeMapping : withDefaultMapping(current.type, checkAttributeMapping(pool, input.AttributeMapping)),
    idpIdentifiers,
    updatedAt: core.clock.now(),
  };
  await core.store.identityProviders.update(updated);
  return { IdentityProvider: await shape(core, updated) };
}

export async function deleteIdentityProvider(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const provider = await loadProvider(core, pool.id, nameOf(input));
  await core.store.identityProviders.delete(pool.id, provider.name);
  return {};
}

export async function listIdentityProviders(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const max = optionalInt(input, 'MaxResults', 1, 60) ?? 60;
  const page = await core.store.identityProviders.list(pool.id, max, decodePageToken(input.NextToken));
  return {
    Providers: page.items.map((p) => ({
      ProviderName: p.name, ProviderType: p.type, LastModifiedDate: epochSeconds(p.updatedAt), CreationDate: epochSeconds(p.createdAt),
    })),
    NextToken: encodePageToken(page.next),
  };
}

export async function getIdentityProviderByIdentifier(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const identifier = requiredString(input, 'IdpIdentifier', { min: 1, max: 40 }).toLowerCase();
  const provider = (await core.store.identityProviders.all(pool.id)).find((p) => p.idpIdentifiers.some((id) => id.toLowerCase() === identifier));
  if (!provider) throw new ResourceNotFoundError(`Identity provider with identifier ${identifier} does not exist.`);
  return { IdentityProvider: await shape(core, provider) };
}
