import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withSettingsCache } from '../src/db/settings-cache.js';
import type { ClientRecord, PoolRecord, Store } from '../src/ports.js';

/** A store whose pools and clients count their reads; only what the cache touches is real. */
function countingStore() {
  const pools = new Map<string, PoolRecord>([['local_A', { id: 'local_A', name: 'a', config: {}, createdAt: 0, updatedAt: 0 } as PoolRecord]]);
  const clients = new Map<string, ClientRecord>([['local_A/c1', { id: 'c1', poolId: 'local_A' } as ClientRecord]]);
  const reads = { pools: 0, clients: 0, resourceServers: 0 };
  const store = {
    pools: {
      get: async (id: string) => (reads.pools++, pools.get(id)),
      update: async (pool: PoolRecord) => void pools.set(pool.id, pool),
      delete: async (id: string) => void pools.delete(id),
      insert: async () => {},
      list: async () => ({ items: [] }),
    },
    clients: {
      get: async (poolId: string, id: string) => (reads.clients++, clients.get(`${poolId}/${id}`)),
      byId: async () => undefined,
      update: async (client: ClientRecord) => void clients.set(`${client.poolId}/${client.id}`, client),
      delete: async (poolId: string, id: string) => void clients.delete(`${poolId}/${id}`),
      insert: async () => {},
      list: async () => ({ items: [] }),
    },
    resourceServers: {
      list: async () => (reads.resourceServers++, { items: [] }),
      get: async () => undefined,
      insert: async () => {},
      update: async () => {},
      delete: async () => {},
    },
  } as unknown as Store;
  return { store, reads };
}

describe('settings cache (Node runtime)', () => {
  it('serves repeated reads from memory and reads again after a write through it', async () => {
    const { store, reads } = countingStore();
    const cached = withSettingsCache(store);
    await cached.pools.get('local_A');
    assert.equal((await cached.pools.get('local_A'))?.name, 'a');
    assert.equal(reads.pools, 1);
    await cached.pools.update({ id: 'local_A', name: 'renamed', config: {}, createdAt: 0, updatedAt: 1 } as PoolRecord);
    assert.equal((await cached.pools.get('local_A'))?.name, 'renamed');
    assert.equal(reads.pools, 2);
  });

  it('does not keep misses, so made-up ids cannot fill it', async () => {
    const { store, reads } = countingStore();
    const cached = withSettingsCache(store);
    assert.equal(await cached.clients.get('local_A', 'nope'), undefined);
    assert.equal(await cached.clients.get('local_A', 'nope'), undefined);
    assert.equal(reads.clients, 2);
  });

  it('forgets clients when their pool is deleted, and entries after their lifetime', async () => {
    const { store, reads } = countingStore();
    const cached = withSettingsCache(store, 0);
    await cached.resourceServers.list('local_A', 50);
    await cached.resourceServers.list('local_A', 50);
    assert.equal(reads.resourceServers, 2, 'a lifetime of 0 keeps nothing');

    const lasting = withSettingsCache(store);
    assert.ok(await lasting.clients.get('local_A', 'c1'));
    await lasting.pools.delete('local_A');
    await store.clients.delete('local_A', 'c1');
    assert.equal(await lasting.clients.get('local_A', 'c1'), undefined);
  });
});
