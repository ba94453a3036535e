import { providerKinds } from '../../../providers/index.js';
import type { ProviderContext, ProviderType } from '../../../providers/types.js';
import { upstreamUrlProblem } from '../../../providers/upstream-url.js';
import { InvalidParameterError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { schemaOf } from '../directory/pool-config.js';

export const PROVIDER_TYPES: readonly ProviderType[] = ['Google', 'Facebook', 'SignInWithApple', 'LoginWithAmazon', 'OIDC', 'SAML'];
const SOCIAL: readonly ProviderType[] = ['Google', 'Facebook', 'SignInWithApple', 'LoginWithAmazon'];

/** ProviderDetails key (beyond Cognito): how a first federated sign-in may join an existing native user. */
export const LINK_POLICIES = ['never', 'verified_email', 'confirm'] as const;
export type LinkPolicy = (typeof LINK_POLICIES)[number];

/** Keys holding URLs Cognate will call or send browsers to; each is checked for scheme and host. */
const URL_KEYS = ['authorize_url', 'token_url', 'attributes_url', 'jwks_uri', 'oidc_issuer', 'MetadataURL'];
const PROVIDER_NAME = /^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$/u;
const IDP_IDENTIFIER = /^[\w\s+=.@-]+$/;
const RESERVED_NAMES = ['cognito'];

export function providerContext(core: Core): ProviderContext {
  return {
    fetch: core.fetch,
    now: () => core.clock.now(),
    randomBytes: (length) => core.random.bytes(length),
    allowInsecureUpstreams: core.settings.allowInsecureUpstreams,
    useOnce: (scope, id, expiresAt) => core.store.federation.useOnce(scope, id, expiresAt),
  };
}

export function checkProviderName(name: string, type: ProviderType): void {
  if (name.length < 1 || name.length > 32 || !PROVIDER_NAME.test(name)) {
    throw new InvalidParameterError(`1 validation error detected: Value '${name}' at 'providerName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PROVIDER_NAME.source}`);
  }
  if (RESERVED_NAMES.includes(name.toLowerCase())) throw new InvalidParameterError(`Provider name ${name} is reserved.`);
  // Cognito names social providers after their type.
  if (SOCIAL.includes(type) && name !== type) throw new InvalidParameterError(`Provider name for ${type} must be ${type}.`);
}

/**
 * Validates ProviderDetails for a type: the shared keys here, the type's own rules in its
 * provider kind. Reports every problem at once.
 */
export async function checkProviderDetails(core: Core, type: ProviderType, raw: unknown): Promise<Record<string, string>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidParameterError('ProviderDetails must be a map of strings');
  const details: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') problems.push(`${key} must be a string`);
    else details[key] = value;
  }
  for (const key of URL_KEYS) {
    const value = details[key];
    const problem = value === undefined ? undefined : upstreamUrlProblem(key, value, core.settings.allowInsecureUpstreams);
    if (problem) problems.push(problem);
  }
  if (details.link_policy !== undefined && !(LINK_POLICIES as readonly string[]).includes(details.link_policy)) {
    problems.push(`link_policy must be one of ${LINK_POLICIES.join(', ')}`);
  }
  const kind = providerKinds[type];
  if (!kind) throw new InvalidParameterError(`Provider type ${type} is not available.`);
  const { link_policy, ...own } = details;
  const checked = problems.length === 0 ? await kind.check(own, providerContext(core)) : { problems: [], details: own };
  problems.push(...checked.problems);
  // URLs the kind filled in (OIDC discovery) obey the same rule as those given.
  for (const key of URL_KEYS) {
    const value = checked.details[key];
    const problem = value === undefined || value === details[key] ? undefined : upstreamUrlProblem(key, value, core.settings.allowInsecureUpstreams);
    if (problem) problems.push(`${problem} (found by discovery)`);
  }
  if (problems.length > 0) throw new InvalidParameterError(`Invalid ProviderDetails: ${problems.join('; ')}`);
  return link_policy === undefined ? checked.details : { ...checked.details, link_policy };
}

export function linkPolicyOf(details: Record<string, string>): LinkPolicy {
  return (details.link_policy as LinkPolicy | undefined) ?? 'never';
}

/** AttributeMapping: pool attribute ← provider attribute; every key must be a writable pool attribute. */
export function checkAttributeMapping(pool: PoolRecord, raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidParameterError('AttributeMapping must be a map of strings');
  const attributes = new Set(schemaOf(pool.config).map((a) => a.Name));
  const problems: string[] = [];
  const mapping: Record<string, string> = {};
  for (const [poolAttribute, source] of Object.entries(raw)) {
    if (typeof source !== 'string' || source.length < 1 || source.length > 131) problems.push(`${poolAttribute}: the provider attribute must be 1 to 131 characters`);
    else if (poolAttribute !== 'username' && (!attributes.has(poolAttribute) || poolAttribute === 'sub' || poolAttribute === 'identities')) {
      problems.push(`${poolAttribute}: not an attribute of this user pool`);
    } else mapping[poolAttribute] = source;
  }
  if (problems.length > 0) throw new InvalidParameterError(`Invalid AttributeMapping: ${problems.join('; ')}`);
  return mapping;
}

export function checkIdpIdentifiers(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 50) throw new InvalidParameterError('IdpIdentifiers must be a list of at most 50 identifiers');
  for (const id of raw) {
    if (typeof id !== 'string' || id.length < 1 || id.length > 40 || !IDP_IDENTIFIER.test(id)) {
      throw new InvalidParameterError(`Invalid IdpIdentifier: ${String(id)}`);
    }
  }
  if (new Set(raw.map((id: string) => id.toLowerCase())).size !== raw.length) throw new InvalidParameterError('IdpIdentifiers must be unique');
  return raw as string[];
}
