import { InvalidParameterError } from '../../errors.js';
import type { UserFilter } from '../../ports.js';
import type { Core } from '../context.js';
import { userShape } from '../directory/attributes.js';
import { usernameKeyOf } from '../directory/pool-config.js';
import { optionalInt, optionalString, optionalStringList, poolIdOf, type Input } from './input.js';
import { decodePageToken, encodePageToken } from './paging.js';
import { loadPool } from './pools.js';

/** Cognito's filterable attributes; beyond Cognito, any `custom:` attribute too. */
const FILTERABLE = new Set([
  'username', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username',
  'cognito:user_status', 'status', 'sub',
]);

/** Parses `name = "value"` or `name ^= "value"`; `\"` and `\\` escape inside the quotes. */
export function parseFilter(text: string): UserFilter | undefined {
  if (text.trim() === '') return undefined;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(text);
  if (!match) throw new InvalidParameterError('Error while parsing filter.');
  const [, attribute, op, raw] = match as unknown as [string, string, '=' | '^=', string];
  if (!FILTERABLE.has(attribute) && !attribute.startsWith('custom:')) {
    throw new InvalidParameterError(`Invalid search attribute: ${attribute}`);
  }
  return { attribute, op, value: raw.replace(/\\(.)/g, '$1') };
}

export async function listUsers(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const limit = optionalInt(input, 'Limit', 0, 60) || 60;
  const attributesToGet = optionalStringList(input, 'AttributesToGet');
  let filter = parseFilter(optionalString(input, 'Filter', { max: 256 }) ?? '');
  if (filter?.attribute === 'username') {
    filter = { ...filter, value: usernameKeyOf(pool.config, filter.value) };
  }
  const page = await core.store.users.list(pool.id, { filter, limit, after: decodePageToken(input.PaginationToken) });
  return {
    Users: page.items.map((u) => userShape(u, attributesToGet)),
    PaginationToken: encodePageToken(page.next),
  };
}
