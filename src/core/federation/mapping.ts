import { InvalidParameterError } from '../../errors.js';
import type { IdentityProviderRecord, PoolRecord, UserRecord } from '../../ports.js';
import { validateWrite } from '../directory/attributes.js';
import { schemaOf } from '../directory/pool-config.js';

/** A claim by its exact name (SAML attribute names contain dots), else by a dotted path into nested claims. */
export function claimAt(claims: Record<string, unknown>, source: string): unknown {
  if (source in claims) return claims[source];
  let value: unknown = claims;
  for (const part of source.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function asAttribute(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const asserted = (value: unknown) => value === true || value === 'true';

/**
 * Pool attributes from the upstream's claims by the provider's AttributeMapping. A
 * `*_verified` flag is true only when the upstream asserts it: an unverified or unasserted
 * email never counts as verified, whatever the mapping says.
 */
export function mapAttributes(pool: PoolRecord, provider: IdentityProviderRecord, claims: Record<string, unknown>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [attribute, source] of Object.entries(provider.attributeMapping)) {
    if (attribute === 'username') continue;
    const value = asAttribute(claimAt(claims, source));
    if (value !== undefined && value !== '') mapped[attribute] = value;
  }
  for (const [attribute, flag] of [['email', 'email_verified'], ['phone_number', 'phone_number_verified']] as const) {
    if (mapped[attribute] === undefined) {
      delete mapped[flag];
      continue;
    }
    const source = provider.attributeMapping[flag] ?? flag;
    mapped[flag] = asserted(claimAt(claims, source)) ? 'true' : 'false';
  }
  const known = new Set(schemaOf(pool.config).map((a) => a.Name));
  const list = Object.entries(mapped).filter(([name]) => known.has(name)).map(([Name, Value]) => ({ Name, Value }));
  try {
    return validateWrite(pool, list, { admin: true });
  } catch (error) {
    throw new InvalidParameterError(`The attributes ${provider.name} sent do not fit this user pool: ${(error as Error).message}`);
  }
}

const CONTACT = new Set(['email', 'email_verified', 'phone_number', 'phone_number_verified']);

/**
 * Mapped attributes written over a user's own at each sign-in; immutable ones keep their
 * first value. A native user's email and phone are its sign-in aliases and recovery
 * channels: an upstream never changes them.
 */
export function applyMapped(pool: PoolRecord, user: UserRecord, mapped: Record<string, string>): Record<string, string> {
  const immutable = new Set(schemaOf(pool.config).filter((a) => !a.Mutable).map((a) => a.Name));
  const native = user.status !== 'EXTERNAL_PROVIDER';
  const next = { ...user.attributes };
  for (const [name, value] of Object.entries(mapped)) {
    if (immutable.has(name) && next[name] !== undefined) continue;
    if (native && CONTACT.has(name)) continue;
    next[name] = value;
  }
  return next;
}
