import { ResourceNotFoundError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';

/** Public operations name only a client; the pool follows from it. */
export async function poolOfClient(core: Core, clientId: string): Promise<{ pool: PoolRecord; client: ClientRecord }> {
  const client = await core.store.clients.byId(clientId);
  const pool = client && (await core.store.pools.get(client.poolId));
  if (!client || !pool) throw new ResourceNotFoundError(`User pool client ${clientId} does not exist.`);
  return { pool, client };
}
