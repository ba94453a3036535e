import type { ClientRecord, Page, PoolRecord, ResourceServerRecord, Store } from '../ports.js';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** Found values only: looking up made-up ids must not fill the cache. */
class Cache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Bumped by every clear, so a read that started before a write cannot store what it saw. */
  private generation = 0;

  constructor(private readonly ttlMs: number) {}

  async get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation) this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    return value;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

/**
 * Pools, app clients and resource servers are read on every token, userinfo and sign-in
 * request and change only through the admin API. For a runtime whose process is its
 * database's writer (Node with its SQLite file) they are kept in memory and dropped on any
 * write through this store; `ttlMs` bounds how long a write by another process on the same
 * file goes unseen. Records are shared between requests, which never modify them in place.
 */
export function withSettingsCache(store: Store, ttlMs = 2_000): Store {
  const pools = new Cache<PoolRecord>(ttlMs);
  const clients = new Cache<ClientRecord>(ttlMs);
  const resourceServers = new Cache<Page<ResourceServerRecord>>(ttlMs);
  const clearAll = () => {
    pools.clear();
    clients.clear();
    resourceServers.clear();
  };
  const thenClear = <A extends unknown[]>(write: (...args: A) => Promise<void>, ...caches: Array<{ clear(): void }>) =>
    async (...args: A) => {
      try {
        await write(...args);
      } finally {
        for (const cache of caches) cache.clear();
      }
    };
  return {
    ...store,
    pools: {
      ...store.pools,
      get: (id) => pools.get(id, () => store.pools.get(id)),
      insert: thenClear(store.pools.insert, pools),
      update: thenClear(store.pools.update, pools),
      // Deleting a pool deletes its clients and resource servers too.
      delete: thenClear(store.pools.delete, { clear: clearAll }),
    },
    clients: {
      ...store.clients,
      get: (poolId, clientId) => clients.get(`${poolId}/${clientId}`, () => store.clients.get(poolId, clientId)),
      byId: (clientId) => clients.get(`/${clientId}`, () => store.clients.byId(clientId)),
      insert: thenClear(store.clients.insert, clients),
      update: thenClear(store.clients.update, clients),
      delete: thenClear(store.clients.delete, clients),
    },
    resourceServers: {
      ...store.resourceServers,
      list: async (poolId, limit, after) =>
        after === undefined
          ? (await resourceServers.get(`${poolId}/${limit}`, () => store.resourceServers.list(poolId, limit)))!
          : store.resourceServers.list(poolId, limit, after),
      insert: thenClear(store.resourceServers.insert, resourceServers),
      update: thenClear(store.resourceServers.update, resourceServers),
      delete: thenClear(store.resourceServers.delete, resourceServers),
    },
  };
}
