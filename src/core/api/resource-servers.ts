import { InvalidParameterError, ResourceNotFoundError } from '../../errors.js';
import type { ResourceServerRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { optionalInt, poolIdOf, requiredString, type Input } from './input.js';
import { decodePageToken, encodePageToken } from './paging.js';
import { loadPool } from './pools.js';

const IDENTIFIER = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const NAME = /^[\w\s+=,.@-]+$/;
const SCOPE_NAME = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$/;

function scopesOf(input: Input): ResourceServerRecord['scopes'] {
  const raw = input.Scopes ?? [];
  if (!Array.isArray(raw) || raw.length > 100) throw new InvalidParameterError('Scopes must be a list of at most 100 scopes');
  const scopes = raw.map((entry, i) => {
    const scope = (entry ?? {}) as Input;
    return {
      ScopeName: requiredString(scope, 'ScopeName', { min: 1, max: 256, pattern: SCOPE_NAME }),
      ScopeDescription: requiredString(scope, 'ScopeDescription', { min: 1, max: 256 }),
      position: i,
    };
  });
  const names = new Set(scopes.map((s) => s.ScopeName));
  if (names.size !== scopes.length) throw new InvalidParameterError('Scope names must be unique');
  return scopes.map(({ ScopeName, ScopeDescription }) => ({ ScopeName, ScopeDescription }));
}

function shape(server: ResourceServerRecord) {
  return { UserPoolId: server.poolId, Identifier: server.identifier, Name: server.name, Scopes: server.scopes };
}

async function loadServer(core: Core, poolId: string, identifier: string): Promise<ResourceServerRecord> {
  const server = await core.store.resourceServers.get(poolId, identifier);
  if (!server) throw new ResourceNotFoundError(`Resource server ${identifier} does not exist.`);
  return server;
}

const identifierOf = (input: Input) => requiredString(input, 'Identifier', { min: 1, max: 256, pattern: IDENTIFIER });

export async function createResourceServer(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const now = core.clock.now();
  const server: ResourceServerRecord = {
    poolId: pool.id,
    identifier: identifierOf(input),
    name: requiredString(input, 'Name', { min: 1, max: 256, pattern: NAME }),
    scopes: scopesOf(input),
    createdAt: now,
    updatedAt: now,
  };
  await core.store.resourceServers.insert(server);
  return { ResourceServer: shape(server) };
}

export async function describeResourceServer(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  return { ResourceServer: shape(await loadServer(core, pool.id, identifierOf(input))) };
}

/** As in Cognito, the name and the whole scope list are replaced. */
export async function updateResourceServer(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const current = await loadServer(core, pool.id, identifierOf(input));
  const updated: ResourceServerRecord = {
    ...current,
    name: requiredString(input, 'Name', { min: 1, max: 256, pattern: NAME }),
    scopes: scopesOf(input),
    updatedAt: core.clock.now(),
  };
  await core.store.resourceServers.update(updated);
  return { ResourceServer: shape(updated) };
}

export async function listResourceServers(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const max = optionalInt(input, 'MaxResults', 1, 50);
  if (max === undefined) throw new InvalidParameterError("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must not be null");
  const page = await core.store.resourceServers.list(pool.id, max, decodePageToken(input.NextToken));
  return { ResourceServers: page.items.map(shape), NextToken: encodePageToken(page.next) };
}

export async function deleteResourceServer(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const server = await loadServer(core, pool.id, identifierOf(input));
  await core.store.resourceServers.delete(pool.id, server.identifier);
  return {};
}

/** Every `identifier/scope` the pool defines. */
export async function customScopes(core: Core, poolId: string): Promise<Set<string>> {
  const scopes = new Set<string>();
  let after: string | undefined;
  do {
    const page = await core.store.resourceServers.list(poolId, 50, after);
    for (const server of page.items) for (const s of server.scopes) scopes.add(`${server.identifier}/${s.ScopeName}`);
    after = page.next;
  } while (after);
  return scopes;
}
