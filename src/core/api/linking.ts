import { InvalidParameterError } from '../../errors.js';
import type { Core } from '../context.js';
import { disableIdentity, linkIdentity } from '../federation/linking.js';
import { loadProvider } from './identity-providers.js';
import { optionalString, poolIdOf, requiredString, type Input } from './input.js';
import { loadPool } from './pools.js';
import { loadUser } from './users-admin.js';

const SUBJECT_ATTRIBUTE = 'Cognito_Subject';

interface ProviderUser {
  providerName: string;
  attributeName?: string;
  value: string;
}

function providerUserOf(input: Input, name: string): ProviderUser {
  const raw = input[name];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidParameterError(`1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`);
  }
  const entry = raw as Input;
  return {
    providerName: requiredString(entry, 'ProviderName', { min: 1, max: 128 }),
    attributeName: optionalString(entry, 'ProviderAttributeName', { max: 128 }),
    value: requiredString(entry, 'ProviderAttributeValue', { min: 1, max: 2048 }),
  };
}

/** Identities are matched on the upstream subject; other SAML attributes are not link keys here. */
function subjectOf(user: ProviderUser): string {
  if (user.attributeName !== undefined && user.attributeName !== SUBJECT_ATTRIBUTE) {
    throw new InvalidParameterError(`ProviderAttributeName must be ${SUBJECT_ATTRIBUTE}.`);
  }
  return user.value;
}

export async function adminLinkProviderForUser(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const destination = providerUserOf(input, 'DestinationUser');
  const source = providerUserOf(input, 'SourceUser');
  if (destination.providerName !== 'Cognito') throw new InvalidParameterError('DestinationUser must be a native user: ProviderName Cognito.');
  if (source.providerName === 'Cognito') throw new InvalidParameterError('SourceUser must be an external identity provider.');
  const provider = await loadProvider(core, pool.id, source.providerName);
  const user = await loadUser(core, pool, destination.value);
  await linkIdentity(core, pool, user, provider, subjectOf(source));
  return {};
}

export async function adminDisableProviderForUser(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const target = providerUserOf(input, 'User');
  if (target.providerName === 'Cognito') throw new InvalidParameterError('User must name an external identity provider.');
  const provider = await loadProvider(core, pool.id, target.providerName);
  await disableIdentity(core, pool, provider, subjectOf(target));
  return {};
}
